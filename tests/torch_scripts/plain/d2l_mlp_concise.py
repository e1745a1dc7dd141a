"""d2l: concise MLP (nn.Sequential(Flatten, Linear, ReLU, Linear), net.apply(init_weights), SGD)."""

import torch
from torch import nn
from torch.utils import data

torch.manual_seed(2)
X = torch.rand(400, 2) * 4 - 2
y = ((X[:, 0] ** 2 + X[:, 1] ** 2) < 1.5).long() + (X[:, 0] > 1).long()
print(torch.bincount(y).tolist())
loader = data.DataLoader(data.TensorDataset(X, y), batch_size=25, shuffle=True)

net = nn.Sequential(nn.Flatten(),
                    nn.Linear(2, 64),
                    nn.ReLU(),
                    nn.Linear(64, 3))


def init_weights(m):
    if type(m) == nn.Linear:  # noqa: E721
        nn.init.normal_(m.weight, std=0.01)


net.apply(init_weights)
batch_size, lr, num_epochs = 25, 0.1, 10
loss = nn.CrossEntropyLoss(reduction='none')
trainer = torch.optim.SGD(net.parameters(), lr=lr)

for epoch in range(num_epochs):
    total, correct, loss_sum = 0, 0, 0.0
    for xb, yb in loader:
        out = net(xb)
        l = loss(out, yb)  # noqa: E741
        trainer.zero_grad()
        l.mean().backward()
        trainer.step()
        loss_sum += l.sum().item()
        _, predicted = torch.max(out, 1)
        correct += predicted.eq(yb).sum().item()
        total += yb.size(0)
    if epoch % 3 == 2 or epoch == num_epochs - 1:
        print(f'epoch {epoch + 1}: loss {loss_sum / total:.5f}, acc {correct / total:.4f}')

print([name for name, _ in net.named_parameters()])
print(net[1].weight.shape, net[3].bias.shape)
