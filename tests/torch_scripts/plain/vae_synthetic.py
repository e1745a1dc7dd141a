"""A variational autoencoder on synthetic binary patterns: an encoder giving mu and logvar, the
reparameterisation trick with randn_like, BCE + KL loss summed per batch, and sampling/interpolating."""

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
prototypes = (torch.rand(4, 36) > 0.5).float()
labels = torch.randint(0, 4, (256,))
flip = (torch.rand(256, 36) < 0.05).float()
images = (prototypes[labels] + flip) % 2
loader = DataLoader(TensorDataset(images, labels), batch_size=32, shuffle=True)


class VAE(nn.Module):
    def __init__(self, d=36, h=24, z=2):
        super().__init__()
        self.fc1 = nn.Linear(d, h)
        self.fc21 = nn.Linear(h, z)
        self.fc22 = nn.Linear(h, z)
        self.fc3 = nn.Linear(z, h)
        self.fc4 = nn.Linear(h, d)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def decode(self, z):
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z))))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 36))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


def loss_function(recon_x, x, mu, logvar):
    bce = F.binary_cross_entropy(recon_x, x.view(-1, 36), reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld, kld


model = VAE()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
for epoch in range(1, 9):
    model.train()
    train_loss = kl_total = 0
    for batch_idx, (data, _) in enumerate(loader):
        optimizer.zero_grad()
        recon_batch, mu, logvar = model(data)
        loss, kld = loss_function(recon_batch, data, mu, logvar)
        loss.backward()
        train_loss += loss.item()
        kl_total += kld.item()
        optimizer.step()
    print(f"====> Epoch: {epoch} Average loss: {train_loss / len(loader.dataset):.4f} KL {kl_total / 256:.4f}")

model.eval()
with torch.no_grad():
    mu, logvar = model.encode(images)
    centers = torch.stack([mu[labels == k].mean(0) for k in range(4)])
    print("latent centers\n", centers)
    print("posterior std", torch.exp(0.5 * logvar).mean(0))
    sample = model.decode(torch.randn(3, 2))
    print("samples", sample.shape, (sample > 0.5).sum(1))
    alphas = torch.linspace(0, 1, 5).unsqueeze(1)
    path = model.decode(centers[0] * (1 - alphas) + centers[1] * alphas)
    print("interpolation dist to proto 1", (path.round() - prototypes[1]).abs().sum(1))
    recon = model(images[:8])[0].round()
    print("reconstruction errors", (recon != images[:8]).sum(1))
