"""Classical methods in closed form with torch.linalg: least squares (lstsq, normal equations, ridge with solve),
PCA by SVD and by eigh of the covariance, whitening, and k-means with cdist/argmin and scatter-style means."""

import torch

torch.manual_seed(0)
torch.set_printoptions(precision=4)
n, d = 200, 4
X = torch.randn(n, d, dtype=torch.float64)
true_w = torch.tensor([[1.5], [-2.0], [0.5], [3.0]], dtype=torch.float64)
y = X @ true_w + 0.7 + 0.1 * torch.randn(n, 1, dtype=torch.float64)
Xb = torch.cat([X, torch.ones(n, 1, dtype=torch.float64)], dim=1)

sol = torch.linalg.lstsq(Xb, y)
print("lstsq", sol.solution.squeeze(), sol.solution.shape)
w_normal = torch.linalg.solve(Xb.T @ Xb, Xb.T @ y)
w_pinv = torch.linalg.pinv(Xb) @ y
print("agree", torch.allclose(sol.solution, w_normal), torch.allclose(w_normal, w_pinv))
for lam in (0.0, 1.0, 100.0):
    w_ridge = torch.linalg.solve(X.T @ X + lam * torch.eye(d, dtype=X.dtype), X.T @ (y - y.mean()))
    print(f"ridge {lam:6.1f} norm {torch.linalg.norm(w_ridge).item():.6f}")
resid = y - Xb @ sol.solution
print(f"rmse {resid.pow(2).mean().sqrt().item():.6f} r2 {1 - resid.var() / y.var():.6f}")
Q, R = torch.linalg.qr(Xb)
print("qr solve", torch.linalg.solve_triangular(R, Q.T @ y, upper=True).squeeze())

# PCA on correlated 3-d data
mix = torch.tensor([[3.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.5, 0.2, 0.1]], dtype=torch.float64)
Z = torch.randn(300, 3, dtype=torch.float64) @ mix.T
Zc = Z - Z.mean(dim=0)
U, S, Vh = torch.linalg.svd(Zc, full_matrices=False)
explained = S**2 / (S**2).sum()
print("singular values", S, "explained", explained)
evals, evecs = torch.linalg.eigh(Zc.T @ Zc / (len(Z) - 1))
print("eigh", evals.flip(0), torch.allclose(evals.flip(0), S**2 / (len(Z) - 1)))
print("same axis", torch.allclose(evecs[:, -1].abs(), Vh[0].abs()))
proj = Zc @ Vh[:2].T
print("projection", proj.shape, proj.std(dim=0))
white = Zc @ evecs / evals.sqrt()
print("whitened cov\n", torch.cov(white.T).round(decimals=6))
print("cond", torch.linalg.cond(Zc).item(), "rank", torch.linalg.matrix_rank(Zc).item())

# k-means
centers_true = torch.tensor([[0.0, 0.0], [5.0, 5.0], [0.0, 6.0]], dtype=torch.float64)
pts = torch.cat([c + torch.randn(50, 2, dtype=torch.float64) for c in centers_true])
k = 3
centroids = pts[torch.randperm(len(pts))[:k]].clone()
for it in range(10):
    assign = torch.cdist(pts, centroids).argmin(dim=1)
    sums = torch.zeros(k, 2, dtype=pts.dtype).scatter_add_(0, assign.unsqueeze(1).expand(-1, 2), pts)
    counts = torch.bincount(assign, minlength=k).clamp(min=1).unsqueeze(1)
    new = sums / counts
    shift = (new - centroids).norm(dim=1).max().item()
    centroids = new
    inertia = (pts - centroids[assign]).pow(2).sum().item()
    print(f"iter {it} inertia {inertia:.4f} shift {shift:.6f}")
    if shift < 1e-8:
        break
order = centroids[:, 0].argsort(stable=True)
print("centroids", centroids[order], torch.bincount(assign, minlength=k).tolist())
print("det", torch.linalg.det(torch.cov(pts.T)).item(), "slogdet", torch.linalg.slogdet(torch.cov(pts.T)))
