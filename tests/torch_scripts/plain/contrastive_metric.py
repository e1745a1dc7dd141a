"""Contrastive and metric learning: a SimCLR-style NT-Xent loss on two augmented views (F.normalize, a
cosine-similarity matrix, masked_fill on the diagonal), a triplet loss, and retrieval recall@k with topk/argsort."""

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
n_classes, per_class, dim = 6, 8, 10
centers = torch.randn(n_classes, dim) * 2
labels = torch.arange(n_classes).repeat_interleave(per_class)
points = centers[labels] + 0.8 * torch.randn(len(labels), dim)


def augment(x):
    return x + 0.3 * torch.randn_like(x)


encoder = nn.Sequential(nn.Linear(dim, 32), nn.ReLU(), nn.Linear(32, 8))


def nt_xent(z1, z2, temperature=0.5):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.T / temperature
    n = z1.shape[0]
    sim = sim.masked_fill(torch.eye(2 * n, dtype=torch.bool), float("-inf"))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, targets)


def recall_at_k(emb, labels, k):
    emb = F.normalize(emb, dim=1)
    sim = emb @ emb.T
    sim.fill_diagonal_(-2.0)
    nn_idx = sim.topk(k, dim=1).indices
    hits = (labels[nn_idx] == labels.unsqueeze(1)).any(dim=1)
    return hits.float().mean().item()


with torch.no_grad():
    print("before", [recall_at_k(encoder(points), labels, k) for k in (1, 5)])
opt = torch.optim.Adam(encoder.parameters(), lr=3e-3)
for epoch in range(30):
    perm = torch.randperm(len(points))
    for i in range(0, len(points), 16):
        batch = points[perm[i:i + 16]]
        loss = nt_xent(encoder(augment(batch)), encoder(augment(batch)))
        opt.zero_grad()
        loss.backward()
        opt.step()
    if epoch % 10 == 0:
        print(f"epoch {epoch} nt-xent {loss.item():.4f}")

triplet = nn.TripletMarginLoss(margin=1.0, p=2)
for step in range(20):
    a = torch.randint(0, len(points), (32,))
    same = labels.unsqueeze(0) == labels[a].unsqueeze(1)
    pos = torch.multinomial(same.float(), 1).squeeze(1)
    neg = torch.multinomial((~same).float(), 1).squeeze(1)
    loss = triplet(encoder(points[a]), encoder(points[pos]), encoder(points[neg]))
    opt.zero_grad()
    loss.backward()
    opt.step()
print(f"triplet {loss.item():.4f}")

with torch.no_grad():
    emb = encoder(points)
    print("after", [recall_at_k(emb, labels, k) for k in (1, 5)])
    cos = F.cosine_similarity(emb[:1], emb, dim=1)
    order = torch.argsort(cos, descending=True)
    print("nearest to 0", order[:8].tolist(), labels[order[:8]].tolist())
    print("cos top", cos[order[:3]])
    d = torch.cdist(emb, emb)
    intra = d[labels.unsqueeze(0) == labels.unsqueeze(1)].mean()
    inter = d[labels.unsqueeze(0) != labels.unsqueeze(1)].mean()
    print(f"intra {intra:.4f} inter {inter:.4f}")
    proto = torch.zeros(n_classes, 8).index_add_(0, labels, emb) / per_class
    pred = F.cosine_similarity(emb.unsqueeze(1), proto.unsqueeze(0), dim=-1).argmax(1)
    print("prototype accuracy", (pred == labels).float().mean().item())
    print("argsort stable", torch.tensor([3, 1, 2, 1, 3]).argsort(stable=True).tolist())
