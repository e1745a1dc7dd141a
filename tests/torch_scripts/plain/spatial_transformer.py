"""The spatial transformer networks tutorial's model on small synthetic images: a localization network regresses
an affine theta (started at the identity), F.affine_grid and F.grid_sample warp the input, a LeNet classifies it;
a few SGD steps, then the learnt theta and the warped images, and the other sampling modes."""

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

torch.manual_seed(0)


def make_batch(n):
    """28x28 images of a horizontal (label 0) or vertical (label 1) bar at a random place, plus noise."""
    images = torch.rand(n, 1, 28, 28) * 0.1
    labels = torch.randint(0, 2, (n,))
    starts = torch.randint(4, 18, (n, 2))
    for i in range(n):
        r, c = starts[i].tolist()
        if labels[i] == 0:
            images[i, 0, r:r + 3, c:c + 10] += 1.0
        else:
            images[i, 0, r:r + 10, c:c + 3] += 1.0
    return images, labels


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.conv2_drop = nn.Dropout2d()
        self.fc1 = nn.Linear(320, 50)
        self.fc2 = nn.Linear(50, 10)

        # Spatial transformer localization-network
        self.localization = nn.Sequential(
            nn.Conv2d(1, 8, kernel_size=7),
            nn.MaxPool2d(2, stride=2),
            nn.ReLU(True),
            nn.Conv2d(8, 10, kernel_size=5),
            nn.MaxPool2d(2, stride=2),
            nn.ReLU(True)
        )

        # Regressor for the 3 * 2 affine matrix
        self.fc_loc = nn.Sequential(
            nn.Linear(10 * 3 * 3, 32),
            nn.ReLU(True),
            nn.Linear(32, 3 * 2)
        )

        # Initialize the weights/bias with identity transformation
        self.fc_loc[2].weight.data.zero_()
        self.fc_loc[2].bias.data.copy_(torch.tensor([1, 0, 0, 0, 1, 0], dtype=torch.float))

    # Spatial transformer network forward function
    def stn(self, x):
        xs = self.localization(x)
        xs = xs.view(-1, 10 * 3 * 3)
        theta = self.fc_loc(xs)
        theta = theta.view(-1, 2, 3)

        grid = F.affine_grid(theta, x.size(), align_corners=False)
        x = F.grid_sample(x, grid, align_corners=False)
        return x, theta

    def forward(self, x):
        # transform the input
        x, _ = self.stn(x)

        # Perform the usual forward pass
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))
        x = x.view(-1, 320)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, training=self.training)
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)


model = Net()
optimizer = optim.SGD(model.parameters(), lr=0.05)
print(model.fc_loc)

model.train()
for step in range(6):
    data, target = make_batch(16)
    optimizer.zero_grad()
    output = model(data)
    loss = F.nll_loss(output, target)
    loss.backward()
    optimizer.step()
    print(f"step {step}: loss {loss.item():.5f}")
    if step == 0:
        print("grad of the theta bias:", [round(v, 5) for v in model.fc_loc[2].bias.grad.tolist()])

model.eval()
with torch.no_grad():
    data, target = make_batch(4)
    warped, theta = model.stn(data)
    print("theta bias:", [round(v, 4) for v in model.fc_loc[2].bias.tolist()])
    print("theta[0]:", [[round(v, 3) for v in row] for row in theta[0].tolist()])
    print("warped:", tuple(warped.shape), f"{warped.sum().item():.3f}", f"{data.sum().item():.3f}")
    print("accuracy:", (model(data).argmax(dim=1) == target).float().mean().item())

# a fixed rotation and zoom sampled with every mode and padding, and a volume warped by a 3-d affine grid
angle = torch.tensor(0.3)
rotate = torch.stack([torch.stack([angle.cos(), -angle.sin(), torch.tensor(0.1)]),
                      torch.stack([angle.sin(), angle.cos(), torch.tensor(-0.2)])]).unsqueeze(0) * 1.2
image = data[:1]
for align_corners in (False, True):
    grid = F.affine_grid(rotate, image.size(), align_corners=align_corners)
    for mode in ("bilinear", "nearest", "bicubic"):
        sums = []
        for padding_mode in ("zeros", "border", "reflection"):
            out = F.grid_sample(image, grid, mode=mode, padding_mode=padding_mode, align_corners=align_corners)
            sums.append(round(out.sum().item(), 3))
        print(f"align_corners={align_corners} {mode}: {sums}")

theta3 = torch.tensor([[[0.9, 0.1, 0.0, 0.05], [0.0, 1.1, 0.1, 0.0], [0.1, 0.0, 0.8, -0.1]]], requires_grad=True)
volume = torch.rand(1, 2, 5, 6, 7)
grid3 = F.affine_grid(theta3, (1, 2, 4, 5, 6), align_corners=False)
warped3 = F.grid_sample(volume, grid3, padding_mode="border", align_corners=False)
warped3.square().mean().backward()
print("volume:", tuple(warped3.shape), f"{warped3.mean().item():.5f}", warped3.grad_fn.name())
print("theta3 grad:", [[round(v, 4) for v in row] for row in theta3.grad[0].tolist()])
