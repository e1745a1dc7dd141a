"""A two-layer GCN in the style of Kipf's pygcn on a small synthetic graph: the normalised adjacency as a sparse COO
tensor (pygcn's legacy torch.sparse.FloatTensor and the modern sparse_coo_tensor), torch.spmm in the layers, Adam
with NLL loss, then the same model with `adj @ x` and a symmetric normalisation built from torch.sparse.sum."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
n_nodes, n_features, n_classes = 40, 12, 3

# a graph of three communities: dense within, sparse across
labels = torch.arange(n_nodes) % n_classes
features = torch.randn(n_nodes, n_features) + F.one_hot(labels, n_features).float() * 2
same = labels[:, None] == labels[None, :]
prob = torch.where(same, torch.tensor(0.3), torch.tensor(0.02))
upper = torch.triu(torch.rand(n_nodes, n_nodes) < prob, diagonal=1)
edges = upper.nonzero().t()
edges = torch.cat([edges, edges.flip(0)], dim=1)
print("edges:", edges.shape[1])

# pygcn: adj + I, row-normalised, as torch.sparse.FloatTensor(indices, values, shape)
loops = torch.arange(n_nodes).repeat(2, 1)
indices = torch.cat([edges, loops], dim=1)
values = torch.ones(indices.shape[1])
adj = torch.sparse_coo_tensor(indices, values, (n_nodes, n_nodes)).coalesce()
rowsum = torch.sparse.sum(adj, dim=1).to_dense()
row_norm = adj.values() / rowsum[adj.indices()[0]]
adj_row = torch.sparse.FloatTensor(adj.indices(), row_norm, torch.Size([n_nodes, n_nodes]))
print(adj_row.layout, adj_row.is_sparse, adj_row._nnz(), adj_row.shape)
print("row sums:", torch.sparse.sum(adj_row, 1).to_dense()[:5])

features = features / features.sum(1, keepdim=True).abs()
idx_train, idx_val, idx_test = torch.arange(0, 12), torch.arange(12, 24), torch.arange(24, 40)


class GraphConvolution(nn.Module):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        self.weight = nn.Parameter(torch.FloatTensor(in_features, out_features))
        self.bias = nn.Parameter(torch.FloatTensor(out_features)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.weight.size(1))
        self.weight.data.uniform_(-stdv, stdv)
        if self.bias is not None:
            self.bias.data.uniform_(-stdv, stdv)

    def forward(self, input, adj):
        support = torch.mm(input, self.weight)
        output = torch.spmm(adj, support)
        return output + self.bias if self.bias is not None else output


class GCN(nn.Module):
    def __init__(self, nfeat, nhid, nclass, dropout):
        super().__init__()
        self.gc1 = GraphConvolution(nfeat, nhid)
        self.gc2 = GraphConvolution(nhid, nclass)
        self.dropout = dropout

    def forward(self, x, adj):
        x = F.relu(self.gc1(x, adj))
        x = F.dropout(x, self.dropout, training=self.training)
        x = self.gc2(x, adj)
        return F.log_softmax(x, dim=1)


def accuracy(output, labels):
    preds = output.max(1)[1].type_as(labels)
    return preds.eq(labels).double().sum() / len(labels)


model = GCN(n_features, 16, n_classes, dropout=0.5)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
for epoch in range(30):
    model.train()
    optimizer.zero_grad()
    output = model(features, adj_row)
    loss_train = F.nll_loss(output[idx_train], labels[idx_train])
    acc_train = accuracy(output[idx_train], labels[idx_train])
    loss_train.backward()
    optimizer.step()
    model.eval()
    output = model(features, adj_row)
    loss_val = F.nll_loss(output[idx_val], labels[idx_val])
    if epoch % 5 == 0:
        print(f"Epoch: {epoch + 1:04d} loss_train: {loss_train.item():.4f} acc_train: {acc_train.item():.4f} "
              f"loss_val: {loss_val.item():.4f} acc_val: {accuracy(output[idx_val], labels[idx_val]).item():.4f}")
model.eval()
output = model(features, adj_row)
print(f"Test set results: loss= {F.nll_loss(output[idx_test], labels[idx_test]).item():.4f} "
      f"accuracy= {accuracy(output[idx_test], labels[idx_test]).item():.4f}")
print("gc1 weight grad norm:", round(model.gc1.weight.grad.norm().item(), 4))

# the PyG-free tutorial form: symmetric normalisation D^-1/2 (A + I) D^-1/2, `adj @ x`, torch.sparse.mm
deg = torch.sparse.sum(adj, dim=1).to_dense()
d_inv_sqrt = deg.pow(-0.5)
i, v = adj.indices(), adj.values()
adj_sym = torch.sparse_coo_tensor(i, d_inv_sqrt[i[0]] * v * d_inv_sqrt[i[1]], adj.shape)
print(adj_sym)
dense_check = (adj_sym.to_dense() - adj_sym.to_dense().t()).abs().max()
print("symmetric:", dense_check.item() < 1e-6)


class TinyGCN(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin1 = nn.Linear(n_features, 8)
        self.lin2 = nn.Linear(8, n_classes)

    def forward(self, x, a):
        h = torch.relu(a @ self.lin1(x))
        return torch.sparse.mm(a, self.lin2(h))


net = TinyGCN()
opt = torch.optim.Adam(net.parameters(), lr=0.05)
for step in range(20):
    opt.zero_grad()
    out = net(features, adj_sym)
    loss = F.cross_entropy(out[idx_train], labels[idx_train])
    loss.backward()
    opt.step()
    if step % 5 == 0:
        print(f"step {step}: loss {loss.item():.4f}")
with torch.no_grad():
    pred = net(features, adj_sym).argmax(1)
print("test accuracy:", (pred[idx_test] == labels[idx_test]).float().mean().item())

# learnable edge weights: gradients reach the sparse tensor's values
edge_w = torch.ones(i.shape[1], requires_grad=True)
adj_w = torch.sparse_coo_tensor(i, edge_w * v, adj.shape)
score = torch.sparse.mm(adj_w, features).pow(2).sum()
score.backward()
print("edge weight grads:", edge_w.grad[:6])
print(torch.sparse.softmax(adj_sym, dim=1).to_dense()[0, :6])
