"""Graph neural network message passing by hand, as PyG-free tutorials write it: an edge_index, degrees with
bincount, mean aggregation with index_add_ and scatter_add_, a normalised adjacency built with index_put_,
and a two-layer GCN trained for node classification with a train mask."""

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
num_nodes, num_feats, num_classes = 30, 5, 3
labels = torch.arange(num_nodes) % num_classes
src, dst = [], []
for i in range(num_nodes):
    for j in range(i + 1, num_nodes):
        p = 0.5 if labels[i] == labels[j] else 0.04
        if torch.rand(1).item() < p:
            src += [i, j]
            dst += [j, i]
edge_index = torch.tensor([src, dst], dtype=torch.long)
x = torch.randn(num_nodes, num_feats) + F.one_hot(labels, num_feats).float()
print("edges", edge_index.shape, edge_index[:, :6].tolist())
deg = torch.bincount(edge_index[1], minlength=num_nodes).float()
print("degree", deg[:10], deg.mean().item())

# mean aggregation two ways
agg = torch.zeros(num_nodes, num_feats).index_add_(0, edge_index[1], x[edge_index[0]])
agg2 = torch.zeros(num_nodes, num_feats).scatter_add_(0, edge_index[1].unsqueeze(1).expand(-1, num_feats),
                                                       x[edge_index[0]])
print("same", torch.allclose(agg, agg2), (agg / deg.clamp(min=1).unsqueeze(1))[:2])

# symmetric normalisation D^-1/2 (A + I) D^-1/2
loops = torch.arange(num_nodes)
ei = torch.cat([edge_index, torch.stack([loops, loops])], dim=1)
d = torch.bincount(ei[1], minlength=num_nodes).float()
w = d[ei[0]].rsqrt() * d[ei[1]].rsqrt()
# trainer lacks: torch.sparse_coo_tensor and torch.sparse.mm, so the adjacency stays dense
dense = torch.zeros(num_nodes, num_nodes).index_put_((ei[1], ei[0]), w, accumulate=True)
print("adj", dense.shape, f"{dense.sum().item():.4f}", torch.allclose(dense, dense.T))


class GCNLayer(nn.Module):
    def __init__(self, fin, fout):
        super().__init__()
        self.lin = nn.Linear(fin, fout)

    def forward(self, x, ei, w):
        h = self.lin(x)
        msg = h[ei[0]] * w.unsqueeze(1)
        return torch.zeros_like(h).index_add_(0, ei[1], msg)


class GCN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = GCNLayer(num_feats, 16)
        self.conv2 = GCNLayer(16, num_classes)

    def forward(self, x, ei, w):
        h = F.dropout(F.relu(self.conv1(x, ei, w)), p=0.2, training=self.training)
        return self.conv2(h, ei, w)


model = GCN()
train_mask = torch.zeros(num_nodes, dtype=torch.bool)
train_mask[torch.randperm(num_nodes)[:12]] = True
opt = torch.optim.Adam(model.parameters(), lr=0.02, weight_decay=5e-4)
for epoch in range(60):
    model.train()
    opt.zero_grad()
    out = model(x, ei, w)
    loss = F.cross_entropy(out[train_mask], labels[train_mask])
    loss.backward()
    opt.step()
    if epoch % 15 == 0:
        print(f"Epoch {epoch:03d}, Loss: {loss.item():.4f}")
model.eval()
pred = model(x, ei, w).argmax(dim=1)
acc = (pred[~train_mask] == labels[~train_mask]).sum().item() / int((~train_mask).sum())
print(f"test accuracy {acc:.4f}", pred.tolist())
with torch.no_grad():
    h = model.conv1.lin(x)
    print("dense propagation", torch.allclose(model.conv1(x, ei, w), dense @ h, atol=1e-5))
