#!/usr/bin/env python3
"""Peer for bench/train-speed.ts: the same cnn1d or mlp (models.ts) and the same data in PyTorch on the CPU.

Conv1d(64, 5) BN ReLU MaxPool(2), Conv1d(128, 5) BN ReLU MaxPool(2), Conv1d(128, 3) BN ReLU,
global average pooling, dropout 0.3, Linear -> softmax; Adam lr 1e-3, cross-entropy, batch 32.
Data: N random items of [frames x dims] (the default MFCC + delta front end: 251 x 80), 8 classes.

  /usr/bin/python3 bench/train_torch.py N FRAMES DIMS EPOCHS THREADS [MODEL]
MODEL "mlp" (FRAMES ignored): Linear(256) ReLU Dropout(0.3) Linear(128) ReLU Dropout(0.3)
Linear(8) on pooled [DIMS] vectors, the L2 penalty 0.03/2 sum(W^2) on the kernels added to the
loss and class-weighted cross-entropy, as the default mlp trains (fit.ts).
Prints one JSON line: seconds per epoch (median after one warm-up epoch) and samples/s.
"""
import json
import statistics
import sys
import time

import torch
import torch.nn as nn


def block(cin, cout, k, pool):
    layers = [nn.Conv1d(cin, cout, k, padding=k // 2, bias=False), nn.BatchNorm1d(cout, eps=1e-3, momentum=0.01), nn.ReLU()]
    if pool:
        layers.append(nn.MaxPool1d(pool))
    return layers


def main():
    n, frames, dims, epochs, threads = (int(a) for a in sys.argv[1:6])
    kind = sys.argv[6] if len(sys.argv) > 6 else "cnn1d"
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    y = torch.randint(0, 8, (n,))
    if kind == "mlp":
        model = nn.Sequential(
            nn.Linear(dims, 256), nn.ReLU(), nn.Dropout(0.3),
            nn.Linear(256, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 8),
        )
        x = torch.randn(n, dims)
        kernels = [m.weight for m in model if isinstance(m, nn.Linear)]
        counts = torch.bincount(y, minlength=8).float()
        ce = nn.CrossEntropyLoss(weight=n / (8 * counts.clamp(min=1)))
        loss_fn = lambda out, target: ce(out, target) + 0.015 * sum((k * k).sum() for k in kernels)
    else:
        model = nn.Sequential(
            *block(dims, 64, 5, 2), *block(64, 128, 5, 2), *block(128, 128, 3, 0),
            nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Dropout(0.3), nn.Linear(128, 8),
        )
        x = torch.randn(n, dims, frames)  # channels first: PyTorch's Conv1d layout
        loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    times = []
    for epoch in range(epochs + 1):
        perm = torch.randperm(n)
        t0 = time.perf_counter()
        model.train()
        for b in range(0, n, 32):
            idx = perm[b:b + 32]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
        float(loss)
        if epoch > 0:
            times.append(time.perf_counter() - t0)
    s = statistics.median(times)
    print(json.dumps({"secondsPerEpoch": s, "samplesPerSecond": n / s, "threads": threads, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
