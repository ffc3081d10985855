#!/usr/bin/env python3
# PyTorch reference for `npm run bench`'s fixed shapes (scripts/bench/shapes.ts), on the same machine in the same
# hour: `python3 scripts/bench/pytorchReference.py [--threads 2]` (Debian's python3-torch; no transformers needed).
# The model is Hugging Face's BertForMaskedLM written out in torch.nn (transformers cannot be installed here: the
# machine reaches only the npm and Debian registries): the same layers, erf GELU, LayerNorm eps 1e-12, dropout 0.1,
# the decoder tied to the word embeddings. As ../shared/notes/performance.md measured HF: a training step is forward
# + backward + AdamW with one label per row and the head at every position (HF's loss over [B,S,V] with -100
# elsewhere); a generation step is the encoder, the head at the last position only and argmax. Sequence 128, batch 8.
import argparse, json, math, os, time
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, SEQ, BATCH = 21128, 128, 8
SHAPES = {'mini4': (4, 256, 4, 1024), 'mini2': (2, 256, 4, 1024)}


class Layer(nn.Module):
    def __init__(self, h, heads, inter):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(h, h) for _ in range(4))
        self.ln1, self.ln2 = nn.LayerNorm(h, eps=1e-12), nn.LayerNorm(h, eps=1e-12)
        self.i, self.out = nn.Linear(h, inter), nn.Linear(inter, h)
        self.drop = nn.Dropout(0.1)

    def forward(self, x, mask_add):
        b, s, h = x.shape
        d = h // self.heads
        split = lambda t: t.view(b, s, self.heads, d).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        p = self.drop(torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + mask_add, dim=-1))
        ctx = (p @ v).transpose(1, 2).reshape(b, s, h)
        x = self.ln1(x + self.drop(self.o(ctx)))
        return self.ln2(x + self.drop(self.out(F.gelu(self.i(x)))))


class BertForMaskedLM(nn.Module):
    def __init__(self, layers, h, heads, inter):
        super().__init__()
        self.word, self.pos, self.types = nn.Embedding(VOCAB, h), nn.Embedding(512, h), nn.Embedding(2, h)
        self.ln = nn.LayerNorm(h, eps=1e-12)
        self.drop = nn.Dropout(0.1)
        self.layers = nn.ModuleList(Layer(h, heads, inter) for _ in range(layers))
        self.transform, self.head_ln = nn.Linear(h, h), nn.LayerNorm(h, eps=1e-12)
        self.bias = nn.Parameter(torch.zeros(VOCAB))

    def forward(self, ids, last_only=False):
        b, s = ids.shape
        x = self.word(ids) + self.pos(torch.arange(s))[None] + self.types(torch.zeros_like(ids))
        x = self.drop(self.ln(x))
        mask_add = torch.zeros(b, 1, 1, s)  # every position a token, as the TF.js bench
        for layer in self.layers:
            x = layer(x, mask_add)
        if last_only:
            x = x[:, -1]
        return self.head_ln(F.gelu(self.transform(x))) @ self.word.weight.t() + self.bias


def blas():
    # Debian's torch calls whatever libblas.so.3 the alternatives system points at: the reference BLAS (~4 GFLOP/s
    # here) unless OpenBLAS is installed (libopenblas0-pthread: ~150 GFLOP/s on 2 threads); say which
    try:
        return os.path.realpath('/etc/alternatives/libblas.so.3-x86_64-linux-gnu')
    except OSError:
        return 'unknown'


def inputs(batch):
    i = torch.arange(batch * SEQ)
    ids = torch.where(i % SEQ == 0, torch.tensor(101), 104 + (i * 7919) % (VOCAB - 104))
    return ids.view(batch, SEQ)


def timed(fn, warm, reps):
    """median seconds of one call over `reps` timed calls (OpenBLAS threads at batch-1 sizes vary several-fold here)"""
    for _ in range(warm):
        fn()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return sorted(ts)[len(ts) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--reps', type=int, default=3)
    ap.add_argument('--json', action='store_true', help='one JSON object on stdout (for scripts/bench/pytorch.ts)')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    out = {'torch': torch.__version__, 'threads': torch.get_num_threads(), 'blas': blas(), 'shapes': {}}
    if not a.json:
        print(f"pytorch {out['torch']}, {out['threads']} threads, BLAS {out['blas']}, sequence {SEQ}")
    for name, shape in SHAPES.items():
        model = BertForMaskedLM(*shape)
        opt = torch.optim.AdamW(model.parameters(), lr=5e-5)
        x = inputs(BATCH)
        labels = torch.full((BATCH, SEQ), -100)
        labels[:, -1] = 200 + torch.arange(BATCH)

        def train():
            model.train()
            opt.zero_grad()
            F.cross_entropy(model(x).view(-1, VOCAB), labels.view(-1), ignore_index=-100).backward()
            opt.step()

        tr = timed(train, 1, a.reps)
        model.eval()
        gen = {}
        for batch in (1, 32):
            g = inputs(batch)
            with torch.no_grad():
                gen[batch] = batch / timed(lambda: model(g, last_only=True).argmax(-1), 1, max(a.reps, 15) if batch == 1 else a.reps)
        out['shapes'][name] = {'trainExamplesPerSec': BATCH / tr, 'genRowsPerSecB1': gen[1], 'genRowsPerSecB32': gen[32]}
        if not a.json:
            print(f'pytorch {name} train step {BATCH / tr:.2f} examples/s; generation step batch 1 {gen[1]:.1f} rows/s, batch 32 {gen[32]:.1f} rows/s')
    if a.json:
        print(json.dumps(out))


if __name__ == '__main__':
    main()
