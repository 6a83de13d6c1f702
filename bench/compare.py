#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""bench/compare's driver: kerascpp and PyTorch side by side on whole models.

For each round, thread count (1, 2), model and mode (train, infer, latency) it runs
keras_bench's BM_<mode>/<model> and bench/models_torch.py one after the other, each in a
process of its own (so that its peak resident memory is its own), with OMP_NUM_THREADS set and
tcmalloc preloaded for PyTorch. Then, once per model, mode and thread count, the "limit": a run
of kerascpp under ONEDNN_VERBOSE, whose primitives' own times summed per training step or
predict() call say what oneDNN's kernels alone take on these shapes; and the machine's FMA peak
(BM_fma_peak).
Prints markdown tables of the medians.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

TCMALLOC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"
MODES = ["train", "infer", "latency"]
TARGETS = {"train": 2.5, "infer": 1.5, "latency": 0.6}  # kerascpp / PyTorch (latency: at most)
BATCH = 128

# Multiply-adds per sample (x2 = FLOP): (output pixels, filters, kernel area x input channels)
# per convolution and (inputs, units) per dense layer, as keras-spec.md counts them.
LAYERS = {
    "mnist_convnet": [("conv", 26 * 26, 32, 9 * 1), ("conv", 11 * 11, 64, 9 * 32),
                      ("dense", 1600, 10)],
    "cifar_convnet": [("conv", 32 * 32, 32, 9 * 3), ("conv", 30 * 30, 32, 9 * 32),
                      ("conv", 15 * 15, 64, 9 * 32), ("conv", 13 * 13, 64, 9 * 64),
                      ("dense", 2304, 512), ("dense", 512, 10)],
}
FIRST_CONV = {"mnist_convnet": "ic1oc32", "cifar_convnet": "ic3oc32"}


def flops(model, training):
    """FLOP per sample: forward, or a training step (forward, backward data except for the
    first layer, whose input gradient no one needs, and backward weights)."""
    per_layer = [2 * (l[1] * l[2] * l[3]) if l[0] == "conv" else 2 * l[1] * l[2]
                 for l in LAYERS[model]]
    if not training:
        return sum(per_layer)
    return 3 * sum(per_layer) - per_layer[0]


def environment(threads, **extra):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    env.update(extra)
    return env


def run_kerascpp(build, model, mode, threads, seconds):
    out = subprocess.run(
        [f"{build}/bin/keras_bench", f"--benchmark_filter=^BM_{mode}/{model}/real_time$",
         f"--benchmark_min_time={seconds}", "--benchmark_format=json"],
        env=environment(threads), check=True, capture_output=True, text=True).stdout
    result = json.loads(out)["benchmarks"][0]
    value = result["real_time"] if mode == "latency" else result["items_per_second"]
    return value, result["peak_rss_mib"]


def run_torch(root, model, mode, threads, seconds):
    env = environment(threads, LD_PRELOAD=TCMALLOC) if os.path.exists(TCMALLOC) else \
        environment(threads)
    out = subprocess.run(
        ["/usr/bin/python3", f"{root}/bench/models_torch.py", model, mode,
         "--threads", str(threads), "--seconds", str(seconds)],
        env=env, check=True, capture_output=True, text=True).stdout
    fields = dict(part.split("=", 1) for part in out.split() if "=" in part)
    return float(fields["value"]), float(fields["peak_rss_mib"])


def primitive_ms_per_call(build, model, mode, threads):
    """oneDNN's own execution times, summed per training step or predict() call (counted by
    the first convolution's forward on a batch of that mode)."""
    out = subprocess.run(
        [f"{build}/bin/keras_bench", f"--benchmark_filter=^BM_{mode}/{model}/real_time$",
         "--benchmark_min_time=0.5"],
        env=environment(threads, ONEDNN_VERBOSE="1"), check=True, capture_output=True,
        text=True).stdout
    batch = 1 if mode == "latency" else BATCH
    total, calls = 0.0, 0
    for line in out.splitlines():
        if not line.startswith("onednn_verbose,exec,"):
            continue
        total += float(line.rsplit(",", 1)[1])
        if ",convolution," in line and ",forward_" in line and \
                f"mb{batch}_{FIRST_CONV[model]}" in line:
            calls += 1
    return total / calls


def fma_peak_gflops(build, threads):
    out = subprocess.run(
        [f"{build}/bin/keras_bench", "--benchmark_filter=^BM_fma_peak",
         "--benchmark_min_time=0.5", "--benchmark_format=json"],
        env=environment(threads), check=True, capture_output=True, text=True).stdout
    return json.loads(out)["benchmarks"][0]["gflops"]


def median(values):
    return statistics.median(values)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--models", nargs="+", default=list(LAYERS))
    parser.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ours, theirs = {}, {}
    for round_ in range(1, args.rounds + 1):
        for threads in args.threads:
            for model in args.models:
                for mode in MODES:
                    key = (model, mode, threads)
                    k = run_kerascpp(args.build, model, mode, threads, args.seconds)
                    t = run_torch(root, model, mode, threads, args.seconds)
                    ours.setdefault(key, []).append(k)
                    theirs.setdefault(key, []).append(t)
                    unit = "us" if mode == "latency" else "samples/s"
                    print(f"round {round_}: {model} {mode} {threads} thread(s): kerascpp "
                          f"{k[0]:.0f} {unit} ({k[1]:.0f} MiB), PyTorch {t[0]:.0f} {unit} "
                          f"({t[1]:.0f} MiB)", file=sys.stderr, flush=True)

    print("\n| model | mode | threads | kerascpp | PyTorch | kerascpp / PyTorch | PyTorch's best "
          "(1 or 2 threads) | kerascpp / best | target | peak MiB kerascpp | peak MiB PyTorch |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
    for (model, mode, threads), runs in ours.items():
        k = median([r[0] for r in runs])
        t = median([r[0] for r in theirs[(model, mode, threads)]])
        their_medians = [median([r[0] for r in theirs[(model, mode, n)]]) for n in args.threads]
        best = min(their_medians) if mode == "latency" else max(their_medians)
        k_mem = median([r[1] for r in runs])
        t_mem = median([r[1] for r in theirs[(model, mode, threads)]])
        target = TARGETS[mode]
        met = k / best <= target if mode == "latency" else k / best >= target
        unit = " us" if mode == "latency" else "/s"
        verdict = f"{'<=' if mode == 'latency' else '>='} {target}: " + \
            ("met" if met else "**not met**")
        print(f"| {model} | {mode} | {threads} | {k:,.0f}{unit} | {t:,.0f}{unit} | {k / t:.2f} | "
              f"{best:,.0f}{unit} | {k / best:.2f} | {verdict} | {k_mem:.0f} | {t_mem:.0f} |")

    print("\n| model | threads | mode | kerascpp per call | oneDNN primitives alone | "
          "kerascpp / primitives (target <= 1.3) | kerascpp GFLOP/s | FMA peak GFLOP/s | "
          "share of peak |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for threads in args.threads:
        peak = fma_peak_gflops(args.build, threads)
        for model in args.models:
            for mode in MODES:
                value = median([r[0] for r in ours[(model, mode, threads)]])
                call_ms = value / 1e3 if mode == "latency" else BATCH / value * 1e3
                samples_per_s = 1e3 / call_ms * (1 if mode == "latency" else BATCH)
                limit_ms = primitive_ms_per_call(args.build, model, mode, threads)
                gflops = samples_per_s * flops(model, training=mode == "train") / 1e9
                print(f"| {model} | {threads} | {mode} | {call_ms:.3f} ms | {limit_ms:.3f} ms | "
                      f"{call_ms / limit_ms:.2f} | {gflops:.1f} | {peak:.1f} | "
                      f"{100 * gflops / peak:.0f}% |")


if __name__ == "__main__":
    main()
