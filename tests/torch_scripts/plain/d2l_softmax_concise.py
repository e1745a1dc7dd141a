"""d2l: concise softmax regression with nn.Flatten, init_weights via net.apply, CrossEntropyLoss(reduction='none')."""

import torch
from torch import nn
from torch.utils import data

torch.manual_seed(1)
num_classes, side = 10, 6
prototypes = torch.rand(num_classes, 1, side, side)
train_y = torch.randint(0, num_classes, (600,))
train_x = prototypes[train_y] + 0.3 * torch.randn(600, 1, side, side)
test_y = torch.randint(0, num_classes, (200,))
test_x = prototypes[test_y] + 0.3 * torch.randn(200, 1, side, side)

batch_size = 32
train_iter = data.DataLoader(data.TensorDataset(train_x, train_y), batch_size, shuffle=True)
test_iter = data.DataLoader(data.TensorDataset(test_x, test_y), batch_size, shuffle=False)

net = nn.Sequential(nn.Flatten(), nn.Linear(side * side, num_classes))


def init_weights(m):
    if type(m) == nn.Linear:  # noqa: E721
        nn.init.normal_(m.weight, std=0.01)


net.apply(init_weights)
loss = nn.CrossEntropyLoss(reduction='none')
trainer = torch.optim.SGD(net.parameters(), lr=0.1)


class Accumulator:
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def __getitem__(self, idx):
        return self.data[idx]


def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


def evaluate_accuracy(net, data_iter):
    if isinstance(net, torch.nn.Module):
        net.eval()
    metric = Accumulator(2)
    with torch.no_grad():
        for X, y in data_iter:
            metric.add(accuracy(net(X), y), y.numel())
    return metric[0] / metric[1]


def train_epoch(net, train_iter, loss, updater):
    if isinstance(net, torch.nn.Module):
        net.train()
    metric = Accumulator(3)
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)  # noqa: E741
        updater.zero_grad()
        l.mean().backward()
        updater.step()
        metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
    return metric[0] / metric[2], metric[1] / metric[2]


for epoch in range(5):
    train_loss, train_acc = train_epoch(net, train_iter, loss, trainer)
    test_acc = evaluate_accuracy(net, test_iter)
    print(f'epoch {epoch + 1}: loss {train_loss:.5f}, train acc {train_acc:.4f}, test acc {test_acc:.4f}')
