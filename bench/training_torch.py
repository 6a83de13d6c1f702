#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""PyTorch's side of bench/training_bench.cpp: mnist_convnet training throughput, same run.

The same model (Conv2D(32,3,relu) -> MaxPool(2) -> Conv2D(64,3,relu) -> MaxPool(2) -> Flatten
-> Dropout(0.5) -> Dense(10)), Adam(lr=1e-3, eps=1e-7), cross-entropy on the softmax (PyTorch's
fused log_softmax + NLL, as Keras on TensorFlow fuses them), one epoch of 10 shuffled steps of
batch 128 over 1,280 synthetic samples per measurement, in PyTorch's best CPU configuration:
torch.channels_last memory format, torch.set_num_threads(N) with OMP_NUM_THREADS=N (tcmalloc
is preloaded by bench/run_training.sh). Prints the median samples/s over REPETITIONS epochs.

Usage: /usr/bin/python3 bench/training_torch.py [--threads N] [--repetitions R]
"""
import argparse
import statistics
import time

import torch
import torch.nn.functional as F

BATCH = 128
SAMPLES = 10 * BATCH


class MnistConvnet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 32, 3)
        self.conv2 = torch.nn.Conv2d(32, 64, 3)
        self.dense = torch.nn.Linear(1600, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        # Keras flattens channels-last: (n, h, w, c) order.
        x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)
        x = F.dropout(x, 0.5, self.training)
        return self.dense(x)


def epoch(model, optimizer, x, y):
    order = torch.randperm(SAMPLES)
    for start in range(0, SAMPLES, BATCH):
        index = order[start:start + BATCH]
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x[index]), y[index])
        loss.backward()
        optimizer.step()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repetitions", type=int, default=10)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    model = MnistConvnet().to(memory_format=torch.channels_last).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    x = torch.rand(SAMPLES, 1, 28, 28).contiguous(memory_format=torch.channels_last)
    y = torch.arange(SAMPLES) % 10
    epoch(model, optimizer, x, y)  # warm-up: allocator, oneDNN kernels
    rates = []
    for _ in range(args.repetitions):
        start = time.perf_counter()
        epoch(model, optimizer, x, y)
        rates.append(SAMPLES / (time.perf_counter() - start))
    print(f"pytorch {torch.__version__} threads={args.threads} "
          f"median_samples_per_s={statistics.median(rates):.0f}")


if __name__ == "__main__":
    main()
