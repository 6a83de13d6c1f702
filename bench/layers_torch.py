#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""PyTorch's side of bench/layers_bench.cpp: the mnist_convnet layers at batch 128, same run.

Each layer alone, in PyTorch's best CPU configuration: conv and pooling on NCHW-shaped tensors
in torch.channels_last memory format (so oneDNN/mkldnn runs them on the same NHWC memory as
kerascpp), Flatten on a contiguous (n, h, w, c) tensor (a view, as kerascpp's channels_last
Flatten), Dropout(0.5) in training mode, Dense(10, softmax) as nn.Linear then torch.softmax.

  forward:  y = layer(x) with x.requires_grad, under autograd (it records the graph, keeps what
            backward reads), as in a training step.
  backward: torch.autograd.grad(y, [x, *weights], dy, retain_graph=True) on one recorded
            forward: dL/dx and the weight gradients, returned fresh (no .grad accumulation).

Each figure is the median over REPETITIONS of the mean time of a loop of at least MIN_TIME_S,
as Google Benchmark's --benchmark_min_time=0.2 --benchmark_repetitions=5. Given
--kerascpp-json (keras_bench's --benchmark_out), it also prints both side by side.

Usage: /usr/bin/python3 bench/layers_torch.py [--threads N] [--kerascpp-json FILE]
                                              [--table-out FILE]
"""
import argparse
import json
import os
import statistics
import time

import torch
import torch.nn.functional as F

BATCH = 128
MIN_TIME_S = 0.2
REPETITIONS = 5


def median_seconds_per_call(function):
    """Median over REPETITIONS of the mean time of a loop that runs at least MIN_TIME_S."""
    function()
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            function()
        elapsed = time.perf_counter() - start
        if elapsed >= MIN_TIME_S / 10:
            break
        calls *= 10
    calls = max(1, int(calls * MIN_TIME_S / elapsed))
    samples = []
    for _ in range(REPETITIONS):
        start = time.perf_counter()
        for _ in range(calls):
            function()
        samples.append((time.perf_counter() - start) / calls)
    return statistics.median(samples)


def image(channels, height, width):
    """A (BATCH, channels, height, width) tensor in channels_last memory, requiring grad."""
    x = torch.rand(BATCH, channels, height, width).contiguous(memory_format=torch.channels_last)
    return x.requires_grad_()


def layers():
    """(name as in keras_bench, input, forward function, weights) in mnist_convnet's order."""
    conv = torch.nn.Conv2d(1, 32, 3).to(memory_format=torch.channels_last)
    conv_1 = torch.nn.Conv2d(32, 64, 3).to(memory_format=torch.channels_last)
    pool = torch.nn.MaxPool2d(2)
    dense = torch.nn.Linear(1600, 10)
    return [
        ("conv2d", image(1, 28, 28), lambda x: F.relu(conv(x)), list(conv.parameters())),
        ("max_pooling2d", image(32, 26, 26), pool, []),
        ("conv2d_1", image(32, 13, 13), lambda x: F.relu(conv_1(x)), list(conv_1.parameters())),
        ("max_pooling2d_1", image(64, 11, 11), pool, []),
        ("flatten", torch.rand(BATCH, 5, 5, 64, requires_grad=True),
         lambda x: torch.flatten(x, 1), []),
        ("dropout", torch.rand(BATCH, 1600, requires_grad=True),
         lambda x: F.dropout(x, 0.5, training=True), []),
        ("dense", torch.rand(BATCH, 1600, requires_grad=True),
         lambda x: torch.softmax(dense(x), dim=1), list(dense.parameters())),
    ]


def time_layer(x, forward, weights):
    y = forward(x)
    if x.dim() == 4 and x.size(1) > 1 and y.dim() == 4:
        assert y.is_contiguous(memory_format=torch.channels_last), "left channels_last"
    forward_s = median_seconds_per_call(lambda: forward(x))
    dy = torch.rand_like(y) * 2 - 1
    inputs = [x, *weights]
    grads = torch.autograd.grad(y, inputs, dy, retain_graph=True)
    assert grads[0].shape == x.shape
    backward_s = median_seconds_per_call(
        lambda: torch.autograd.grad(y, inputs, dy, retain_graph=True))
    return forward_s, backward_s


def kerascpp_medians(path):
    """Median real time (s) per (layer, direction) from Google Benchmark's JSON."""
    with open(path, encoding="utf-8") as file:
        report = json.load(file)
    medians = {}
    for run in report["benchmarks"]:
        if run.get("aggregate_name") not in (None, "median"):
            continue
        function, layer = run["run_name"].split("/")[:2]  # BM_forward/conv2d/real_time
        if function not in ("BM_forward", "BM_backward"):
            continue
        seconds = run["real_time"] * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[run["time_unit"]]
        medians[(layer, function[len("BM_"):])] = seconds
    return medians


def us_text(seconds):
    """Microseconds with three significant figures at least (Flatten takes under 0.1 us)."""
    micro = seconds * 1e6
    return f"{micro:.3f}" if micro < 10 else f"{micro:.1f}"


def comparison_rows(threads, results, medians):
    rows = []
    for name, forward_s, backward_s in results:
        for direction, torch_s in (("forward", forward_s), ("backward", backward_s)):
            kerascpp_s = medians[(name, direction)]
            ratio = torch_s / kerascpp_s
            verdict = "met" if ratio >= 1.0 else "NOT met"
            rows.append(f"| {threads} | {name} | {direction} | {us_text(kerascpp_s)} "
                        f"| {us_text(torch_s)} | {ratio:.2f} | {verdict} |")
    return rows


TABLE_HEADER = ("| threads | layer | direction | kerascpp median us | PyTorch median us "
                "| PyTorch / kerascpp | >= 1 (aim) |\n| ---: | --- | --- | ---: | ---: | ---: | --- |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int,
                        default=int(os.environ.get("OMP_NUM_THREADS", os.cpu_count())))
    parser.add_argument("--kerascpp-json", help="keras_bench --benchmark_out file")
    parser.add_argument("--table-out", help="append the side-by-side rows (no header) here")
    args = parser.parse_args()

    torch.manual_seed(1)
    torch.set_num_threads(args.threads)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"mkldnn {torch.backends.mkldnn.is_available()}, "
          f"median of {REPETITIONS} runs of >= {MIN_TIME_S} s\n")
    results = []
    print("| layer | input (PyTorch shape, memory) | forward us | backward us |")
    print("| --- | --- | ---: | ---: |")
    for name, x, forward, weights in layers():
        forward_s, backward_s = time_layer(x, forward, weights)
        results.append((name, forward_s, backward_s))
        memory = "channels_last" if x.dim() == 4 and name != "flatten" else "contiguous"
        print(f"| {name} | {'x'.join(map(str, x.shape))} {memory} | {forward_s * 1e6:.1f} "
              f"| {backward_s * 1e6:.1f} |")
    if args.kerascpp_json:
        rows = comparison_rows(args.threads, results, kerascpp_medians(args.kerascpp_json))
        print("\nkerascpp against PyTorch (median times), same run\n")
        print(TABLE_HEADER)
        print("\n".join(rows))
        if args.table_out:
            with open(args.table_out, "a", encoding="utf-8") as file:
                file.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
