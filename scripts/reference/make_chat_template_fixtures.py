#!/usr/bin/env python3
"""Writes Ladder's chat-template conformance fixtures from transformers' apply_chat_template.

Five real chat templates (SmolLM2's, Llama 3.1, Qwen2.5, Mistral Nemo, Gemma 2), each in a small
tokenizer folder: a byte-level BPE vocabulary (256 byte tokens, no merges, so the folder stays a
few kB) plus the special tokens the real model declares, with the template saved the way current
transformers saves it (chat_template.jinja) or inline in tokenizer_config.json (older folders).
cases.json holds, per conversation, transformers' rendered text and token ids, or the error a
template raises. Ladder must produce the same text and the same ids.

The templates are the models' own files. SmolLM2's comes from the dequantized model folder
(scripts/models/smollm2.sh); the other four from llama.cpp's models/templates collection, which
the llama-cpp-python source distribution carries (the files there are copies of each model's
tokenizer_config.json chat_template). Deterministic: running it twice gives identical files.

    scripts/reference/setup-venv.sh && scripts/models/smollm2.sh && \
        build/venv-ref/bin/python scripts/reference/make_chat_template_fixtures.py

With --corpus FILE it also renders every template in the collection (about seventy) over a few
plain conversations and writes one JSON line per (template, conversation) for the wider check in
ChatTemplateCorpusTest (LADDER_CHAT_CORPUS=FILE).
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers  # noqa: E402
from transformers import PreTrainedTokenizerFast  # noqa: E402
from transformers.models.gpt2.tokenization_gpt2 import bytes_to_unicode  # noqa: E402
from transformers.utils.chat_template_utils import render_jinja_template  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "policy" / "src" / "test" / "resources" / "chat-templates"
LLAMA_CPP_PYTHON = "llama-cpp-python==0.3.36"

# name -> (template source, special tokens as the real model's tokenizer declares them, how it is saved)
FIXTURES = {
    "smollm2": dict(file="SMOLLM2", bos="<|im_start|>", eos="<|im_end|>", unk="<|endoftext|>",
                    extra=["<|endoftext|>", "<|im_start|>", "<|im_end|>"], save="jinja_file"),
    "llama3.1": dict(file="meta-llama-Llama-3.1-8B-Instruct.jinja", bos="<|begin_of_text|>", eos="<|eot_id|>",
                     extra=["<|start_header_id|>", "<|end_header_id|>", "<|eom_id|>", "<|python_tag|>"],
                     save="tokenizer_config"),
    "qwen2.5": dict(file="Qwen-Qwen2.5-7B-Instruct.jinja", bos=None, eos="<|im_end|>", pad="<|endoftext|>",
                    extra=["<|im_start|>", "<|endoftext|>"], save="tokenizer_config"),
    "mistral-nemo": dict(file="mistralai-Mistral-Nemo-Instruct-2407.jinja", bos="<s>", eos="</s>", unk="<unk>",
                         extra=["[INST]", "[/INST]", "[AVAILABLE_TOOLS]", "[/AVAILABLE_TOOLS]", "[TOOL_CALLS]",
                                "[TOOL_RESULTS]", "[/TOOL_RESULTS]"], save="jinja_file"),
    "gemma2": dict(file="google-gemma-2-2b-it.jinja", bos="<bos>", eos="<eos>", pad="<pad>", unk="<unk>",
                   extra=["<start_of_turn>", "<end_of_turn>"], save="tokenizer_config"),
}

TOOLS = [{
    "type": "function",
    "function": {
        "name": "get_balance",
        "description": "Balance of a ledger account, in cents.",
        "parameters": {"type": "object",
                       "properties": {"account": {"type": "string", "description": "account id"}},
                       "required": ["account"]},
    },
}]

CONVERSATIONS = [
    dict(name="one user turn", messages=[{"role": "user", "content": "What is 12 + 30? Put the answer in \\boxed{}."}],
         add_generation_prompt=True),
    dict(name="system and user", messages=[{"role": "system", "content": "You are a careful tutor."},
                                           {"role": "user", "content": "Solve 2x = 4."}],
         add_generation_prompt=True),
    dict(name="multi-turn", messages=[{"role": "user", "content": "What is 3 * 7?"},
                                      {"role": "assistant", "content": "3 * 7 = 21, so \\boxed{21}."},
                                      {"role": "user", "content": "Improve your answer."}],
         add_generation_prompt=True),
    dict(name="ends on the assistant, no generation prompt",
         messages=[{"role": "user", "content": "Say hi."}, {"role": "assistant", "content": "Hi!"}],
         add_generation_prompt=False),
    dict(name="text that looks like markup",
         messages=[{"role": "user", "content": "  Quote \"this\", 'that', {braces} {{ x }} {% y %} and \u00e9\u00e8 \u4e2d\u6587 \U0001F600\n\ttabs  "}],
         add_generation_prompt=True),
    dict(name="with tools", messages=[{"role": "user", "content": "How much is in account A-17?"}],
         tools=TOOLS, add_generation_prompt=True),
]

# Plain conversations every template should accept, for the wider corpus.
CORPUS_CONVERSATIONS = [CONVERSATIONS[0], CONVERSATIONS[2], CONVERSATIONS[3],
                        dict(name="system, user, assistant, user",
                             messages=[{"role": "system", "content": "Be brief."},
                                       {"role": "user", "content": "What is 12 + 30?"},
                                       {"role": "assistant", "content": "42"},
                                       {"role": "user", "content": "And 2 + 2?"}],
                             add_generation_prompt=True)]


def templates_dir(work):
    """llama.cpp's models/templates, out of the llama-cpp-python source distribution."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                    "--no-build-isolation", LLAMA_CPP_PYTHON, "-d", work], check=True)
    sdist = glob.glob(os.path.join(work, "llama_cpp_python-*.tar.gz"))[0]
    with tarfile.open(sdist) as tar:
        members = [m for m in tar.getmembers() if "/models/templates/" in m.name and m.name.endswith(".jinja")]
        tar.extractall(work, members=members)
    return Path(glob.glob(os.path.join(work, "*", "vendor", "llama.cpp", "models", "templates"))[0])


def byte_level_tokenizer(spec):
    vocab = {ch: i for i, ch in enumerate(bytes_to_unicode().values())}
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    specials = []
    for key in ("bos", "eos", "unk", "pad"):
        if spec.get(key) and spec[key] not in specials:
            specials.append(spec[key])
    for t in spec["extra"]:
        if t not in specials:
            specials.append(t)
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in specials])
    return tok, specials


def render(tokenizer, conv):
    kwargs = dict(add_generation_prompt=conv["add_generation_prompt"])
    if conv.get("tools"):
        kwargs["tools"] = conv["tools"]
    try:
        text = tokenizer.apply_chat_template(conv["messages"], tokenize=False, **kwargs)
        ids = tokenizer.apply_chat_template(conv["messages"], tokenize=True, **kwargs)
        if isinstance(ids, dict):
            ids = ids["input_ids"]
        return dict(text=text, ids=list(ids))
    except Exception as e:  # the template's raise_exception, or a template bug
        return dict(error=str(e).splitlines()[0])


def write_fixture(out, name, spec, template):
    d = out / name
    d.mkdir(parents=True, exist_ok=True)
    tok, specials = byte_level_tokenizer(spec)
    hf = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token=spec.get("bos"), eos_token=spec.get("eos"),
                                 unk_token=spec.get("unk"), pad_token=spec.get("pad"),
                                 additional_special_tokens=[t for t in spec["extra"]
                                                            if t not in (spec.get("bos"), spec.get("eos"),
                                                                         spec.get("unk"), spec.get("pad"))])
    hf.chat_template = template
    for f in d.iterdir():
        f.unlink()
    hf.save_pretrained(d, save_jinja_files=spec["save"] == "jinja_file")
    for extra in ("special_tokens_map.json",):
        if (d / extra).exists():
            (d / extra).unlink()
    # A config.json so the folder loads through Ladder's TextTokenizer like a model folder would.
    cfg = {"model_type": "llama", "vocab_size": len(hf), "hidden_size": 8, "intermediate_size": 16,
           "num_hidden_layers": 1, "num_attention_heads": 2}
    (d / "config.json").write_text(json.dumps(cfg, indent=2) + "\n")
    reloaded = PreTrainedTokenizerFast.from_pretrained(d)
    assert reloaded.chat_template == template, name
    cases = []
    for conv in CONVERSATIONS:
        r = render(reloaded, conv)
        cases.append(dict(name=conv["name"], messages=conv["messages"], tools=conv.get("tools"),
                          add_generation_prompt=conv["add_generation_prompt"], **r))
    (d / "cases.json").write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n")
    saved = "chat_template.jinja" if spec["save"] == "jinja_file" else "tokenizer_config.json"
    print(f"{name}: {len(cases)} cases ({sum('error' in c for c in cases)} refused), template in {saved}")


def write_corpus(path, tdir):
    special = dict(bos_token="<s>", eos_token="</s>", unk_token="<unk>", pad_token="<pad>")
    n = 0
    with open(path, "w") as f:
        for tpl in sorted(tdir.glob("*.jinja")):
            template = tpl.read_text()
            for conv in CORPUS_CONVERSATIONS:
                try:
                    rendered, _ = render_jinja_template([conv["messages"]], chat_template=template,
                                                        add_generation_prompt=conv["add_generation_prompt"],
                                                        **special)
                    r = dict(text=rendered[0])
                except Exception as e:
                    r = dict(error=(str(e).splitlines() or [type(e).__name__])[0])
                f.write(json.dumps(dict(template_name=tpl.name, template=template, conversation=conv["name"],
                                        messages=conv["messages"],
                                        add_generation_prompt=conv["add_generation_prompt"],
                                        special_tokens=special, **r), ensure_ascii=False) + "\n")
                n += 1
    print(f"corpus: {n} renderings of {len(list(tdir.glob('*.jinja')))} templates -> {path}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--smollm2", type=Path, default=REPO_ROOT / "build" / "models" / "SmolLM2-135M-Instruct")
    ap.add_argument("--templates", type=Path, help="a models/templates folder (default: from the sdist)")
    ap.add_argument("--corpus", type=Path, help="also write the all-templates corpus here")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        tdir = args.templates or templates_dir(work)
        for name, spec in FIXTURES.items():
            src = args.smollm2 / "chat_template.jinja" if spec["file"] == "SMOLLM2" else tdir / spec["file"]
            write_fixture(args.out, name, spec, src.read_text())
        if args.corpus:
            write_corpus(args.corpus, tdir)


if __name__ == "__main__":
    main()
