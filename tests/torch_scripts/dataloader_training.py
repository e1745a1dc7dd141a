"""A PyTorch training loop over a TensorDataset through a shuffling DataLoader."""

import trainer as torch
from trainer import nn
from trainer.utils.data import DataLoader, TensorDataset, random_split

torch.manual_seed(0)
x = torch.randn(256, 3)
y = x @ torch.tensor([[0.2], [-1.3], [-0.5]]) + 0.1 * torch.randn(256, 1)
train_set, val_set = random_split(TensorDataset(x, y), [0.75, 0.25])
train_loader = DataLoader(train_set, batch_size=32, shuffle=True, num_workers=2)
val_loader = DataLoader(val_set, batch_size=64)

model = nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = nn.MSELoss()

for _epoch in range(30):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        val_loss = sum(loss_fn(model(xb), yb).item() * len(xb) for xb, yb in val_loader) / len(val_set)

print(f"batches per epoch: {len(train_loader)}")
print(f"val loss below 0.05: {val_loss < 0.05}")
