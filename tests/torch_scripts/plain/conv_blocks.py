"""Image building blocks side by side: BatchNorm2d, GroupNorm, Dropout2d, ConvTranspose2d, Upsample, pooling."""

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
x = torch.randn(2, 3, 8, 8)

bn = nn.BatchNorm2d(3)
y = bn(x)
print(bool(y.mean(dim=(0, 2, 3)).abs().max() < 1e-5), bn.running_mean, bn.running_var, bn.num_batches_tracked)
bn.eval()
print(bn(x)[0, 0, 0])

gn = nn.GroupNorm(1, 3)
print(gn(x)[1, 2, 3])
print(nn.GroupNorm(3, 3, affine=False)(x).std(dim=(2, 3), unbiased=False))

drop = nn.Dropout2d(0.5)
z = drop(torch.ones(2, 4, 2, 2))
print(z[:, :, 0, 0])
drop.eval()
print(drop(torch.ones(1, 2, 1, 1)).flatten())

pool, idx = F.max_pool2d(x, 2, return_indices=True)
print(pool.shape, idx[0, 0])
print(F.max_pool2d(x, 3, stride=2, ceil_mode=True).shape)
print(F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False)[0, 0])
print(nn.AdaptiveAvgPool2d((3, 5))(x)[1, 1])
print(nn.AdaptiveMaxPool2d(3)(x)[0, 2])
print(nn.MaxPool1d(2)(x[:, :, 0]).shape, nn.AvgPool1d(3, stride=1)(x[:, :, 0])[0, 0])

up = nn.Upsample(scale_factor=2, mode="nearest")
print(up(x[:1, :1, :2, :2]))
print(F.interpolate(x[:1, :1, :3, :3], size=(5, 4), mode="bilinear", align_corners=False)[0, 0])
print(F.interpolate(x[:1, :1, :3, :3], scale_factor=2, mode="bilinear", align_corners=True)[0, 0, 1])

deconv = nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1, output_padding=1)
print(deconv(x).shape, deconv.weight.shape)
conv = nn.Conv2d(3, 4, 3, padding="same", padding_mode="reflect", bias=False)
print(conv(x).shape, conv.weight.sum())
print(nn.Conv1d(3, 2, 2, dilation=2, groups=1)(x[:, :, 0]).shape)
print(nn.Unflatten(1, (2, 4))(torch.arange(16.0).view(2, 8)).shape)

model = nn.Sequential(
    nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(8, 8, 3, padding=1, groups=2), nn.GroupNorm(2, 8), nn.ReLU(),
    nn.ConvTranspose2d(8, 4, 2, stride=2), nn.Conv2d(4, 3, 1),
)
opt = torch.optim.Adam(model.parameters(), lr=0.01)
for step in range(5):
    opt.zero_grad()
    loss = F.mse_loss(model(x), x)
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 6))
print(model[0].weight.grad.abs().sum())
