"""A tabular binary classifier as Kaggle notebooks write it: standardised features, an imbalanced target with
BCEWithLogitsLoss(pos_weight=...), AdamW with no weight decay on biases and norms, OneCycleLR stepped per batch,
early stopping on the validation loss with a deep-copied best state_dict, and metrics computed with torch ops."""

import copy

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
n, d = 600, 8
X = torch.randn(n, d)
logit = X[:, 0] * 1.5 - X[:, 1] + 0.5 * X[:, 2] * X[:, 3] - 2.0
y = (torch.rand(n) < torch.sigmoid(logit)).float()
perm = torch.randperm(n)
tr, va = perm[:450], perm[450:]
mean, std = X[tr].mean(0, keepdim=True), X[tr].std(0, keepdim=True)
Xs = (X - mean) / std
pos_weight = (y[tr] == 0).sum() / (y[tr] == 1).sum()
print(f"positives {y.mean().item():.4f} pos_weight {pos_weight.item():.4f}")

model = nn.Sequential(nn.Linear(d, 32), nn.LayerNorm(32), nn.GELU(), nn.Dropout(0.1), nn.Linear(32, 1))
decay = [p for name, p in model.named_parameters() if p.ndim > 1]
no_decay = [p for name, p in model.named_parameters() if p.ndim <= 1]
print("groups", len(decay), len(no_decay))
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}],
                        lr=1e-3)
loader = DataLoader(TensorDataset(Xs[tr], y[tr]), batch_size=64, shuffle=True)
epochs = 25
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.01, epochs=epochs, steps_per_epoch=len(loader),
                                            pct_start=0.3, anneal_strategy="cos")
criterion = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
best, best_state, patience, bad = float("inf"), None, 4, 0
for epoch in range(epochs):
    model.train()
    for xb, yb in loader:
        opt.zero_grad()
        loss = criterion(model(xb).squeeze(1), yb)
        loss.backward()
        opt.step()
        sched.step()
    model.eval()
    with torch.no_grad():
        val_loss = criterion(model(Xs[va]).squeeze(1), y[va]).item()
    print(f"epoch {epoch:2d} train {loss.item():.4f} val {val_loss:.4f} lr {sched.get_last_lr()[0]:.6f}")
    if val_loss < best - 1e-4:
        best, bad = val_loss, 0
        best_state = copy.deepcopy(model.state_dict())
    else:
        bad += 1
        if bad >= patience:
            print(f"early stopping at epoch {epoch}")
            break
model.load_state_dict(best_state)
print("state keys", list(best_state.keys()))
model.eval()
with torch.no_grad():
    probs = torch.sigmoid(model(Xs[va]).squeeze(1))
yt = y[va]
pred = (probs > 0.5).float()
tp, fp = ((pred == 1) & (yt == 1)).sum().item(), ((pred == 1) & (yt == 0)).sum().item()
fn, tn = ((pred == 0) & (yt == 1)).sum().item(), ((pred == 0) & (yt == 0)).sum().item()
precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
f1 = 2 * precision * recall / max(precision + recall, 1e-12)
print(f"confusion tp={tp} fp={fp} fn={fn} tn={tn} precision {precision:.4f} recall {recall:.4f} f1 {f1:.4f}")
order = torch.argsort(probs, descending=True)
tps = torch.cumsum(yt[order], 0)
fps = torch.cumsum(1 - yt[order], 0)
tpr = torch.cat([torch.zeros(1), tps / tps[-1]])
fpr = torch.cat([torch.zeros(1), fps / fps[-1]])
auc = torch.trapezoid(tpr, fpr)
print(f"auc {auc.item():.4f} best val {best:.4f}")
weighted = nn.CrossEntropyLoss(weight=torch.tensor([1.0, pos_weight.item()]), label_smoothing=0.1)
two = torch.stack([torch.zeros_like(probs), torch.logit(probs.clamp(1e-6, 1 - 1e-6))], dim=1)
print(f"weighted ce {weighted(two, yt.long()).item():.4f}")
