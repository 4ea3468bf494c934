#!/usr/bin/env python3
"""Reference numbers for Ladder's learner: GRPO and RLOO losses and gradients computed the way
Hugging Face TRL's trainers define them, on a conformance checkpoint, in float32 PyTorch.

Writes learner/src/test/resources/reference/:
  learner_reference.json   the fixed batch and, per case, TRL-style advantages, loss, clip counts,
                           and the gradient of a few weights (full tensors)
  reference_model.safetensors  the frozen KL reference: the checkpoint's weights plus small
                           Gaussian noise (so the KL term and its gradient are not zero)

The batch: 3 prompts x 4 completions (1..6 tokens) on checkpoint `gqa_tied`; the "old"
(sampling) log-probs are the checkpoint's own per-token log-probs plus noise, so importance
ratios differ from 1 and some are clipped at each bound. Every row is forwarded on its own, so no
padding is involved; TRL pads, which does not change the numbers.

The formulas, transcribed from TRL (trl/trainer/grpo_trainer.py `_generate_and_score_completions`
and `_compute_loss`; trl/trainer/rloo_trainer.py, the GRPO-style rewrite of TRL 0.23+):

GRPO
    mean_g, std_g = rewards.view(-1, G).mean(1), rewards.view(-1, G).std(1)      # unbiased std
    advantages = rewards - mean_g;  if scale_rewards: advantages /= (std_g + 1e-4)
    per_token_kl = exp(ref - logp) - (ref - logp) - 1                            # k3
    coef_1 = exp(logp - old); coef_2 = clamp(coef_1, 1 - eps_low, 1 + eps_high)
    per_token_loss = -min(coef_1 * A, coef_2 * A) + beta * per_token_kl
    loss_type "grpo":    ((ptl * mask).sum(-1) / mask.sum(-1).clamp(min=1)).mean()
    loss_type "bnpo":    (ptl * mask).sum() / mask.sum().clamp(min=1)   (= "dapo" for one process)
    loss_type "dr_grpo": (ptl * mask).sum() / (B * max_completion_length)
RLOO
    kl = ((old - ref) * mask).sum(-1);  rewards = rewards - beta * kl            # k1, in the reward
    baselines = (grouped.sum(1, keepdim) - grouped) / (G - 1);  advantages = rewards - baselines
    coef_1 = exp((logp * mask).sum(1) - (old * mask).sum(1))                     # sequence ratio
    loss = (-min(coef_1 * A, clamp(coef_1, 1 - eps_low, 1 + eps_high) * A)).mean()

The first GRPO case also records the weights after two optimizer updates with
torch.nn.utils.clip_grad_norm_ and torch.optim.AdamW, to check Ladder's optimizer.

Usage:
    scripts/reference/setup-venv.sh && build/venv-ref/bin/python scripts/reference/learner_reference.py
Deterministic: running it twice gives identical files.
"""

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from safetensors.torch import save_file  # noqa: E402
from transformers import AutoModelForCausalLM  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
CHECKPOINT = "gqa_tied"
CKPT_DIR = REPO / "policy/src/test/resources/conformance" / CHECKPOINT
OUT_DIR = REPO / "learner/src/test/resources/reference"
GRAD_WEIGHTS = ["model.layers.0.self_attn.q_proj.weight", "model.norm.weight"]
G = 4  # completions per prompt
TEMPERATURE = 0.9


def f32(x):
    """The shortest decimal that round-trips the float32 value of x."""
    return float(str(np.float32(float(x))))


def load_model(state=None):
    model = AutoModelForCausalLM.from_pretrained(CKPT_DIR, dtype=torch.float32, attn_implementation="eager")
    model.eval()  # no dropout (there is none in these configs anyway)
    if state is not None:
        model.load_state_dict(state, strict=False)
    return model


def make_batch(gen):
    prompts = [[330, 39, 72], [330, 294, 266, 220, 316, 318, 220, 22], [330, 34, 64, 69, 127, 102, 25]]
    rows = []
    for g, prompt in enumerate(prompts):
        for j in range(G):
            n = 1 + (3 * g + 2 * j) % 6  # lengths 1..6
            completion = torch.randint(0, 330, (n,), generator=gen).tolist()
            rows.append({"prompt_ids": prompt, "completion_ids": completion, "group": g})
    return rows


def per_token_logps(model, rows, temperature):
    """[B, L] log-probs of each completion token (zero at padding) and the mask, one row at a time."""
    lmax = max(len(r["completion_ids"]) for r in rows)
    out = torch.zeros(len(rows), lmax)
    mask = torch.zeros(len(rows), lmax)
    for i, r in enumerate(rows):
        p, c = r["prompt_ids"], r["completion_ids"]
        ids = torch.tensor([p + c])
        logits = model(input_ids=ids).logits[0, len(p) - 1 : -1, :] / temperature
        lp = torch.log_softmax(logits, dim=-1).gather(-1, torch.tensor(c)[:, None]).squeeze(-1)
        out[i, : len(c)] = lp  # differentiable scatter via index_put
        mask[i, : len(c)] = 1.0
    return out, mask


def padded(rows, key, lmax):
    t = torch.zeros(len(rows), lmax)
    for i, r in enumerate(rows):
        t[i, : len(r[key])] = torch.tensor(r[key], dtype=torch.float32)
    return t


def grpo_loss(logp, old, ref, mask, rewards, case):
    grouped = rewards.view(-1, G)
    mean_g = grouped.mean(dim=1).repeat_interleave(G)
    std_g = grouped.std(dim=1).repeat_interleave(G)
    adv = rewards - mean_g
    if case["scale_rewards"]:
        adv = adv / (std_g + 1e-4)
    coef_1 = torch.exp(logp - old)
    coef_2 = torch.clamp(coef_1, 1 - case["eps_low"], 1 + case["eps_high"])
    per_token_loss = -torch.min(coef_1 * adv.unsqueeze(1), coef_2 * adv.unsqueeze(1))
    per_token_kl = torch.exp(ref - logp) - (ref - logp) - 1
    per_token_loss = per_token_loss + case["beta"] * per_token_kl
    if case["loss_type"] == "grpo":
        loss = ((per_token_loss * mask).sum(-1) / mask.sum(-1).clamp(min=1.0)).mean()
    elif case["loss_type"] == "bnpo":
        loss = (per_token_loss * mask).sum() / mask.sum().clamp(min=1.0)
    elif case["loss_type"] == "dr_grpo":
        loss = (per_token_loss * mask).sum() / (per_token_loss.size(0) * case["max_completion_length"])
    else:
        raise ValueError(case["loss_type"])
    a = adv.unsqueeze(1)
    low = ((coef_1 < 1 - case["eps_low"]) & (a < 0)).float() * mask
    high = ((coef_1 > 1 + case["eps_high"]) & (a > 0)).float() * mask
    kl_mean = (per_token_kl * mask).sum() / mask.sum()
    return loss, adv, {"clip_low_tokens": int(low.sum()), "clip_high_tokens": int(high.sum()),
                       "kl_token_mean": float(kl_mean)}


def rloo_loss(logp, old, ref, mask, rewards, case):
    kl = ((old - ref) * mask).sum(-1)
    rewards = rewards - case["beta"] * kl
    grouped = rewards.view(-1, G)
    baselines = ((grouped.sum(dim=1, keepdim=True) - grouped) / (G - 1)).view(-1)
    adv = rewards - baselines
    logps = (logp * mask).sum(1)
    old_logps = (old * mask).sum(1)
    coef_1 = torch.exp(logps - old_logps)
    coef_2 = torch.clamp(coef_1, 1 - case["eps_low"], 1 + case["eps_high"])
    loss = (-torch.min(coef_1 * adv, coef_2 * adv)).mean()
    low = ((coef_1 < 1 - case["eps_low"]) & (adv < 0)).sum()
    high = ((coef_1 > 1 + case["eps_high"]) & (adv > 0)).sum()
    inside = ((coef_1 >= 1 - case["eps_low"]) & (coef_1 <= 1 + case["eps_high"])).sum()
    return loss, adv, {"clip_low_sequences": int(low), "clip_high_sequences": int(high),
                       "unclipped_sequences": int(inside), "kl_token_mean": float(((old - ref) * mask).sum() / mask.sum())}


CASES = [
    {"name": "grpo_sequence_mean", "algorithm": "grpo", "loss_type": "grpo", "scale_rewards": True,
     "beta": 0.04, "eps_low": 0.2, "eps_high": 0.28,
     "adamw": {"lr": 1e-3, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.1, "max_grad_norm": 0.05,
               "steps": 2}},
    {"name": "grpo_token_mean_unscaled", "algorithm": "grpo", "loss_type": "bnpo", "scale_rewards": False,
     "beta": 0.1, "eps_low": 0.2, "eps_high": 0.28},
    {"name": "dr_grpo", "algorithm": "grpo", "loss_type": "dr_grpo", "scale_rewards": False,
     "beta": 0.0, "eps_low": 0.2, "eps_high": 0.2, "max_completion_length": 8},
    {"name": "rloo", "algorithm": "rloo", "beta": 0.05, "eps_low": 0.2, "eps_high": 0.2},
]


def compute(model, rows, old, ref, mask, rewards, case):
    logp, _ = per_token_logps(model, rows, TEMPERATURE)
    fn = grpo_loss if case["algorithm"] == "grpo" else rloo_loss
    return fn(logp, old, ref, mask, rewards, case)


def main():
    torch.manual_seed(0)
    torch.use_deterministic_algorithms(True)
    gen = torch.Generator().manual_seed(20260121)
    model = load_model()
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}

    # the KL reference: checkpoint weights + N(0, 0.03^2) noise (tied embeddings: one tensor)
    ref_state = {}
    for k, v in state.items():
        if k == "lm_head.weight" and model.config.tie_word_embeddings:
            continue
        ref_state[k] = (v + 0.03 * torch.randn(v.shape, generator=gen)).contiguous()
    ref_model = load_model(ref_state)

    rows = make_batch(gen)
    rewards = torch.tensor([1.0, 0.0, 0.0, 1.0, 0.2, 0.9, -0.4, 0.5, 0.0, 1.0, 1.0, 1.0], dtype=torch.float32)
    with torch.no_grad():
        cur, mask = per_token_logps(model, rows, TEMPERATURE)
        ref, _ = per_token_logps(ref_model, rows, TEMPERATURE)
    # old (sampling) log-probs: current ones shifted by a per-row drift plus per-token noise. The
    # drift has the sign of the row's advantage (log rho = -drift), so rows with A > 0 tend to have
    # rho < 1 and rows with A < 0 rho > 1: the loss then does not cancel to nearly zero, and a
    # relative comparison of it means something. Three rows drift the other way (negative size), so
    # that ratios also leave the clip range on the clipped side of each bound.
    grouped = rewards.view(-1, G)
    sign = torch.sign(rewards - grouped.mean(dim=1).repeat_interleave(G))
    size = torch.tensor([0.05, 0.3, -0.4, 0.25, 0.1, -0.35, 0.2, 0.05, 0.3, -0.4, 0.22, 0.08])
    drift = sign * size
    old = (cur + drift[:, None] + 0.15 * torch.randn(cur.shape, generator=gen)) * mask
    for i, r in enumerate(rows):
        n = len(r["completion_ids"])
        r["sampling_logprobs"] = [f32(x) for x in old[i, :n]]
        r["reward"] = float(rewards[i])
        r["reference_logprobs"] = [f32(x) for x in ref[i, :n]]
        r["current_logprobs"] = [f32(x) for x in cur[i, :n]]
    old = padded(rows, "sampling_logprobs", mask.shape[1])  # exactly the float32 values written

    results = []
    for case in CASES:
        model = load_model()
        model.zero_grad()
        loss, adv, stats = compute(model, rows, old, ref, mask, rewards, case)
        loss.backward()
        params = dict(model.named_parameters())
        res = dict(case)
        res.update({"loss": float(loss), "advantages": [float(a) for a in adv], **stats,
                    "gradients": {n: {"shape": list(params[n].shape),
                                      "values": [f32(x) for x in params[n].grad.flatten()]}
                                  for n in GRAD_WEIGHTS}})
        if "adamw" in case:
            opt_cfg = case["adamw"]
            model = load_model()
            opt = torch.optim.AdamW(model.parameters(), lr=opt_cfg["lr"], betas=tuple(opt_cfg["betas"]),
                                    eps=opt_cfg["eps"], weight_decay=opt_cfg["weight_decay"])
            norms = []
            for _ in range(opt_cfg["steps"]):
                opt.zero_grad()
                loss, _, _ = compute(model, rows, old, ref, mask, rewards, case)
                loss.backward()
                norms.append(float(torch.nn.utils.clip_grad_norm_(model.parameters(), opt_cfg["max_grad_norm"])))
                opt.step()
            p = dict(model.named_parameters())
            res["adamw_result"] = {"grad_norms": norms,
                                   "weights": {n: [f32(x) for x in p[n].detach().flatten()] for n in GRAD_WEIGHTS}}
        results.append(res)
        print(f"{case['name']}: loss {float(res['loss']):.6f} " +
              " ".join(f"{k}={v}" for k, v in stats.items()), file=sys.stderr)

    # the fixture must exercise clipping at both bounds and unclipped tokens/sequences
    g0 = results[0]
    assert g0["clip_low_tokens"] > 0 and g0["clip_high_tokens"] > 0, g0
    r = results[-1]
    assert r["clip_low_sequences"] + r["clip_high_sequences"] > 0 and r["unclipped_sequences"] > 0, r

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    save_file(ref_state, str(OUT_DIR / "reference_model.safetensors"), metadata={"format": "pt"})
    doc = {
        "about": "written by scripts/reference/learner_reference.py (TRL GRPO/RLOO losses in float32 torch)",
        "checkpoint": CHECKPOINT, "temperature": TEMPERATURE, "group_size": G,
        "torch": torch.__version__.split("+")[0],
        "rows": rows,
        "cases": results,
    }
    with open(OUT_DIR / "learner_reference.json", "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT_DIR}", file=sys.stderr)


if __name__ == "__main__":
    main()
