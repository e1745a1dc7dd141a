"""A classifier with BatchNorm1d, Dropout and in-place ReLU on `device`, train()/eval(), accuracy the usual ways."""

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset, random_split

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
n = 600
X = torch.randn(n, 8)
w = torch.randn(8, 3)
y = torch.argmax(X @ w + 0.3 * torch.randn(n, 3), dim=1)
dataset = TensorDataset(X, y)
train_set, test_set = random_split(dataset, [500, 100])
print(len(dataset), len(train_set), len(test_set))
train_loader = DataLoader(train_set, batch_size=50, shuffle=True)
test_loader = DataLoader(test_set, batch_size=50)


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 32)
        self.bn1 = nn.BatchNorm1d(32)
        self.relu = nn.ReLU(inplace=True)
        self.drop = nn.Dropout(0.1)
        self.fc2 = nn.Linear(32, 32)
        self.fc3 = nn.Linear(32, 3)

    def forward(self, x):
        x = self.drop(self.relu(self.bn1(self.fc1(x))))
        x = F.relu(self.fc2(x), inplace=True)
        return self.fc3(x)


model = Classifier().to(device)
print(model)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
criterion = nn.CrossEntropyLoss()

for epoch in range(8):
    model.train()
    running = 0.0
    for i, (inputs, labels) in enumerate(train_loader):
        inputs, labels = inputs.to(device), labels.to(device)
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        running += loss.item()
    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for inputs, labels in test_loader:
            outputs = model(inputs)
            _, predicted = torch.max(outputs, 1)
            total += labels.size(0)
            correct += predicted.eq(labels).sum().item()
            acc_mean = (outputs.argmax(dim=1) == labels).float().mean().item()
    print(f"epoch {epoch}: loss {running / (i + 1):.5f} acc {100 * correct / total:.1f}% last batch {acc_mean:.2f}")

print(model.bn1.num_batches_tracked.item(), f"{model.bn1.running_mean.sum().item():.6f}",
      f"{model.bn1.running_var.mean().item():.6f}")
print(list(model.state_dict().keys()))
print(model.training, model.bn1.training)
model.train()
print(model.training, model.drop.training)
