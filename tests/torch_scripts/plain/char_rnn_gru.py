"""A char-RNN language model: nn.Embedding + a 2-layer nn.GRU, truncated BPTT with detached hidden states,
gradient clipping by norm and by value, perplexity, and temperature sampling with multinomial."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
text = "hello world, hello torch. the quick brown fox jumps over the lazy dog. " * 4
chars = sorted(set(text))
stoi = {ch: i for i, ch in enumerate(chars)}
itos = {i: ch for ch, i in stoi.items()}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
print("vocab", len(chars), "tokens", data.shape, data[:10])


class CharGRU(nn.Module):
    def __init__(self, vocab, emb=16, hidden=32, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, emb)
        self.gru = nn.GRU(emb, hidden, num_layers=layers, batch_first=True, dropout=0.1)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, x, h=None):
        out, h = self.gru(self.embed(x), h)
        return self.out(out), h


model = CharGRU(len(chars))
print(model)
print([k for k in model.state_dict().keys()][:6])
opt = torch.optim.Adam(model.parameters(), lr=0.01)
seq_len, batch = 16, 4
n = (len(data) - 1) // (seq_len * batch) * seq_len * batch
inputs = data[:n].view(batch, -1)
targets = data[1:n + 1].view(batch, -1)
for epoch in range(6):
    model.train()
    h = None
    total = 0.0
    for i in range(0, inputs.size(1), seq_len):
        x, y = inputs[:, i:i + seq_len], targets[:, i:i + seq_len]
        if h is not None:
            h = h.detach()
        logits, h = model(x, h)
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        nn.utils.clip_grad_value_(model.parameters(), clip_value=0.5)
        opt.step()
        total += loss.item()
    steps = inputs.size(1) // seq_len
    print(f"epoch {epoch} loss {total / steps:.4f} ppl {math.exp(total / steps):.3f} norm {norm.item():.4f}")

model.eval()
with torch.no_grad():
    logits, h = model(inputs)
    loss = F.cross_entropy(logits.transpose(1, 2), targets)
    print("eval loss", f"{loss.item():.4f}", "h", tuple(h.shape))
    for temperature in (0.5, 1.0):
        torch.manual_seed(1)
        idx = torch.tensor([[stoi["h"]]])
        h = None
        out = ["h"]
        for _ in range(30):
            logits, h = model(idx, h)
            probs = F.softmax(logits[:, -1] / temperature, dim=-1)
            idx = torch.multinomial(probs, num_samples=1)
            out.append(itos[idx.item()])
        print(f"T={temperature}:", repr("".join(out)))
    greedy = logits[0, -1].topk(3)
    print("top3", greedy.indices.tolist(), [f"{v:.4f}" for v in greedy.values.tolist()])
