"""The seq2seq translation tutorial's EncoderRNN / BahdanauAttention / AttnDecoderRNN on a reversal task (random_split
with a seeded Generator, RandomSampler, @torch.no_grad evaluation), the text classification tutorial's EmbeddingBag
model with offsets and StepLR, a 1-D GAN with BCEWithLogitsLoss, inference_mode, meshgrid, roll, pad and
MultiheadAttention with a key padding mask."""

import random

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import optim
from torch.utils.data import DataLoader, RandomSampler, TensorDataset, random_split

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
SOS_token, EOS_token, MAX_LENGTH = 0, 1, 6
torch.manual_seed(0)
random.seed(0)


class EncoderRNN(nn.Module):
    def __init__(self, input_size, hidden_size, dropout_p=0.1):
        super(EncoderRNN, self).__init__()
        self.hidden_size = hidden_size
        self.embedding = nn.Embedding(input_size, hidden_size)
        self.gru = nn.GRU(hidden_size, hidden_size, batch_first=True)
        self.dropout = nn.Dropout(dropout_p)

    def forward(self, input):
        embedded = self.dropout(self.embedding(input))
        output, hidden = self.gru(embedded)
        return output, hidden


class BahdanauAttention(nn.Module):
    def __init__(self, hidden_size):
        super(BahdanauAttention, self).__init__()
        self.Wa = nn.Linear(hidden_size, hidden_size)
        self.Ua = nn.Linear(hidden_size, hidden_size)
        self.Va = nn.Linear(hidden_size, 1)

    def forward(self, query, keys):
        scores = self.Va(torch.tanh(self.Wa(query) + self.Ua(keys)))
        scores = scores.squeeze(2).unsqueeze(1)
        weights = F.softmax(scores, dim=-1)
        context = torch.bmm(weights, keys)
        return context, weights


class AttnDecoderRNN(nn.Module):
    def __init__(self, hidden_size, output_size, dropout_p=0.1):
        super(AttnDecoderRNN, self).__init__()
        self.embedding = nn.Embedding(output_size, hidden_size)
        self.attention = BahdanauAttention(hidden_size)
        self.gru = nn.GRU(2 * hidden_size, hidden_size, batch_first=True)
        self.out = nn.Linear(hidden_size, output_size)
        self.dropout = nn.Dropout(dropout_p)

    def forward(self, encoder_outputs, encoder_hidden, target_tensor=None):
        batch_size = encoder_outputs.size(0)
        decoder_input = torch.empty(batch_size, 1, dtype=torch.long, device=device).fill_(SOS_token)
        decoder_hidden = encoder_hidden
        decoder_outputs = []
        attentions = []
        for i in range(MAX_LENGTH):
            decoder_output, decoder_hidden, attn_weights = self.forward_step(
                decoder_input, decoder_hidden, encoder_outputs)
            decoder_outputs.append(decoder_output)
            attentions.append(attn_weights)
            if target_tensor is not None:
                decoder_input = target_tensor[:, i].unsqueeze(1)
            else:
                _, topi = decoder_output.topk(1)
                decoder_input = topi.squeeze(-1).detach()
        decoder_outputs = torch.cat(decoder_outputs, dim=1)
        decoder_outputs = F.log_softmax(decoder_outputs, dim=-1)
        attentions = torch.cat(attentions, dim=1)
        return decoder_outputs, decoder_hidden, attentions

    def forward_step(self, input, hidden, encoder_outputs):
        embedded = self.dropout(self.embedding(input))
        query = hidden.permute(1, 0, 2)
        context, attn_weights = self.attention(query, encoder_outputs)
        input_gru = torch.cat((embedded, context), dim=2)
        output, hidden = self.gru(input_gru, hidden)
        output = self.out(output)
        return output, hidden, attn_weights


# a reversal task: target is the reversed source
n, vocab = 48, 10
src = torch.randint(2, vocab, (n, MAX_LENGTH))
src[:, -1] = EOS_token
tgt = torch.cat([src[:, :-1].flip(1), src[:, -1:]], dim=1)
dataset = TensorDataset(src, tgt)
train_set, val_set = random_split(dataset, [40, 8], generator=torch.Generator().manual_seed(42))
print(len(train_set), len(val_set), val_set.indices[:4])
loader = DataLoader(train_set, sampler=RandomSampler(train_set), batch_size=8)
encoder = EncoderRNN(vocab, 16).to(device)
decoder = AttnDecoderRNN(16, vocab).to(device)
enc_opt = optim.Adam(encoder.parameters(), lr=0.01)
dec_opt = optim.Adam(decoder.parameters(), lr=0.01)
criterion = nn.NLLLoss()
for epoch in range(1, 4):
    total = 0
    for input_tensor, target_tensor in loader:
        enc_opt.zero_grad()
        dec_opt.zero_grad()
        encoder_outputs, encoder_hidden = encoder(input_tensor)
        decoder_outputs, _, _ = decoder(encoder_outputs, encoder_hidden, target_tensor)
        loss = criterion(decoder_outputs.view(-1, decoder_outputs.size(-1)), target_tensor.view(-1))
        loss.backward()
        enc_opt.step()
        dec_opt.step()
        total += loss.item()
    print('epoch %d loss %.4f' % (epoch, total / len(loader)))


@torch.no_grad()
def evaluate(encoder, decoder, input_tensor):
    encoder_outputs, encoder_hidden = encoder(input_tensor)
    decoder_outputs, decoder_hidden, decoder_attn = decoder(encoder_outputs, encoder_hidden)
    _, topi = decoder_outputs.topk(1)
    decoded_ids = topi.squeeze()
    return decoded_ids, decoder_attn


encoder.eval()
decoder.eval()
ids, attn = evaluate(encoder, decoder, val_set[0][0].unsqueeze(0))
print(ids.tolist(), attn.shape, attn.sum(-1).squeeze().tolist()[:2], val_set[0][1].tolist())


class TextClassificationModel(nn.Module):
    def __init__(self, vocab_size, embed_dim, num_class):
        super(TextClassificationModel, self).__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, embed_dim, sparse=False)
        self.fc = nn.Linear(embed_dim, num_class)
        self.init_weights()

    def init_weights(self):
        initrange = 0.5
        self.embedding.weight.data.uniform_(-initrange, initrange)
        self.fc.weight.data.uniform_(-initrange, initrange)
        self.fc.bias.data.zero_()

    def forward(self, text, offsets):
        embedded = self.embedding(text, offsets)
        return self.fc(embedded)


def collate_batch(batch):
    label_list, text_list, offsets = [], [], [0]
    for _label, _text in batch:
        label_list.append(_label)
        processed_text = torch.tensor(_text, dtype=torch.int64)
        text_list.append(processed_text)
        offsets.append(processed_text.size(0))
    label_list = torch.tensor(label_list, dtype=torch.int64)
    offsets = torch.tensor(offsets[:-1]).cumsum(dim=0)
    text_list = torch.cat(text_list)
    return label_list.to(device), text_list.to(device), offsets.to(device)


docs = [(i % 2, [random.randrange(20) + 20 * (i % 2) for _ in range(3 + i % 4)]) for i in range(32)]
dl = DataLoader(docs, batch_size=8, shuffle=True, collate_fn=collate_batch)
model = TextClassificationModel(40, 8, 2).to(device)
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=5)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1.0, gamma=0.1)
for epoch in range(1, 4):
    model.train()
    total_acc, total_count = 0, 0
    for idx, (label, text, offsets) in enumerate(dl):
        optimizer.zero_grad()
        predicted_label = model(text, offsets)
        loss = criterion(predicted_label, label)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
        optimizer.step()
        total_acc += (predicted_label.argmax(1) == label).sum().item()
        total_count += label.size(0)
    scheduler.step()
    print("| epoch {:3d} | accuracy {:8.3f} | lr {:.4f} | loss {:.5f}".format(epoch, total_acc / total_count,
                                                                            scheduler.get_last_lr()[0], loss.item()))

# 1-D GAN
G = nn.Sequential(nn.Linear(1, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
D = nn.Sequential(nn.Linear(1, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
bce = nn.BCEWithLogitsLoss()
og = optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999))
od = optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999))
for step in range(30):
    real = torch.randn(32, 1) * 0.5 + 3
    fake = G(torch.randn(32, 1))
    d_loss = bce(D(real), torch.ones(32, 1)) + bce(D(fake.detach()), torch.zeros(32, 1))
    od.zero_grad()
    d_loss.backward()
    od.step()
    g_loss = bce(D(fake), torch.ones_like(D(fake)))
    og.zero_grad()
    g_loss.backward()
    og.step()
    if step % 10 == 9:
        print(f"step {step + 1} d {d_loss.item():.4f} g {g_loss.item():.4f} mean {fake.mean().item():.4f}")
with torch.inference_mode():
    s = G(torch.randn(1000, 1))
print(round(s.mean().item(), 3), s.requires_grad)
xs, ys = torch.meshgrid(torch.linspace(-1, 1, 3), torch.arange(2.), indexing='ij')
print(xs, ys.shape, torch.roll(torch.arange(5), 2), F.pad(torch.ones(1, 2), (1, 2), value=-1))
mha = nn.MultiheadAttention(8, 2, batch_first=True)
q = torch.randn(2, 4, 8)
mask = torch.tensor([[False, False, True, True], [False, False, False, True]])
o, w = mha(q, q, q, key_padding_mask=mask)
print(o.shape, w.shape, w[0, 0].tolist())
