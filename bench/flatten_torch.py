#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""PyTorch's side of bench/flatten_bench.cpp: the same feature maps, timed in the same run.

torch.flatten(x, 1) on a contiguous (n, h, w, c) tensor is a view, as kerascpp's channels_last
Flatten; x.permute(0, 2, 3, 1).reshape(n, -1) on a contiguous (n, c, h, w) tensor is one copy,
as kerascpp's channels_first Flatten. Given --kerascpp-json (keras_bench's
--benchmark_out), it also prints kerascpp, memcpy and PyTorch side by side.

Usage: /usr/bin/python3 bench/flatten_torch.py [--threads N] [--kerascpp-json FILE]
"""
import argparse
import json
import os
import statistics
import time

import torch

# (batch, height, width, channels), as kFeatureMaps in bench/flatten_bench.cpp.
FEATURE_MAPS = [
    (1, 4, 4, 64), (1, 8, 8, 64), (1, 16, 16, 64), (1, 32, 32, 64), (4, 32, 32, 64),
    (16, 32, 32, 64), (16, 64, 64, 64), (64, 64, 64, 64), (64, 128, 128, 64),
]
GIB = float(1 << 30)
MIB = 1 << 20
MIN_TIME_S = 0.2
REPETITIONS = 5


def size_text(nbytes):
    return f"{nbytes >> 20} MiB" if nbytes >= MIB else f"{nbytes >> 10} KiB"


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


def time_torch(batch, height, width, channels):
    nhwc = torch.ones(batch, height, width, channels)
    flat = torch.flatten(nhwc, 1)
    assert flat.data_ptr() == nhwc.data_ptr(), "torch.flatten copied a contiguous tensor"
    view_s = median_seconds_per_call(lambda: torch.flatten(nhwc, 1))
    del nhwc, flat

    nchw = torch.ones(batch, channels, height, width)
    packed = nchw.permute(0, 2, 3, 1).reshape(batch, -1)
    assert packed.is_contiguous() and packed.data_ptr() != nchw.data_ptr()
    del packed
    copy_s = median_seconds_per_call(lambda: nchw.permute(0, 2, 3, 1).reshape(batch, -1))
    return view_s, copy_s


def kerascpp_medians(path):
    """Median real time (s) and bytes/s per (benchmark, bytes) from Google Benchmark's JSON."""
    with open(path, encoding="utf-8") as file:
        report = json.load(file)
    medians = {}
    for run in report["benchmarks"]:
        if run.get("aggregate_name") not in (None, "median"):
            continue
        name, nbytes = run["run_name"].split("/")[:2]  # BM_flatten_memcpy/4096/real_time
        seconds = run["real_time"] * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[run["time_unit"]]
        medians[(name, int(nbytes))] = (seconds, run.get("bytes_per_second", 0.0))
    return medians


def print_torch_table(results):
    print("| bytes | NHWC / NCHW shape | torch.flatten(x, 1) | permute(0,2,3,1).reshape | GiB/s |")
    print("| ---: | --- | ---: | ---: | ---: |")
    for maps, (view_s, copy_s) in results:
        nbytes = 4 * maps[0] * maps[1] * maps[2] * maps[3]
        shape = "x".join(map(str, maps))
        print(f"| {size_text(nbytes)} | {shape} | {view_s * 1e9:.0f} ns | {copy_s * 1e6:.1f} us "
              f"| {nbytes / copy_s / GIB:.2f} |")


def print_comparison(results, medians):
    print("| bytes | kerascpp channels_last | kerascpp channels_first GiB/s | memcpy GiB/s "
          "| ratio | >= 80% | permute copy, preallocated GiB/s | PyTorch copy GiB/s |")
    print("| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
    for maps, (_, copy_s) in results:
        nbytes = 4 * maps[0] * maps[1] * maps[2] * maps[3]
        view_s, _ = medians[("BM_flatten_channels_last", nbytes)]
        _, flatten_rate = medians[("BM_flatten_channels_first", nbytes)]
        _, memcpy_rate = medians[("BM_flatten_memcpy", nbytes)]
        _, preallocated_rate = medians[("BM_flatten_channels_first_preallocated", nbytes)]
        ratio = flatten_rate / memcpy_rate
        verdict = ("met" if ratio >= 0.8 else "NOT met") if nbytes >= MIB else "(below 1 MiB)"
        print(f"| {size_text(nbytes)} | {view_s * 1e9:.0f} ns | {flatten_rate / GIB:.2f} "
              f"| {memcpy_rate / GIB:.2f} | {100 * ratio:.0f}% | {verdict} "
              f"| {preallocated_rate / GIB:.2f} | {nbytes / copy_s / GIB:.2f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int,
                        default=int(os.environ.get("OMP_NUM_THREADS", os.cpu_count())))
    parser.add_argument("--kerascpp-json", help="keras_bench --benchmark_out file")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"median of {REPETITIONS} runs of >= {MIN_TIME_S} s; GiB = 2^30 bytes\n")
    results = [(maps, time_torch(*maps)) for maps in FEATURE_MAPS]
    print_torch_table(results)
    if args.kerascpp_json:
        print("\nkerascpp (median times) against memcpy and PyTorch, same run\n")
        print_comparison(results, kerascpp_medians(args.kerascpp_json))


if __name__ == "__main__":
    main()
