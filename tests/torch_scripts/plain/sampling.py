"""Seeded sampling: multinomial, WeightedRandomSampler for class imbalance, random_split, randperm, bernoulli."""

import torch
from torch.utils.data import DataLoader, TensorDataset, WeightedRandomSampler, random_split

torch.manual_seed(0)
probs = torch.tensor([0.1, 0.2, 0.3, 0.4])
print(torch.multinomial(probs, 10, replacement=True).tolist())
print(torch.multinomial(probs, 4).tolist())
print(torch.multinomial(probs, 2, replacement=False).tolist())
batch = torch.tensor([[1.0, 0.0, 3.0], [0.5, 0.5, 0.0]])
print(torch.multinomial(batch, 5, replacement=True).tolist())
print(torch.multinomial(batch, 2).tolist())
g = torch.Generator().manual_seed(3)
print(torch.multinomial(torch.ones(20), 6, generator=g).tolist())
print(probs.multinomial(3, replacement=True).tolist(), torch.multinomial(torch.rand(50), 1).item())
big = torch.rand(40)
print(torch.multinomial(big, 30, replacement=True).tolist())
print(torch.multinomial(big, 8, replacement=False).tolist())

labels = torch.tensor([0] * 90 + [1] * 10)
features = torch.arange(100, dtype=torch.float32).unsqueeze(1)
class_counts = torch.bincount(labels)
weights = 1.0 / class_counts.float()
sample_weights = weights[labels]
sampler = WeightedRandomSampler(sample_weights, num_samples=len(sample_weights), replacement=True)
drawn = list(sampler)
print(len(sampler), sum(int(labels[i]) for i in drawn), drawn[:20])
loader = DataLoader(TensorDataset(features, labels), batch_size=25, sampler=sampler)
print([yb.sum().item() for _, yb in loader])
print(list(WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 5, replacement=False)))
print(list(WeightedRandomSampler([1, 2, 3], 6, generator=torch.Generator().manual_seed(11))))

train, val, test = random_split(range(20), [0.6, 0.2, 0.2], generator=torch.Generator().manual_seed(42))
print(list(train), list(val), list(test))
print(torch.randperm(8).tolist(), torch.bernoulli(torch.full((8,), 0.5)).tolist())
print(torch.randint(0, 10, (6,)).tolist(), torch.randint(5, (2, 2)).tolist(), torch.rand(2).tolist())
