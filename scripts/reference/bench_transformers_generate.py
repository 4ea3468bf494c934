#!/usr/bin/env python3
"""CPU throughput of Hugging Face `model.generate` on a Llama folder, as a baseline for Ladder.

For every batch size and for use_cache=True and use_cache=False, generates exactly --new-tokens
tokens per row by pure sampling (do_sample=True, temperature 1.0, top_k 0, top_p 1.0; EOS is
suppressed by min_new_tokens = max_new_tokens) from left-padded prompts of random token ids,
after one untimed warm-up run, and prints one JSON object per line on stdout:

    {"engine": "transformers", "batch": B, "kv_cache": true, "new_tokens": N,
     "seconds": <median over repeats>, "tokens_per_s": B*N/seconds, ...}

(the keys after tokens_per_s describe the run: prompt_len, repeats, threads, dtype, attn).

By default every prompt has exactly --prompt-len real tokens (so the left padding is empty);
with --min-prompt-len L each row gets a random length in [L, prompt-len] and is left-padded
to prompt-len with the pad id (attention_mask 0 there).

Usage:
    build/venv-ref/bin/python scripts/reference/bench_transformers_generate.py --model DIR \
        --batches 1,16,64 --prompt-len 16 --new-tokens 64 --repeats 3 --threads 2
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
import transformers  # noqa: E402
from transformers import AutoModelForCausalLM, GenerationConfig  # noqa: E402

transformers.utils.logging.disable_progress_bar()

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


def id_list(x):
    if x is None:
        return []
    return [int(v) for v in x] if isinstance(x, (list, tuple)) else [int(x)]


def make_prompts(batch, prompt_len, min_len, vocab, pad_id, forbidden, seed):
    g = torch.Generator().manual_seed(seed)
    allowed = torch.tensor([i for i in range(vocab) if i not in forbidden], dtype=torch.long)
    ids = allowed[torch.randint(0, len(allowed), (batch, prompt_len), generator=g)]
    mask = torch.ones(batch, prompt_len, dtype=torch.long)
    if min_len < prompt_len:
        lengths = torch.randint(min_len, prompt_len + 1, (batch,), generator=g)
        for b in range(batch):
            pad = prompt_len - int(lengths[b])
            ids[b, :pad] = pad_id
            mask[b, :pad] = 0
    return ids, mask


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, type=Path, help="Llama model folder (HF layout)")
    ap.add_argument("--batches", default="1,16,64", help="comma-separated batch sizes")
    ap.add_argument("--prompt-len", type=int, default=16)
    ap.add_argument("--min-prompt-len", type=int, default=None,
                    help="if set, rows get random real lengths in [min, prompt-len], left-padded")
    ap.add_argument("--new-tokens", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--kv-cache", default="true,false", help="which use_cache settings to run (true,false)")
    ap.add_argument("--dtype", default="float32", choices=sorted(DTYPES))
    ap.add_argument("--attn", default="sdpa", choices=["sdpa", "eager"], help="attention implementation")
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(args.threads)
    except RuntimeError:
        pass
    batches = [int(b) for b in args.batches.split(",") if b.strip()]
    cache_modes = [s.strip().lower() == "true" for s in args.kv_cache.split(",") if s.strip()]
    min_len = args.prompt_len if args.min_prompt_len is None else args.min_prompt_len
    if not 1 <= min_len <= args.prompt_len:
        ap.error("--min-prompt-len must be in [1, prompt-len]")

    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=DTYPES[args.dtype], attn_implementation=args.attn)
    model.eval()
    cfg = model.config
    gen_defaults = model.generation_config
    eos_ids = id_list(gen_defaults.eos_token_id) or id_list(cfg.eos_token_id)
    bos_ids = id_list(gen_defaults.bos_token_id) or id_list(cfg.bos_token_id)
    pad_id = gen_defaults.pad_token_id if gen_defaults.pad_token_id is not None else cfg.pad_token_id
    if pad_id is None:
        pad_id = eos_ids[0] if eos_ids else 0
    # Prompts avoid the special ids so that no row starts out "finished".
    forbidden = set(eos_ids) | set(bos_ids) | {int(pad_id)}
    print(f"# model {args.model}: vocab={cfg.vocab_size} hidden={cfg.hidden_size} layers={cfg.num_hidden_layers} "
          f"heads={cfg.num_attention_heads}/{cfg.num_key_value_heads} dtype={args.dtype} attn={args.attn} "
          f"threads={torch.get_num_threads()} eos={eos_ids} pad={pad_id}", file=sys.stderr)

    for batch in batches:
        ids, mask = make_prompts(batch, args.prompt_len, min_len, cfg.vocab_size, pad_id, forbidden, args.seed + batch)
        for use_cache in cache_modes:
            gc = GenerationConfig(
                do_sample=True, temperature=1.0, top_k=0, top_p=1.0,
                max_new_tokens=args.new_tokens, min_new_tokens=args.new_tokens,
                use_cache=use_cache, pad_token_id=int(pad_id),
                eos_token_id=eos_ids or None, bos_token_id=bos_ids[0] if bos_ids else None,
                num_beams=1, repetition_penalty=1.0,
            )
            # generate() fills "unset" fields of a passed config from model.generation_config, so the
            # model's own defaults (e.g. temperature 0.6 in Llama 3 instruct) must not leak in.
            model.generation_config = gc

            def run(seed):
                torch.manual_seed(seed)
                t0 = time.perf_counter()
                out = model.generate(input_ids=ids, attention_mask=mask, generation_config=gc)
                dt = time.perf_counter() - t0
                new = out.shape[1] - ids.shape[1]
                if new != args.new_tokens:
                    raise SystemExit(f"generated {new} new tokens, expected {args.new_tokens}")
                return dt

            run(args.seed)  # warm-up
            times = [run(args.seed + 1 + r) for r in range(args.repeats)]
            med = statistics.median(times)
            print(json.dumps({
                "engine": "transformers",
                "batch": batch,
                "kv_cache": use_cache,
                "new_tokens": args.new_tokens,
                "seconds": med,
                "tokens_per_s": batch * args.new_tokens / med,
                "prompt_len": args.prompt_len,
                "repeats": args.repeats,
                "threads": torch.get_num_threads(),
                "dtype": args.dtype,
                "attn": args.attn,
                "all_seconds": times,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
