#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""PyTorch's side of bench/models_bench.cpp: the same models, data and measurements.

mnist_convnet and cifar_convnet (issue 6) in torch.nn, in PyTorch's best CPU configuration:
channels_last memory format, torch.set_num_threads(N) with OMP_NUM_THREADS=N, tcmalloc
preloaded (bench/compare does that), and for inference TorchScript's optimize_for_inference
under torch.no_grad(). Modes:
- train: one epoch of 10 randperm-shuffled steps of batch 128 over 1,280 synthetic samples,
  Adam(lr=1e-3, eps=1e-7), cross-entropy on the logits (PyTorch's fused log-softmax + NLL, as
  Keras on TensorFlow fuses them), after one warm-up epoch: samples/s;
- infer: the model and a softmax on 128 samples: samples/s;
- latency: the same on one sample: microseconds per call.
Prints one line: `<mode> <model> threads=N value=V unit=U peak_rss_mib=M`, V the median over
the measurements made in SECONDS (at least 5).

Usage: /usr/bin/python3 bench/models_torch.py MODEL MODE [--threads N] [--seconds S]
"""
import argparse
import resource
import statistics
import time

import torch
import torch.nn.functional as F

BATCH = 128
SAMPLES = 10 * BATCH


class MnistConvnet(torch.nn.Module):
    input_shape = (1, 28, 28)

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


class CifarConvnet(torch.nn.Module):
    input_shape = (3, 32, 32)

    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 32, 3, padding=1)
        self.conv2 = torch.nn.Conv2d(32, 32, 3)
        self.conv3 = torch.nn.Conv2d(32, 64, 3, padding=1)
        self.conv4 = torch.nn.Conv2d(64, 64, 3)
        self.dense1 = torch.nn.Linear(6 * 6 * 64, 512)
        self.dense2 = torch.nn.Linear(512, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv2(F.relu(self.conv1(x)))), 2)
        x = F.max_pool2d(F.relu(self.conv4(F.relu(self.conv3(x)))), 2)
        x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)
        x = F.dropout(F.relu(self.dense1(x)), 0.5, self.training)
        return self.dense2(x)


MODELS = {"mnist_convnet": MnistConvnet, "cifar_convnet": CifarConvnet}


def inputs(model, samples):
    return torch.rand(samples, *model.input_shape).contiguous(memory_format=torch.channels_last)


def timed(seconds, step):
    """Runs step once to warm up, then until `seconds` passed (at least 5 times)."""
    step()
    times = []
    end = time.perf_counter() + seconds
    while len(times) < 5 or time.perf_counter() < end:
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def train(model, seconds):
    model = model.to(memory_format=torch.channels_last).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    x = inputs(model, SAMPLES)
    y = torch.arange(SAMPLES) % 10

    def epoch():
        order = torch.randperm(SAMPLES)
        for start in range(0, SAMPLES, BATCH):
            index = order[start:start + BATCH]
            optimizer.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x[index]), y[index])
            loss.backward()
            optimizer.step()

    return SAMPLES / timed(seconds, epoch), "samples/s"


def predict(model, seconds, batch):
    model = model.to(memory_format=torch.channels_last).eval()
    x = inputs(model, batch)
    with torch.no_grad():
        scripted = torch.jit.optimize_for_inference(torch.jit.script(model))
        median = timed(seconds, lambda: torch.softmax(scripted(x), dim=1))
    if batch == 1:
        return median * 1e6, "us"
    return batch / median, "samples/s"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model", choices=sorted(MODELS))
    parser.add_argument("mode", choices=["train", "infer", "latency"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    model = MODELS[args.model]()
    if args.mode == "train":
        value, unit = train(model, args.seconds)
    else:
        value, unit = predict(model, args.seconds, BATCH if args.mode == "infer" else 1)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.mode} {args.model} threads={args.threads} value={value:.1f} unit={unit} "
          f"peak_rss_mib={peak:.1f}")


if __name__ == "__main__":
    main()
