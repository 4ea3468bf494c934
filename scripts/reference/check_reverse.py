#!/usr/bin/env python3
"""Reverse conformance check: a model folder written by Ladder must load in Hugging Face
transformers and give the same logits that Ladder computed.

DIR must hold config.json, model.safetensors (or sharded safetensors + index), tokenizer.json
(tokenizer_config.json optional but recommended) and ladder_logits.json:

    {"input_ids": [[...], ...],            # equal-length rows, no padding
     "logits":    [[[float, ...] per position] per row]}

The folder is loaded with AutoModelForCausalLM (float32, eager attention), the same ids are run
through it, and the max |delta logit| is printed per row and overall. The tokenizer is loaded with
AutoTokenizer and summarised. Exit status 0 when the overall max |delta| <= --tol (default 1e-4),
1 otherwise (also when the folder cannot be loaded or the shapes disagree); with
--strict-tokenizer, tokenizer inconsistencies (BOS/EOS ids differing from config.json, vocab
larger than the model's) fail the check too.

Usage:
    build/venv-ref/bin/python scripts/reference/check_reverse.py --dir DIR [--tol 1e-4]
"""

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
import transformers  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402

transformers.utils.logging.disable_progress_bar()


def as_id_list(x):
    if x is None:
        return []
    return list(x) if isinstance(x, (list, tuple)) else [x]


def check_tokenizer(folder: Path, config) -> list[str]:
    problems = []
    tok = AutoTokenizer.from_pretrained(folder)
    print(f"tokenizer: loaded {type(tok).__name__}, len={len(tok)}, "
          f"bos={tok.bos_token!r}({tok.bos_token_id}), eos={tok.eos_token!r}({tok.eos_token_id}), "
          f"pad={tok.pad_token!r}({tok.pad_token_id}), chat_template={'yes' if tok.chat_template else 'no'}")
    sample = "Hello 12 + 7 = 19!"
    ids = tok(sample)["input_ids"]
    print(f"tokenizer: {sample!r} -> {ids} -> {tok.decode(ids)!r}")
    if len(tok) > config.vocab_size:
        problems.append(f"tokenizer has {len(tok)} tokens but the model vocab_size is {config.vocab_size}")
    cfg_bos = config.bos_token_id
    if cfg_bos is not None and tok.bos_token_id != cfg_bos:
        problems.append(f"tokenizer bos id {tok.bos_token_id} != config bos_token_id {cfg_bos}")
    cfg_eos = as_id_list(config.eos_token_id)
    if cfg_eos and tok.eos_token_id not in cfg_eos:
        problems.append(f"tokenizer eos id {tok.eos_token_id} not in config eos_token_id {cfg_eos}")
    if not (folder / "tokenizer_config.json").exists():
        problems.append("no tokenizer_config.json: AutoTokenizer falls back to the model type's defaults")
    for p in problems:
        print(f"tokenizer: WARNING {p}")
    return problems


@torch.no_grad()
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", required=True, type=Path, help="model folder written by Ladder")
    ap.add_argument("--tol", type=float, default=1e-4, help="max allowed |delta logit| (default 1e-4)")
    ap.add_argument("--strict-tokenizer", action="store_true", help="tokenizer warnings fail the check")
    args = ap.parse_args()
    folder: Path = args.dir

    try:
        data = json.loads((folder / "ladder_logits.json").read_text())
        input_ids = data["input_ids"]
        ladder = torch.tensor(data["logits"], dtype=torch.float32)
    except Exception as e:  # noqa: BLE001
        print(f"FAIL: cannot read {folder / 'ladder_logits.json'}: {e}")
        return 1
    if not input_ids or len({len(r) for r in input_ids}) != 1:
        print("FAIL: input_ids must be a non-empty list of equal-length rows")
        return 1
    ids = torch.tensor(input_ids, dtype=torch.long)

    try:
        model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")
    except Exception as e:  # noqa: BLE001
        print(f"FAIL: transformers cannot load {folder}: {type(e).__name__}: {e}")
        return 1
    model.eval()
    cfg = model.config
    print(f"model: loaded {type(model).__name__} from {folder} (vocab={cfg.vocab_size}, hidden={cfg.hidden_size}, "
          f"layers={cfg.num_hidden_layers}, heads={cfg.num_attention_heads}/{cfg.num_key_value_heads}, "
          f"tied={cfg.tie_word_embeddings}, rope_scaling={cfg.rope_scaling})")

    try:
        tok_problems = check_tokenizer(folder, cfg)
    except Exception as e:  # noqa: BLE001
        print(f"tokenizer: FAILED to load: {type(e).__name__}: {e}")
        tok_problems = [f"load failed: {e}"]

    expected_shape = (ids.shape[0], ids.shape[1], cfg.vocab_size)
    if tuple(ladder.shape) != expected_shape:
        print(f"FAIL: ladder logits have shape {tuple(ladder.shape)}, expected {expected_shape}")
        return 1

    hf = model(input_ids=ids, attention_mask=torch.ones_like(ids), use_cache=False).logits.float()
    delta = (hf - ladder).abs()
    for r in range(ids.shape[0]):
        d = delta[r]
        pos = int(d.max(dim=-1).values.argmax())
        same_argmax = bool((hf[r].argmax(-1) == ladder[r].argmax(-1)).all())
        print(f"row {r}: len={ids.shape[1]} max|dlogit|={float(d.max()):.3e} (worst position {pos}), "
              f"argmax equal at all positions: {same_argmax}")
    overall = float(delta.max())
    ok = overall <= args.tol
    if args.strict_tokenizer and tok_problems:
        ok = False
    print(f"overall max|dlogit|={overall:.3e} tol={args.tol:g} -> {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
