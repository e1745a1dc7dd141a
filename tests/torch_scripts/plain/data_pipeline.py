"""Data pipelines: a map-style Dataset of variable-length sequences, a collate_fn that pads and sorts,
random_split with a seeded generator, samplers (SubsetRandomSampler, BatchSampler, a custom bucketing
sampler), an IterableDataset, and a DataLoader with drop_last and its own generator."""

import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import (
    BatchSampler,
    DataLoader,
    Dataset,
    IterableDataset,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    random_split,
)

torch.manual_seed(0)


class SeqDataset(Dataset):
    def __init__(self, n):
        self.lengths = torch.randint(2, 9, (n,))
        self.items = [torch.randint(1, 20, (int(k),)) for k in self.lengths]
        self.labels = torch.tensor([int(s.sum()) % 2 for s in self.items])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, idx):
        return {"tokens": self.items[idx], "label": self.labels[idx], "idx": idx}


def collate(batch):
    batch = sorted(batch, key=lambda b: len(b["tokens"]), reverse=True)
    tokens = pad_sequence([b["tokens"] for b in batch], batch_first=True, padding_value=0)
    lengths = torch.tensor([len(b["tokens"]) for b in batch])
    return tokens, lengths, torch.stack([b["label"] for b in batch]), [b["idx"] for b in batch]


class BucketSampler(Sampler):
    def __init__(self, lengths, batch_size):
        self.lengths, self.batch_size = lengths, batch_size

    def __iter__(self):
        order = torch.argsort(self.lengths, stable=True).tolist()
        batches = [order[i:i + self.batch_size] for i in range(0, len(order), self.batch_size)]
        for j in torch.randperm(len(batches)).tolist():
            yield batches[j]

    def __len__(self):
        return (len(self.lengths) + self.batch_size - 1) // self.batch_size


ds = SeqDataset(23)
print(len(ds), ds[0])
train, val = random_split(ds, [0.75, 0.25], generator=torch.Generator().manual_seed(42))
print("split", len(train), len(val), val.indices[:5])
loader = DataLoader(train, batch_size=4, shuffle=True, collate_fn=collate, drop_last=True,
                    generator=torch.Generator().manual_seed(1))
print("batches", len(loader))
for tokens, lengths, labels, idx in loader:
    print(tuple(tokens.shape), lengths.tolist(), labels.tolist(), idx)
print(next(iter(DataLoader(val, batch_size=3, collate_fn=collate)))[0])
print(list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False)))
print(list(BatchSampler(RandomSampler(range(7)), batch_size=3, drop_last=True)))
print(list(SubsetRandomSampler([10, 11, 12, 13])))
print(list(RandomSampler(range(10), replacement=True, num_samples=5)))
bucket = DataLoader(ds, batch_sampler=BucketSampler(ds.lengths, 5), collate_fn=collate)
print("buckets", [lengths.tolist() for _, lengths, _, _ in bucket])
default = DataLoader(ds, batch_size=2)
first = next(iter(DataLoader(torch.utils.data.Subset(ds, [0, 0]), batch_size=2)))
print("default collate", first["tokens"].shape, first["label"], first["idx"])


class Counter(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        for i in range(self.n):
            yield torch.tensor([i, i * i]), i % 3


print([(x.tolist(), y.tolist()) for x, y in DataLoader(Counter(7), batch_size=3)])
print(len(default), sum(len(b[3]) for b in DataLoader(ds, batch_size=2, collate_fn=collate)))
try:
    next(iter(default))
except RuntimeError as e:
    print("default collate cannot stack:", e)
