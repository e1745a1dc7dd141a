"""What is torch.nn really, part one: logistic regression from scratch on synthetic digits."""

import math

import torch

torch.manual_seed(0)
n, d, classes = 500, 64, 10
centres = torch.randn(classes, d) * 2
y_train = torch.randint(0, classes, (n,))
x_train = centres[y_train] + torch.randn(n, d)
n, c = x_train.shape
print(n, c, y_train.min().item(), y_train.max().item())

weights = torch.randn(d, classes) / math.sqrt(d)
weights.requires_grad_()
bias = torch.zeros(classes, requires_grad=True)


def log_softmax(x):
    return x - x.exp().sum(-1).log().unsqueeze(-1)


def model(xb):
    return log_softmax(xb @ weights + bias)


bs = 64
xb = x_train[0:bs]
preds = model(xb)
print(preds[0].shape, preds.shape)


def nll(input, target):
    return -input[range(target.shape[0]), target].mean()


loss_func = nll
yb = y_train[0:bs]
print(f"{loss_func(preds, yb).item():.6f}")


def accuracy(out, yb):
    preds = torch.argmax(out, dim=1)
    return (preds == yb).float().mean()


print(f"{accuracy(preds, yb).item():.6f}")

lr = 0.5
epochs = 2
for epoch in range(epochs):
    for i in range((n - 1) // bs + 1):
        start_i = i * bs
        end_i = start_i + bs
        xb = x_train[start_i:end_i]
        yb = y_train[start_i:end_i]
        pred = model(xb)
        loss = loss_func(pred, yb)
        loss.backward()
        with torch.no_grad():
            weights -= weights.grad * lr
            bias -= bias.grad * lr
            weights.grad.zero_()
            bias.grad.zero_()
    print(epoch, f"{loss_func(model(xb), yb).item():.6f}", f"{accuracy(model(xb), yb).item():.6f}")

import torch.nn.functional as F  # noqa: E402

loss_func = F.cross_entropy


def model2(xb):
    return xb @ weights + bias


print(f"{loss_func(model2(xb), yb).item():.6f}", f"{accuracy(model2(xb), yb).item():.6f}")
print(torch.allclose(F.cross_entropy(model2(xb), yb), nll(log_softmax(model2(xb)), yb)))
