#!/usr/bin/env python3
"""What this machine can do, as the ceilings the real-model benchmarks are measured against.

Prints one JSON line: the float32 matrix-multiply rate of libtorch (a 2048x2048 product, the
same libtorch build DJL loads) with --threads threads, the same rate for the decode-step shapes of
a model folder's linear layers at each batch, and the streaming read bandwidth (the sum of a
512 MB array, which no cache holds). Medians of --repeats runs after one warm-up.

Usage: build/venv-ref/bin/python scripts/reference/bench_machine.py --threads 2 [--model DIR --batches 1,16,64]
"""

import argparse
import json
import statistics
import time
from pathlib import Path

import torch


def median_seconds(f, repeats):
    f()
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=9)
    ap.add_argument("--model", type=Path, default=None, help="HF folder: also time its linear layers' shapes")
    ap.add_argument("--batches", default="1,16,64")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    n = 2048
    a, b = torch.randn(n, n), torch.randn(n, n)
    mm = 2 * n ** 3 / median_seconds(lambda: a @ b, args.repeats) / 1e9
    big = torch.randn(128 * 1024 * 1024)  # 512 MB
    read = big.numel() * 4 / median_seconds(lambda: big.sum(), args.repeats) / 1e9
    out = {"engine": "machine", "threads": torch.get_num_threads(), "matmul_gflops": round(mm, 1),
           "read_gb_s": round(read, 2), "torch": torch.__version__.split("+")[0]}
    if args.model:
        cfg = json.loads((args.model / "config.json").read_text())
        d, f, v = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
        hd = cfg.get("head_dim") or d // cfg["num_attention_heads"]
        kv = cfg["num_key_value_heads"] * hd
        q = cfg["num_attention_heads"] * hd
        shapes = [(q, d), (kv, d), (kv, d), (d, q), (f, d), (f, d), (d, f)]  # q k v o gate up down
        weights = [torch.randn(o, i) for o, i in shapes]
        head = torch.randn(v, d)
        rates = {}
        for bsz in [int(x) for x in args.batches.split(",")]:
            xs = {i: torch.randn(bsz, 1, i) for i in {i for _, i in shapes} | {d}}

            def layer():
                for w in weights:
                    torch.nn.functional.linear(xs[w.shape[1]], w)

            flops = 2 * bsz * sum(o * i for o, i in shapes)
            rates[f"layer_linears_b{bsz}_gflops"] = round(flops / median_seconds(layer, args.repeats) / 1e9, 1)
            rates[f"lm_head_b{bsz}_gflops"] = round(
                2 * bsz * v * d / median_seconds(lambda: torch.nn.functional.linear(xs[d], head), args.repeats) / 1e9, 1)
        out.update(rates)
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
