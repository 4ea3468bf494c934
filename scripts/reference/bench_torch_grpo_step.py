#!/usr/bin/env python3
"""One GRPO learner step in plain PyTorch eager, as the baseline for Ladder's learner benchmark.

Times exactly what io.ladder.learner.bench.LearnerBench times, on the model folder and batch it
wrote (--model DIR holds config.json, model.safetensors and batch.json): a batched forward of
prompt + completion (no padding: all prompts and completions have the same lengths), logits for
the completion positions only, log-softmax and gather, TRL's GRPO loss (group-normalised
advantages with unbiased std + 1e-4, token-level ratio clipped at 1-0.2 / 1+0.28, token mean over
the batch, no KL), backward, torch.nn.utils.clip_grad_norm_(1.0), torch.optim.AdamW(lr=1e-6),
zero_grad. Float32, eager attention, torch.set_num_threads(--threads).

Prints one JSON line: {"engine": "torch-eager", "tokens_per_s": ..., "seconds": <median>, ...}.

Usage:
    build/venv-ref/bin/python scripts/reference/bench_torch_grpo_step.py --model DIR --threads 2
"""

import argparse
import json
import os
import resource
import statistics
import time
from pathlib import Path

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
from transformers import AutoModelForCausalLM  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--attn", default="eager", help="attention implementation (eager or sdpa)")
    ap.add_argument("--batch-file", default=None, help="the batch LearnerBench wrote (default: MODEL/batch.json)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    model_dir = Path(args.model)
    batch = json.loads(Path(args.batch_file or model_dir / "batch.json").read_text())
    rows = batch["rows"]
    g = batch["group_size"]
    plen = len(rows[0]["prompt_ids"])
    clen = len(rows[0]["completion_ids"])
    assert all(len(r["prompt_ids"]) == plen and len(r["completion_ids"]) == clen for r in rows)

    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation=args.attn)
    model.train()  # no dropout in Llama configs; train mode as TRL uses
    opt = torch.optim.AdamW(model.parameters(), lr=1e-6, weight_decay=0.0)
    input_ids = torch.tensor([r["prompt_ids"] + r["completion_ids"] for r in rows])
    completion = torch.tensor([r["completion_ids"] for r in rows])
    old = torch.tensor([r["sampling_logprobs"] for r in rows])
    rewards = torch.tensor([r["reward"] for r in rows], dtype=torch.float32)
    mask = torch.ones_like(old)

    def step():
        grouped = rewards.view(-1, g)
        mean = grouped.mean(dim=1).repeat_interleave(g)
        std = grouped.std(dim=1).repeat_interleave(g)
        adv = (rewards - mean) / (std + 1e-4)
        logits = model(input_ids=input_ids, logits_to_keep=clen + 1).logits[:, :-1, :]
        logp = torch.log_softmax(logits, dim=-1).gather(-1, completion.unsqueeze(-1)).squeeze(-1)
        coef_1 = torch.exp(logp - old)
        coef_2 = torch.clamp(coef_1, 1 - 0.2, 1 + 0.28)
        per_token_loss = -torch.min(coef_1 * adv.unsqueeze(1), coef_2 * adv.unsqueeze(1))
        loss = (per_token_loss * mask).sum() / mask.sum().clamp(min=1.0)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad()
        return float(loss)

    secs = []
    for i in range(args.warmup + args.repeats):
        t0 = time.perf_counter()
        step()
        s = time.perf_counter() - t0
        if i >= args.warmup:
            secs.append(s)
    med = statistics.median(secs)
    tokens = len(rows) * (plen + clen)
    print(json.dumps({"engine": "torch-eager", "tokens_per_s": round(tokens / med, 1), "seconds": med,
                      "tokens_per_step": tokens, "batch": len(rows), "prompt_len": plen, "completion_len": clen,
                      "threads": torch.get_num_threads(), "attn": args.attn, "repeats": args.repeats,
                      "all_seconds": secs, "torch": torch.__version__.split("+")[0],
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
