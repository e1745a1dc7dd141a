"""Everyday tensor functions: clone, stack, where, zeros_like, eye, comparisons, one_hot, topk, sort, cumsum, einsum."""

import torch
import torch.nn.functional as F

torch.manual_seed(7)
a = torch.randn(3, 4)
b = a.clone()
b[0, 0] = 10.0
print(a[0, 0].item() != b[0, 0].item(), b.requires_grad)
s = torch.stack([a, b])
print(tuple(s.shape), tuple(torch.stack([a, b], dim=1).shape), tuple(torch.cat([a, b]).shape))
w = torch.where(a > 0, a, torch.zeros_like(a))
print([round(v, 6) for v in w.flatten().tolist()], (w >= 0).all().item())
print(torch.where(a > 0, 1.0, -1.0).sum().item(), [t.tolist() for t in torch.where(a > 1)])
print(torch.eye(3).tolist(), torch.eye(2, 3).sum().item())
print(torch.allclose(a, a + 1e-9), torch.allclose(a, b), torch.isclose(a, b).sum().item())
print(torch.is_tensor(a), torch.is_tensor(a.tolist()), torch.numel(a), a.numel())
print(tuple(torch.flatten(s).shape), tuple(torch.flatten(s, 1).shape), tuple(s.flatten(0, 1).shape))
labels = torch.tensor([0, 2, 1, 2])
oh = F.one_hot(labels)
print(oh.tolist(), oh.dtype == torch.int64, F.one_hot(labels, num_classes=5).shape)
values, indices = torch.topk(a.flatten(), 3)
print([round(v, 6) for v in values.tolist()], indices.tolist())
top = a.topk(2, dim=1, largest=False)
print([[round(v, 6) for v in r] for r in top.values.tolist()], top.indices.tolist())
sv, si = torch.sort(a[0], descending=True)
print([round(v, 6) for v in sv.tolist()], si.tolist(), a[1].argsort().tolist())
print(torch.cumsum(torch.arange(1, 6), dim=0).tolist(), torch.arange(1., 5.).cumsum(0).tolist())
m = torch.einsum("ij,jk->ik", a, a.t())
print(torch.allclose(m, a @ a.T), tuple(torch.einsum("bi,bi->b", a, b).shape), torch.einsum("ii", torch.eye(4)).item())
print(torch.sum(a).item() == a.sum().item(), torch.sum(a, dim=1).shape, a.sum(dim=0, keepdim=True).shape)
mx = torch.max(a, 1)
print([round(v, 6) for v in mx.values.tolist()], mx.indices.tolist(), torch.max(a).item() == a.max().item())
print(torch.argmax(a, dim=1).tolist(), torch.argmax(a).item(), a.argmin(dim=0).tolist())
print(torch.zeros(2, 3).shape, torch.ones_like(a).sum().item(), torch.full_like(a, 2.0).mean().item())
print(torch.arange(12).reshape(3, 4)[:, 1::2].tolist(), torch.arange(6).chunk(3)[1].tolist())
print([t.tolist() for t in torch.arange(7).split(3)], torch.arange(4).repeat(2).tolist())
print(torch.tensor([[1, 2], [3, 4]]).unsqueeze(0).expand(2, 2, 2).tolist())
print(torch.clamp(torch.tensor([-2.0, 0.5, 3.0]), min=0, max=1).tolist(), torch.tensor([1.5, -0.5]).abs().tolist())
print(torch.tensor([3, 1, 2]).masked_fill(torch.tensor([True, False, True]), 0).tolist())
print(torch.gather(torch.tensor([[1, 2], [3, 4]]), 1, torch.tensor([[0], [1]])).tolist())
print(torch.tensor([[1.0, 2.0], [3.0, 4.0]]).softmax(dim=-1).sum(-1).tolist(), torch.tensor([0.25]).log2().item())
print(torch.tensor([1, 2, 3]).float().std().item(), torch.tensor([1.0, 2.0, 4.0]).var(unbiased=False).item())
print(torch.linspace(0, 1, 5).tolist(), torch.logspace(0, 2, 3).tolist())
print(torch.tensor([2.5, 3.5, -0.5]).round().tolist(), torch.tensor([1.7]).floor().item(),
      torch.tensor([1.2]).ceil().item())
print(torch.tensor([[1, 2], [3, 4]]).T.tolist(), torch.tensor([[1, 2], [3, 4]]).permute(1, 0).tolist())
print(torch.tensor([1, 2, 2, 3]).unique().tolist(),
      torch.tensor([4, 5, 6])[torch.tensor([True, False, True])].tolist())
print(torch.diag(torch.tensor([1, 2])).tolist(), torch.tril(torch.ones(3, 3)).sum().item(),
      torch.triu(torch.ones(3, 3), 1).sum().item())
print(torch.tensor([1.0, 2.0]).dot(torch.tensor([3.0, 4.0])).item(),
      torch.outer(torch.arange(2), torch.arange(3)).tolist())
print(torch.prod(torch.tensor([1.0, 2.0, 3.0])).item(), torch.mean(torch.tensor([1.0, 2.0])).item(),
      torch.tensor([[1, 2]]).squeeze().tolist())
