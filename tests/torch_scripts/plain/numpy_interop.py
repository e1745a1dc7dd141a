"""NumPy round trips: .numpy(), tolist(), torch.tensor(np_array), from_numpy sharing memory, views and sizes."""

import numpy as np
import torch

x = torch.linspace(0, 2 * np.pi, 9)
s = torch.sin(x)
a = s.numpy()
print(type(a).__name__, a.dtype, a.shape, np.round(a, 5).tolist())
print([round(v, 5) for v in s.tolist()])

arr = np.arange(6, dtype=np.float64).reshape(2, 3)
t = torch.tensor(arr)
shared = torch.from_numpy(arr)
arr[0, 0] = 100.0
print(t.dtype, t[0, 0].item(), shared[0, 0].item(), shared.dtype)
shared.add_(1)
print(arr[0].tolist())

col = torch.arange(10).view(-1, 1)
print(col.size(), col.size(0), col.shape[1], col.dim(), col.ndim, col.numel(), len(col))
print(col.view(2, 5).tolist(), col.reshape(5, -1).t().contiguous().view(-1).tolist())

i32 = torch.tensor(np.array([1, 2, 3], dtype=np.int32))
print([d for d in (i32.dtype, (i32 * 2).dtype)], (i32 / 2).dtype,
      torch.tensor([1, 2]).dtype, torch.tensor([1.0]).dtype)
f = torch.tensor(np.float32(2.5))
print(f.dtype, f.item(), float(f), int(torch.tensor(7)))
print(torch.tensor([True, False]).dtype, torch.tensor([[1, 2], [3, 4]]).float().mean().item())
print(np.asarray(torch.ones(2, 2)).sum(), torch.zeros(3).numpy().dtype)
b = torch.ones(3)
c = b.numpy()
b.mul_(2)
print(c.tolist())
print(torch.as_tensor([1.5, 2.5]).tolist(), torch.from_numpy(np.zeros((2, 2), dtype=np.int64)).dtype)
