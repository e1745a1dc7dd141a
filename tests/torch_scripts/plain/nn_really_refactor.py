"""What is torch.nn really, part two: nn.Module, nn.Linear, optim, TensorDataset, DataLoader, fit()."""

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset

rng = np.random.default_rng(0)
centres = rng.normal(size=(10, 20)).astype(np.float32)
labels = rng.integers(0, 10, size=600)
features = (centres[labels] + rng.normal(size=(600, 20))).astype(np.float32)

x_train, y_train, x_valid, y_valid = map(
    torch.tensor, (features[:500], labels[:500], features[500:], labels[500:]))
print(x_train.shape, y_train.dtype, x_valid.dtype)

torch.manual_seed(0)
loss_func = F.cross_entropy
bs = 64
lr = 0.1


class LogisticRegression(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(20, 10)

    def forward(self, xb):
        return self.lin(xb)


def get_model():
    model = LogisticRegression()
    return model, optim.SGD(model.parameters(), lr=lr, momentum=0.9)


def get_data(train_ds, valid_ds, bs):
    return (
        DataLoader(train_ds, batch_size=bs, shuffle=True),
        DataLoader(valid_ds, batch_size=bs * 2),
    )


def loss_batch(model, loss_func, xb, yb, opt=None):
    loss = loss_func(model(xb), yb)
    if opt is not None:
        loss.backward()
        opt.step()
        opt.zero_grad()
    return loss.item(), len(xb)


def fit(epochs, model, loss_func, opt, train_dl, valid_dl):
    for epoch in range(epochs):
        model.train()
        for xb, yb in train_dl:
            loss_batch(model, loss_func, xb, yb, opt)

        model.eval()
        with torch.no_grad():
            losses, nums = zip(
                *[loss_batch(model, loss_func, xb, yb) for xb, yb in valid_dl]
            )
        val_loss = np.sum(np.multiply(losses, nums)) / np.sum(nums)
        print(epoch, f"{val_loss:.6f}")


train_ds = TensorDataset(x_train, y_train)
valid_ds = TensorDataset(x_valid, y_valid)
print(len(train_ds), len(train_ds[0]), train_ds[3][1].item())
train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
model, opt = get_model()
print(model)
fit(5, model, loss_func, opt, train_dl, valid_dl)

correct = 0
with torch.no_grad():
    for xb, yb in valid_dl:
        correct += (model(xb).argmax(dim=1) == yb).sum().item()
print("valid accuracy", correct / len(valid_ds))

seq = nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 10))
opt = optim.SGD(seq.parameters(), lr=lr, momentum=0.9)
fit(3, seq, loss_func, opt, train_dl, valid_dl)
