"""Idioms of many public training scripts: seeding everything, cudnn flags, the device check, the legacy tensor
types, a Dataset of dicts with a collate_fn, `model.apply(weights_init)`, label smoothing, gradient accumulation,
ReduceLROnPlateau, knowledge distillation with kl_div, accuracy with torch.max, one_hot, a checkpoint dict saved
and loaded, set_printoptions, Variable, finfo/iinfo."""

import os
import random
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

seed = 3
random.seed(seed)
np.random.seed(seed)
torch.manual_seed(seed)
torch.cuda.manual_seed_all(seed)
torch.backends.cudnn.deterministic = True
torch.backends.cudnn.benchmark = False
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(device, torch.__version__[:1].isdigit())

a = torch.Tensor(2, 3).zero_()
print(a, a.type())
b = torch.FloatTensor([1, 2, 3])
c = torch.LongTensor([1, 2])
print(b.type(), c.dtype, b.type(torch.DoubleTensor).dtype)
print(torch.tensor([1.5, 2.5]).type(torch.IntTensor))
print(isinstance(b, torch.FloatTensor), torch.is_tensor(b))


class Pairs(Dataset):
    def __init__(self, n):
        self.x = torch.randn(n, 5)
        self.y = (self.x.sum(1) > 0).long()

    def __len__(self):
        return len(self.x)

    def __getitem__(self, idx):
        return {"x": self.x[idx], "y": self.y[idx], "id": idx}


def collate(batch):
    return {"x": torch.stack([b["x"] for b in batch]), "y": torch.tensor([b["y"] for b in batch]),
            "id": [b["id"] for b in batch]}


def weights_init(m):
    classname = m.__class__.__name__
    if classname.find('Linear') != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
        nn.init.constant_(m.bias.data, 0)
    elif classname.find('BatchNorm') != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)


teacher = nn.Sequential(nn.Linear(5, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 2)).to(device)
student = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 2))
teacher.apply(weights_init)
loader = DataLoader(Pairs(64), batch_size=16, shuffle=True, collate_fn=collate, drop_last=True)
d2 = DataLoader(Pairs(10), batch_size=4)
for batch in d2:
    print(type(batch).__name__, sorted(batch), batch["x"].shape, batch["id"])
    break
opt_t = torch.optim.SGD(teacher.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt_t, 'min', patience=0, factor=0.5)
crit = nn.CrossEntropyLoss(label_smoothing=0.1)
accum = 2
for epoch in range(3):
    teacher.train()
    running = 0.0
    for i, batch in enumerate(loader):
        x, y = batch["x"].to(device), batch["y"].to(device)
        loss = crit(teacher(x), y) / accum
        loss.backward()
        if (i + 1) % accum == 0:
            opt_t.step()
            opt_t.zero_grad()
        running += loss.item()
    sched.step(running)
    print(f"epoch {epoch} loss {running:.4f} lr {opt_t.param_groups[0]['lr']}")

T = 2.0
opt_s = torch.optim.Adam(student.parameters(), lr=1e-2)
teacher.eval()
for epoch in range(2):
    correct, total = 0, 0
    for batch in loader:
        x, y = batch["x"], batch["y"]
        with torch.no_grad():
            t_logits = teacher(x)
        s_logits = student(x)
        kd = F.kl_div(F.log_softmax(s_logits / T, dim=1), F.softmax(t_logits / T, dim=1), reduction='batchmean') * T * T
        loss = 0.5 * kd + 0.5 * F.cross_entropy(s_logits, y)
        opt_s.zero_grad()
        loss.backward()
        opt_s.step()
        _, predicted = torch.max(s_logits.data, 1)
        total += y.size(0)
        correct += (predicted == y).sum().item()
    print('student acc %d %%' % (100 * correct / total), round(loss.item(), 5))

with torch.autocast(device_type="cpu", enabled=False):
    out = student(torch.randn(3, 5))
print(out.dtype)
oh = F.one_hot(torch.tensor([0, 2, 1]), num_classes=3)
print(oh, oh.argmax(dim=1), torch.argmax(oh, 1).tolist())
path = os.path.join(tempfile.mkdtemp(), 'ckpt.pt')
torch.save({'epoch': 3, 'model_state_dict': student.state_dict(), 'optimizer_state_dict': opt_s.state_dict(),
            'loss': loss}, path)
ck = torch.load(path, map_location='cpu')
student2 = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 2))
print(student2.load_state_dict(ck['model_state_dict']))
opt2 = torch.optim.Adam(student2.parameters())
opt2.load_state_dict(ck['optimizer_state_dict'])
print(ck['epoch'], ck['loss'], opt2.param_groups[0]['lr'], opt2.state_dict()['state'][0]['step'])
torch.set_printoptions(precision=3)
print(torch.randn(2, 3))
x = torch.autograd.Variable(torch.ones(2), requires_grad=True)
y = (x * 3).sum()
y.backward()
print(x.grad.data.numpy().tolist())
print(torch.randn(2, 2).numpy().dtype, torch.randint(0, 10, (3,)).numpy().dtype)
print(torch.cat([torch.zeros(1, 2), torch.ones(1, 2)]).mean(dim=0, keepdim=True))
m = torch.nn.Module()
print(m.training, sum(p.numel() for p in student.parameters() if p.requires_grad))
print(torch.finfo(torch.float32).eps, torch.iinfo(torch.int64).max)
