"""The 60-minute blitz's LeNet (neural networks tutorial), pooling written as a mean over 2x2 blocks, then SGD steps
on a few random images: Conv2d's default weights, forward, backward into conv1.bias, and training."""

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim


def pool(x):
    """2x2 average pooling by reshaping (the tutorial's max_pool2d belongs to the pooling layers)."""
    n, c, h, w = x.shape
    return x.reshape(n, c, h // 2, 2, w // 2, 2).mean((3, 5))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        # 1 input image channel, 6 output channels, 5x5 square convolution kernel
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, input):
        c1 = F.relu(self.conv1(input))
        s2 = pool(c1)
        c3 = F.relu(self.conv2(s2))
        s4 = pool(c3)
        s4 = torch.flatten(s4, 1)
        f5 = F.relu(self.fc1(s4))
        f6 = F.relu(self.fc2(f5))
        return self.fc3(f6)


torch.manual_seed(0)
net = Net()
print(net)
params = list(net.parameters())
print(len(params))
print(params[0].size())
print(net.conv1.weight.detach()[0, 0, 0])
print(net.conv2.bias[:4])

input = torch.randn(1, 1, 32, 32)
out = net(input)
print(out)
net.zero_grad()
out.backward(torch.randn(1, 10))

output = net(input)
target = torch.randn(10)
target = target.view(1, -1)
criterion = nn.MSELoss()
loss = criterion(output, target)
print(loss)
print(loss.grad_fn)
print(loss.grad_fn.next_functions[0][0])

net.zero_grad()
print("conv1.bias.grad before backward")
print(net.conv1.bias.grad)
loss.backward()
print("conv1.bias.grad after backward")
print(net.conv1.bias.grad)

learning_rate = 0.01
for f in net.parameters():
    f.data.sub_(f.grad.data * learning_rate)

images = torch.randn(8, 1, 32, 32)
labels = torch.randint(0, 10, (8,))
optimizer = optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
for step in range(10):
    optimizer.zero_grad()
    loss = F.cross_entropy(net(images), labels)
    loss.backward()
    optimizer.step()
    print(step, round(loss.item(), 4))
print((net(images).argmax(1) == labels).sum().item(), "of 8 right")
