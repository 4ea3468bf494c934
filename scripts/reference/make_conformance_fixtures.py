#!/usr/bin/env python3
"""Writes Ladder's Llama conformance fixtures from Hugging Face `transformers`.

Every fixture is a tiny, randomly initialised Llama checkpoint saved with
`save_pretrained(safe_serialization=True)` plus a Llama-3-style byte-level BPE
tokenizer and a `reference.json` holding float32 log-probabilities and greedy
continuations computed by transformers itself (eager attention, no KV cache).

Output: policy/src/test/resources/conformance/<name>/ for each name in CONFIGS.
Everything is deterministic (fixed seeds, fixed training text); running the
script twice gives byte-identical files.

Regenerate with:
    scripts/reference/setup-venv.sh && \
        build/venv-ref/bin/python scripts/reference/make_conformance_fixtures.py
"""

import argparse
import json
import math
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, pre_tokenizers, processors, trainers  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer, GenerationConfig, LlamaConfig, LlamaForCausalLM  # noqa: E402

transformers.utils.logging.disable_progress_bar()

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "policy" / "src" / "test" / "resources" / "conformance"

# --------------------------------------------------------------------------------------------
# Tokenizer
# --------------------------------------------------------------------------------------------

BOS = "<|begin_of_text|>"
EOS = "<|end_of_text|>"
EOT = "<|eot_id|>"
START_HEADER = "<|start_header_id|>"
END_HEADER = "<|end_header_id|>"
PAD = "<|pad|>"
SPECIAL_TOKENS = [BOS, EOS, EOT, START_HEADER, END_HEADER, PAD]

# Size of the trained byte-level BPE vocabulary (256 byte tokens + merges); the six special
# tokens are appended after it, as Llama 3 appends its specials after the BPE vocabulary.
BPE_VOCAB_SIZE = 330

# The pre-tokenizer regex of Llama 3 (tiktoken cl100k-style).
LLAMA3_SPLIT_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)

# The chat template of Meta-Llama-3-8B-Instruct.
LLAMA3_CHAT_TEMPLATE = (
    "{% set loop_messages = messages %}{% for message in loop_messages %}"
    "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'"
    "+ message['content'] | trim + '<|eot_id|>' %}"
    "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}"
    "{{ content }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}"
)

TRAINING_TEXT = """\
The quick brown fox jumps over the lazy dog. The dog was not amused, but the fox did not care.
Once upon a time there was a small model that wanted to learn arithmetic and reasoning.
It read many sentences about numbers, sums, products and fractions, and it practiced every day.
What is the answer? The answer is the number that makes the equation true.
Question: What is 12 + 7? Answer: 12 + 7 = 19.
Question: What is 3 * 4? Answer: 3 * 4 = 12.
Question: What is 100 - 58? Answer: 100 - 58 = 42.
Question: What is 81 / 9? Answer: 81 / 9 = 9.
Solve for x: 2x + 3 = 7. Subtract 3 from both sides: 2x = 4. Divide by 2: x = 2.
Solve for y: 5y - 10 = 15. Add 10 to both sides: 5y = 25. Divide by 5: y = 5.
The sum of the first ten positive integers is 55, and the sum of their squares is 385.
A triangle has angles that add up to 180 degrees; a square has four right angles.
If a train travels 60 miles in 1.5 hours, its average speed is 40 miles per hour.
The fraction 3/4 equals 0.75, and 1/8 equals 0.125. Half of 0.5 is 0.25.
Let's think step by step. First, we compute the product. Then, we add the remainder.
Therefore, the final answer is \\boxed{42}. The final answer is \\boxed{19}.
The user asks a question and the assistant answers it clearly and politely.
Hello! How are you today? I am fine, thank you. Can you help me with my homework?
Of course. Tell me the problem, and we will solve it together, one step at a time.
Numbers like 2, 3, 5, 7, 11 and 13 are prime; numbers like 4, 6, 8, 9 and 10 are not.
The area of a circle is pi times the square of its radius; its circumference is 2 pi r.
In 2024, the library had 1234 books, 567 magazines and 89 maps.
Caf\u00e9, na\u00efve, r\u00e9sum\u00e9: some English words borrow accents from French.
The symbols \u00d7 and \u00f7 mean times and divided by; \u03c0 is about 3.14159.
<|start_header_id|>user<|end_header_id|>

What is 2 + 3?<|eot_id|><|start_header_id|>assistant<|end_header_id|>

2 + 3 = 5. The answer is 5.<|eot_id|>
<|start_header_id|>user<|end_header_id|>

Solve 4x = 8.<|eot_id|><|start_header_id|>assistant<|end_header_id|>

Divide both sides by 4: x = 2.<|eot_id|>
<|start_header_id|>system<|end_header_id|>

You are a helpful math assistant.<|eot_id|><|start_header_id|>user<|end_header_id|>

Hi! Can you solve a problem for me?<|eot_id|><|start_header_id|>assistant<|end_header_id|>

Yes, of course. What is the problem?<|eot_id|>
"""


def build_tokenizer() -> Tokenizer:
    tok = Tokenizer(models.BPE(ignore_merges=True))
    tok.normalizer = None
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(LLAMA3_SPLIT_PATTERN), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False),
        ]
    )
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=BPE_VOCAB_SIZE,
        min_frequency=2,
        show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        special_tokens=[],
    )
    # The special tokens are added after training; in the training text their strings only mark
    # where chat-format pieces start and end, so they are replaced by line breaks here.
    text = TRAINING_TEXT
    for t in SPECIAL_TOKENS:
        text = text.replace(t, "\n")
    tok.train_from_iterator([text], trainer=trainer)
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in SPECIAL_TOKENS])
    bos_id = tok.token_to_id(BOS)
    tok.post_processor = processors.TemplateProcessing(
        single=f"{BOS}:0 $A:0",
        pair=f"{BOS}:0 $A:0 {BOS}:1 $B:1",
        special_tokens=[(BOS, bos_id)],
    )
    return tok


def tokenizer_config(tok: Tokenizer) -> dict:
    added = {}
    for t in SPECIAL_TOKENS:
        added[str(tok.token_to_id(t))] = {
            "content": t,
            "lstrip": False,
            "normalized": False,
            "rstrip": False,
            "single_word": False,
            "special": True,
        }
    return {
        "added_tokens_decoder": added,
        "bos_token": BOS,
        "chat_template": LLAMA3_CHAT_TEMPLATE,
        "clean_up_tokenization_spaces": False,
        "eos_token": EOS,
        "extra_special_tokens": {},
        "model_input_names": ["input_ids", "attention_mask"],
        "model_max_length": 131072,
        "pad_token": PAD,
        "tokenizer_class": "PreTrainedTokenizerFast",
    }


# --------------------------------------------------------------------------------------------
# Model configurations
# --------------------------------------------------------------------------------------------

# Common structure; each entry overrides what it needs. "eos" selects the ids written as
# eos_token_id in config.json / generation_config.json: "single" -> <|end_of_text|>,
# "list" -> [<|end_of_text|>, <|eot_id|>] as the Llama 3 instruct checkpoints do.
CONFIGS = [
    {
        "name": "gqa_tied",
        "seed": 1001,
        "save_dtype": torch.float32,
        "eos": "single",
        "llama": dict(
            hidden_size=32, intermediate_size=48, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, max_position_embeddings=128, rms_norm_eps=1e-5,
            rope_theta=10000.0, tie_word_embeddings=True,
        ),
    },
    {
        "name": "mha_untied",
        "seed": 2002,
        "save_dtype": torch.float32,
        "eos": "list",
        "llama": dict(
            hidden_size=32, intermediate_size=40, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=4, max_position_embeddings=256, rms_norm_eps=1e-6,
            rope_theta=100000.0, tie_word_embeddings=False,
        ),
    },
    {
        # head_dim 12 != hidden/heads (8). With theta 5e5 and head_dim 12 the RoPE wavelengths are
        # 6.3, 56, 499, ... positions; with original_max_position_embeddings 64 the llama3 rule
        # keeps the first pair (wavelength < 64/4 = 16), smooths the second (16..64) and divides
        # all others by 8, so all three branches of the llama3 rule are exercised at short positions.
        "name": "llama3_rope",
        "seed": 3003,
        "save_dtype": torch.float32,
        "eos": "list",
        "llama": dict(
            hidden_size=32, intermediate_size=48, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, head_dim=12, max_position_embeddings=512, rms_norm_eps=1e-5,
            rope_theta=500000.0, tie_word_embeddings=True,
            rope_scaling={
                "rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                "high_freq_factor": 4.0, "original_max_position_embeddings": 64,
            },
        ),
    },
    {
        # Multi-query attention (one KV head), untied, bfloat16 weights.
        "name": "bf16",
        "seed": 4004,
        "save_dtype": torch.bfloat16,
        "eos": "single",
        "llama": dict(
            hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
            num_key_value_heads=1, max_position_embeddings=192, rms_norm_eps=1e-5,
            rope_theta=10000.0, tie_word_embeddings=False,
        ),
    },
    {
        "name": "fp16_sharded",
        "seed": 5005,
        "save_dtype": torch.float16,
        "eos": "list",
        "max_shard_size": 24_000,
        "llama": dict(
            hidden_size=32, intermediate_size=56, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, max_position_embeddings=160, rms_norm_eps=1e-6,
            rope_theta=50000.0, tie_word_embeddings=False,
        ),
    },
    {
        # Biases on every projection (attention_bias and mlp_bias): a loader that drops the MLP
        # biases is off by several nats here.
        "name": "biases",
        "seed": 6006,
        "save_dtype": torch.float32,
        "eos": "single",
        "llama": dict(
            hidden_size=32, intermediate_size=48, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, max_position_embeddings=128, rms_norm_eps=1e-5,
            rope_theta=10000.0, tie_word_embeddings=True, attention_bias=True, mlp_bias=True,
        ),
    },
]

# Init standard deviations (larger than Llama's 0.02 so that logits are far from uniform).
STD_EMBED = 0.3
STD_QK = 0.25
STD_OTHER = 0.15
NORM_JITTER = 0.2  # RMSNorm weights are 1 + NORM_JITTER * N(0,1), so a missing norm weight is caught

DTYPE_NAMES = {torch.float32: "float32", torch.bfloat16: "bfloat16", torch.float16: "float16"}

MAX_NEW_TOKENS = 16
MIN_GREEDY_MARGIN = 1e-3  # top-1 minus top-2 logit, so greedy ids are robust to float noise

PLAIN_PROMPTS = [
    "Hi",
    "What is 12 + 7? The answer is",
    "Caf\u00e9: 3 \u00d7 4 = 12!",
]
CHAT_MESSAGES = [{"role": "user", "content": "Solve 2x = 4."}]


def init_weights(model: torch.nn.Module, seed: int) -> None:
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            shape = p.shape
            noise = torch.randn(shape, generator=gen, dtype=torch.float32)
            if name.endswith("norm.weight"):
                p.copy_(1.0 + NORM_JITTER * noise)
            elif "embed_tokens" in name or name.startswith("lm_head"):
                p.copy_(STD_EMBED * noise)
            elif name.endswith("q_proj.weight") or name.endswith("k_proj.weight"):
                p.copy_(STD_QK * noise)
            else:
                p.copy_(STD_OTHER * noise)


def f32(x) -> float:
    """Shortest decimal that round-trips the float32 value (exact when parsed as float32)."""
    v = np.float32(x)
    if not np.isfinite(v):
        raise ValueError(f"non-finite value {v}")
    return float(str(v))


def write_json(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_compact_reference(path: Path, ref: dict) -> None:
    # One case field per line; keeps the file readable while the float arrays stay on one line.
    lines = ["{"]
    lines.append(f'  "name": {json.dumps(ref["name"])},')
    lines.append(f'  "dtype": {json.dumps(ref["dtype"])},')
    lines.append(f'  "eos_token_ids": {json.dumps(ref["eos_token_ids"])},')
    lines.append('  "cases": [')
    for i, case in enumerate(ref["cases"]):
        lines.append("    {")
        keys = list(case.keys())
        for j, k in enumerate(keys):
            sep = "," if j < len(keys) - 1 else ""
            lines.append(f"      {json.dumps(k)}: {json.dumps(case[k], ensure_ascii=False)}{sep}")
        lines.append("    }" + ("," if i < len(ref["cases"]) - 1 else ""))
    lines.append("  ]")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    assert json.loads(text) == ref
    path.write_text(text, encoding="utf-8")


def load_reference_model(folder: Path):
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")
    model.eval()
    return model


@torch.no_grad()
def reference_case(model, tokenizer, prompt: str, eos_ids: list[int]) -> tuple[dict, float]:
    ids = tokenizer(prompt)["input_ids"]
    x = torch.tensor([ids], dtype=torch.long)
    logits = model(input_ids=x, use_cache=False).logits[0].float()  # [T, V]
    logprobs = torch.log_softmax(logits, dim=-1)
    token_logprobs = [f32(logprobs[t - 1, ids[t]]) for t in range(1, len(ids))]
    last_logprobs = [f32(v) for v in logprobs[-1].tolist()]

    seq = list(ids)
    greedy = []
    min_margin = math.inf
    for _ in range(MAX_NEW_TOKENS):
        step_logits = model(input_ids=torch.tensor([seq], dtype=torch.long), use_cache=False).logits[0, -1].float()
        top2 = torch.topk(step_logits, 2)
        min_margin = min(min_margin, float(top2.values[0] - top2.values[1]))
        nxt = int(torch.argmax(step_logits))
        greedy.append(nxt)
        seq.append(nxt)
        if nxt in eos_ids:
            break
    case = {
        "prompt": prompt,
        "input_ids": ids,
        "token_logprobs": token_logprobs,
        "last_logprobs": last_logprobs,
        "greedy_ids": greedy,
    }
    return case, min_margin


def make_fixture(spec: dict, tok: Tokenizer, out_root: Path) -> dict:
    name = spec["name"]
    folder = out_root / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)

    vocab_size = tok.get_vocab_size(with_added_tokens=True)
    bos_id = tok.token_to_id(BOS)
    eos_id = tok.token_to_id(EOS)
    eot_id = tok.token_to_id(EOT)
    eos_ids = [eos_id] if spec["eos"] == "single" else [eos_id, eot_id]
    eos_field = eos_ids[0] if spec["eos"] == "single" else eos_ids

    config = LlamaConfig(**{
        "vocab_size": vocab_size,
        "bos_token_id": bos_id,
        "eos_token_id": eos_field,
        "hidden_act": "silu",
        "attention_bias": False,
        "mlp_bias": False,
        "attention_dropout": 0.0,
        "initializer_range": STD_OTHER,
        **spec["llama"],
    })
    torch.manual_seed(spec["seed"])
    model = LlamaForCausalLM(config)
    init_weights(model, spec["seed"])
    model = model.to(spec["save_dtype"])
    model.generation_config = GenerationConfig(bos_token_id=bos_id, eos_token_id=eos_field)
    save_kwargs = {"safe_serialization": True}
    if "max_shard_size" in spec:
        save_kwargs["max_shard_size"] = spec["max_shard_size"]
    model.save_pretrained(folder, **save_kwargs)
    for p in folder.glob("*.safetensors"):
        p.chmod(0o644)  # safetensors writes 0600; keep fixture files world-readable like the rest

    if spec["save_dtype"] == torch.bfloat16:
        # transformers 4.57 writes "dtype"; published Llama 3.x checkpoints use the older
        # "torch_dtype" key. Keep one fixture in that older form so readers handle both.
        cfg_path = folder / "config.json"
        cfg = json.loads(cfg_path.read_text())
        cfg = {("torch_dtype" if k == "dtype" else k): v for k, v in cfg.items()}
        write_json(cfg_path, dict(sorted(cfg.items())))

    tok.save(str(folder / "tokenizer.json"))
    write_json(folder / "tokenizer_config.json", tokenizer_config(tok))

    # ---- reference values, computed from the folder as saved, in float32 ----
    hf_tok = AutoTokenizer.from_pretrained(folder)
    ref_model = load_reference_model(folder)
    assert ref_model.config.vocab_size == vocab_size

    chat_prompt = hf_tok.apply_chat_template(CHAT_MESSAGES, tokenize=False, add_generation_prompt=True)
    chat_ids = hf_tok.apply_chat_template(CHAT_MESSAGES, tokenize=True, add_generation_prompt=True)
    if hasattr(chat_ids, "keys"):
        chat_ids = chat_ids["input_ids"]
    # The template starts with the BOS text; the tokenizer's post-processor adds BOS too, so the
    # stored prompt is the rendered text without its BOS text, and tokenizer(prompt) adds it back.
    assert chat_prompt.startswith(BOS)
    chat_prompt = chat_prompt[len(BOS):]
    assert hf_tok(chat_prompt)["input_ids"] == list(chat_ids), "chat prompt does not re-tokenize to the template ids"

    cases = []
    margins = []
    for prompt in PLAIN_PROMPTS + [chat_prompt]:
        case, margin = reference_case(ref_model, hf_tok, prompt, eos_ids)
        assert case["input_ids"][0] == bos_id
        cases.append(case)
        margins.append(margin)
    if min(margins) < MIN_GREEDY_MARGIN:
        raise SystemExit(f"{name}: greedy margin {min(margins)} too small; change the seed")

    ref = {
        "name": name,
        "dtype": DTYPE_NAMES[spec["save_dtype"]],
        "eos_token_ids": eos_ids,
        "cases": cases,
    }
    write_compact_reference(folder / "reference.json", ref)

    if name == "llama3_rope":
        check_llama3_scaling_matters(folder, ref_model, cases)

    return {
        "name": name,
        "prompt_lengths": [len(c["input_ids"]) for c in cases],
        "greedy_lengths": [len(c["greedy_ids"]) for c in cases],
        "min_greedy_margin": min(margins),
        "files": sorted(p.name for p in folder.iterdir()),
    }


@torch.no_grad()
def check_llama3_scaling_matters(folder: Path, ref_model, cases) -> None:
    """The same weights with plain RoPE must give clearly different log-probabilities."""
    plain = AutoModelForCausalLM.from_pretrained(
        folder, dtype=torch.float32, attn_implementation="eager", rope_scaling=None
    )
    plain.eval()
    assert plain.config.rope_scaling is None or plain.config.rope_scaling.get("rope_type") == "default"
    worst = 0.0
    for c in cases:
        x = torch.tensor([c["input_ids"]])
        a = torch.log_softmax(ref_model(input_ids=x).logits[0, -1], -1)
        b = torch.log_softmax(plain(input_ids=x).logits[0, -1], -1)
        worst = max(worst, float((a - b).abs().max()))
    if worst < 1e-2:
        raise SystemExit(f"llama3 rope scaling changes last log-probs by only {worst}")
    print(f"  llama3_rope: max |delta logprob| vs unscaled RoPE = {worst:.4f}", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output root (default: %(default)s)")
    ap.add_argument("--only", nargs="*", help="names of the fixtures to write (default: all)")
    args = ap.parse_args()

    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)

    tok = build_tokenizer()
    out_root: Path = args.out
    out_root.mkdir(parents=True, exist_ok=True)
    for spec in CONFIGS:
        if args.only and spec["name"] not in args.only:
            continue
        summary = make_fixture(spec, tok, out_root)
        print(json.dumps(summary), file=sys.stderr)


if __name__ == "__main__":
    main()
