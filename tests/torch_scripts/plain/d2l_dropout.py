"""d2l: dropout from scratch (a bernoulli mask) and concise (nn.Dropout in train and eval modes)."""

import torch
from torch import nn
from torch.utils import data


def dropout_layer(X, dropout):
    assert 0 <= dropout <= 1
    if dropout == 1:
        return torch.zeros_like(X)
    if dropout == 0:
        return X
    mask = (torch.rand(X.shape) > dropout).float()
    return mask * X / (1.0 - dropout)


torch.manual_seed(4)
X = torch.arange(16, dtype=torch.float32).reshape((2, 8))
print(X.tolist())
print(dropout_layer(X, 0.).tolist())
print(dropout_layer(X, 0.5).tolist())
print(dropout_layer(X, 1.).tolist())

drop = nn.Dropout(0.5)
print(drop(X).tolist())
drop.eval()
print(drop(X).tolist(), drop.training)

features = torch.randn(300, 10)
labels = (features[:, :3].sum(1) > 0).long()
train_iter = data.DataLoader(data.TensorDataset(features, labels), batch_size=30, shuffle=True)
dropout1, dropout2 = 0.2, 0.5
net = nn.Sequential(nn.Flatten(),
                    nn.Linear(10, 32),
                    nn.ReLU(),
                    nn.Dropout(dropout1),
                    nn.Linear(32, 32),
                    nn.ReLU(),
                    nn.Dropout(dropout2),
                    nn.Linear(32, 2))


def init_weights(m):
    if type(m) == nn.Linear:  # noqa: E721
        nn.init.normal_(m.weight, std=0.01)


net.apply(init_weights)
trainer = torch.optim.SGD(net.parameters(), lr=0.5)
loss = nn.CrossEntropyLoss()
for epoch in range(10):
    net.train()
    for xb, yb in train_iter:
        trainer.zero_grad()
        l = loss(net(xb), yb)  # noqa: E741
        l.backward()
        trainer.step()
    net.eval()
    with torch.no_grad():
        acc = (net(features).argmax(dim=1) == labels).float().mean().item()
    if epoch % 3 == 0:
        print(epoch, f'{l.item():.5f}', f'{acc:.4f}')
