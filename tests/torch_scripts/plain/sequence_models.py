"""Sequence models as tutorials write them: an LSTM forecasting a sine wave, a GRU over packed variable-length
sequences, and a small Transformer encoder classifying sequences by their sum's sign."""

import math

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

torch.manual_seed(0)

# an LSTM that predicts the next value of a sine wave
t = torch.linspace(0, 8 * math.pi, 240)
wave = torch.sin(t).unsqueeze(-1)
windows = torch.stack([wave[i:i + 20] for i in range(0, 200, 5)])  # (40, 20, 1)
targets = torch.stack([wave[i + 20] for i in range(0, 200, 5)])


class Forecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(1, 16, num_layers=2, batch_first=True)
        self.head = nn.Linear(16, 1)

    def forward(self, x):
        out, (h, c) = self.lstm(x)
        return self.head(out[:, -1])


model = Forecaster()
print(model.lstm, sum(p.numel() for p in model.parameters()))
opt = torch.optim.Adam(model.parameters(), lr=0.01)
for epoch in range(40):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(windows), targets)
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    if epoch % 10 == 0:
        print("lstm", epoch, f"{loss.item():.5f}")

# a GRU over sequences of different lengths, packed
lengths = torch.tensor([7, 3, 5, 2])
seqs = [torch.randn(int(n), 3) for n in lengths]
padded = pad_sequence(seqs, batch_first=True)
gru = nn.GRU(3, 6, batch_first=True, bidirectional=True)
packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
out, h = gru(packed)
unpacked, out_lengths = pad_packed_sequence(out, batch_first=True)
print("gru", tuple(unpacked.shape), out_lengths.tolist(), tuple(h.shape), f"{h.abs().sum().item():.4f}")
print("padding stays zero", unpacked[1, 3:].abs().sum().item())

# a Transformer encoder that tells whether a sequence sums to more than zero
x = torch.randn(64, 10, 8)
y = (x.sum(dim=(1, 2)) > 0).long()
layer = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=32, dropout=0.0, batch_first=True)
encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
classify = nn.Linear(8, 2)
params = list(encoder.parameters()) + list(classify.parameters())
opt = torch.optim.AdamW(params, lr=0.005)
for epoch in range(30):
    opt.zero_grad()
    logits = classify(encoder(x).mean(dim=1))
    loss = nn.functional.cross_entropy(logits, y)
    loss.backward()
    opt.step()
    if epoch % 10 == 0:
        print("transformer", epoch, f"{loss.item():.4f}")
print("accuracy", (logits.argmax(1) == y).float().mean().item())
mask = nn.Transformer.generate_square_subsequent_mask(3)
print(mask)
