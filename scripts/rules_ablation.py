"""Which labels' gazetteer rules belong in front of the trained NER? Scores,
on a dev corpus, the NER alone, the NER with all the rules in front (what
`attache add-rules` ships) and the NER with all the rules but one label's.

    .venv/bin/python scripts/rules_ablation.py --model training/model-best --dev corpus/dev.spacy

Decide on dev: the held-out articles are for the final score only.
Prints a Markdown table (micro F1 over exact entity spans).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import spacy  # noqa: E402
from spacy.tokens import DocBin  # noqa: E402

from attache.patterns import load_patterns, with_caps_variants  # noqa: E402
from attache.tokenizer import make_nlp  # noqa: E402
from attache.training.rules import RULER  # noqa: E402


def micro_f1(gold, predicted) -> float:
    tp = fp = fn = 0
    for g, p in zip(gold, predicted):
        want = {(e.start_char, e.end_char, e.label_) for e in g.ents}
        got = {(e.start_char, e.end_char, e.label_) for e in p.ents}
        tp, fp, fn = tp + len(want & got), fp + len(got - want), fn + len(want - got)
    return 2 * tp / max(1, 2 * tp + fp + fn)


def predict(model: Path, patterns, texts):
    nlp = spacy.load(model)
    if patterns:  # as attache.training.rules.add_rules places them
        ruler = nlp.add_pipe("span_ruler", name=RULER, first=True, config={
            "spans_key": None, "annotate_ents": True, "overwrite": True, "validate": True, "phrase_matcher_attr": None})
        ruler.add_patterns(patterns)
    return list(nlp.pipe(texts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=REPO / "training" / "model-best", help="trained pipeline without rules")
    parser.add_argument("--dev", type=Path, default=REPO / "corpus" / "dev.spacy")
    parser.add_argument("--patterns", type=Path, default=REPO / "configs" / "patterns")
    args = parser.parse_args()
    patterns = with_caps_variants(load_patterns(args.patterns), ("GPE",))
    gold = list(DocBin().from_disk(args.dev).get_docs(make_nlp().vocab))
    texts = [doc.text for doc in gold]
    everything = micro_f1(gold, predict(args.model, patterns, texts))
    rows = [("NER alone", micro_f1(gold, predict(args.model, [], texts))), ("all rules in front (shipped)", everything)]
    for label in sorted({p["label"] for p in patterns}):
        rows.append((f"all rules but {label}'s", micro_f1(gold, predict(args.model, [p for p in patterns if p["label"] != label], texts))))
    print(f"dev: {args.dev} ({len(gold)} documents), model: {args.model}\n")
    print("| pipeline | dev micro F1 | vs shipped |\n|---|---:|---:|")
    for name, f in rows:
        print(f"| {name} | {f:.4f} | {f - everything:+.4f} |")


if __name__ == "__main__":
    main()
