"""A tiny 3-D CNN on synthetic 1x8x8x8 volumes (a ball or a box in noise), in the tutorials' idiom: Conv3d,
BatchNorm3d, MaxPool3d, AdaptiveAvgPool3d and Linear trained with Adam, then a look at the volumetric layers."""

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def make_volumes(n):
    """Class 0: a ball, class 1: a box, each at a random centre, in Gaussian noise."""
    grid = torch.arange(8, dtype=torch.float32)
    z, y, x = torch.meshgrid(grid, grid, grid, indexing="ij")
    labels = torch.randint(0, 2, (n,))
    centres = torch.randint(2, 6, (n, 3)).float()
    volumes = []
    for label, (cz, cy, cx) in zip(labels.tolist(), centres):
        if label == 0:
            shape = ((z - cz) ** 2 + (y - cy) ** 2 + (x - cx) ** 2 <= 4.0).float()
        else:
            shape = (((z - cz).abs() <= 1.5) & ((y - cy).abs() <= 1.5) & ((x - cx).abs() <= 1.5)).float()
        volumes.append(shape + 0.3 * torch.randn(8, 8, 8))
    return torch.stack(volumes).unsqueeze(1), labels


class VolumeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv3d(1, 8, kernel_size=3, padding=1, bias=False)  # BatchNorm3d adds the bias
        self.bn1 = nn.BatchNorm3d(8)
        self.pool = nn.MaxPool3d(2)
        self.conv2 = nn.Conv3d(8, 16, kernel_size=3, padding="same", padding_mode="replicate", bias=False)
        self.bn2 = nn.BatchNorm3d(16)
        self.gap = nn.AdaptiveAvgPool3d(1)
        self.fc = nn.Linear(16, 2)

    def forward(self, x):
        x = self.pool(F.relu(self.bn1(self.conv1(x))))
        x = F.relu(self.bn2(self.conv2(x)))
        return self.fc(torch.flatten(self.gap(x), 1))


volumes, labels = make_volumes(32)
print("data", volumes.shape, labels.tolist())
model = VolumeNet()
print(model)
print("parameters", sum(p.numel() for p in model.parameters()))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
criterion = nn.CrossEntropyLoss()
for step in range(12):
    optimizer.zero_grad()
    loss = criterion(model(volumes), labels)
    loss.backward()
    optimizer.step()
    print(f"step {step}: loss {loss.item():.4f}")

model.eval()
with torch.no_grad():
    test_x, test_y = make_volumes(16)
    predicted = model(test_x).argmax(dim=1)
    print("test accuracy", (predicted == test_y).float().mean().item())
    print("running mean", model.bn1.running_mean)

# --- the other volumetric layers ---
x = torch.randn(2, 3, 8, 9, 7, requires_grad=True)
conv = nn.Conv3d(3, 4, (3, 2, 3), stride=(1, 2, 1), dilation=(2, 1, 1), groups=1, bias=False)
y = conv(x)
print(y.shape, y.grad_fn.name())
pooled, indices = F.max_pool3d(y, 2, stride=2, ceil_mode=True, return_indices=True)
print(pooled.shape, indices[0, 0, 0], pooled.grad_fn.name())
restored = nn.MaxUnpool3d(2)(pooled, indices, output_size=y.shape[-3:])
print(restored.shape, (restored != 0).sum().item())
avg = F.avg_pool3d(y, 3, stride=2, padding=1, count_include_pad=False)
print(avg.shape, avg[1, 2, 0, 0])
print(F.adaptive_max_pool3d(y, (1, 2, 2))[0, 0].flatten())
deconv = nn.ConvTranspose3d(4, 2, 3, stride=2, padding=1, output_padding=1)
print(deconv(y).shape, deconv(y, output_size=(7, 8, 9)).shape)
print(F.interpolate(torch.arange(8.0).reshape(1, 1, 2, 2, 2), scale_factor=2, mode="nearest")[0, 0, 1])
print(nn.Dropout3d(0.5)(torch.ones(2, 3, 1, 1, 1)).flatten())
print(nn.InstanceNorm3d(4)(y).std(dim=(2, 3, 4), unbiased=False))
print(nn.ReplicationPad3d(1)(torch.ones(1, 1, 1, 1, 1)).shape, nn.ConstantPad3d((1, 0, 0, 1, 2, 0), 3.0)(y).shape)
(avg.sum() + pooled.pow(2).sum()).backward()
print("grad", x.grad.abs().sum().item() > 0, conv.weight.grad.shape, conv.weight.grad[0, 0, 0, 0])

# a gradient penalty through the 3-D convolution (create_graph)
inp = torch.randn(1, 3, 4, 4, 4, requires_grad=True)
out = nn.Conv3d(3, 2, 2)(inp)
(g,) = torch.autograd.grad(out.pow(2).sum(), inp, create_graph=True)
penalty = g.pow(2).sum()
penalty.backward()
print(f"penalty {penalty.item():.4f}", inp.grad.shape, f"{inp.grad.abs().sum().item():.4f}")
