"""Where do the gazetteer rules belong, and which labels' rules help? Scores,
on a dev corpus, the NER alone, the NER with all the rules merged (what
`attache add-rules` ships: longer span wins, the rule's label on the same
span), with all the rules in front of it, with all the rules after it
(spaCy's filter: the NER wins ties), and merged with all the rules but one
label's.

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

from attache.evaluate.run import evaluate, read_gold  # noqa: E402
from attache.labels import load_scheme  # noqa: E402
from attache.patterns import load_patterns, with_caps_variants  # noqa: E402
from attache.tokenizer import make_nlp  # noqa: E402
from attache.training.rules import rules_after, rules_in_front, rules_merged  # noqa: E402


def dev_f1(model: Path, patterns, gold, labels, place=rules_merged) -> float:
    """Micro F1 on ``gold`` of ``model`` with ``patterns`` merged, as `attache add-rules` puts them (or as ``place`` does)."""
    nlp = spacy.load(model)
    if patterns:
        place(nlp, patterns)
    return evaluate(nlp, gold, labels)[0].scores.micro.f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=REPO / "training" / "model-best", help="trained pipeline without rules")
    parser.add_argument("--dev", type=Path, default=REPO / "corpus" / "dev.spacy")
    parser.add_argument("--patterns", type=Path, default=REPO / "configs" / "patterns")
    args = parser.parse_args()
    patterns = with_caps_variants(load_patterns(args.patterns), ("GPE",))
    gold, labels = read_gold(args.dev, make_nlp()), load_scheme().names
    everything = dev_f1(args.model, patterns, gold, labels)
    rows = [("NER alone", dev_f1(args.model, [], gold, labels)), ("all rules merged (shipped)", everything),
            ("all rules in front of the NER", dev_f1(args.model, patterns, gold, labels, rules_in_front)),
            ("all rules after the NER (the NER wins ties)", dev_f1(args.model, patterns, gold, labels, rules_after))]
    for label in sorted({p["label"] for p in patterns}):
        rows.append((f"all rules but {label}'s", dev_f1(args.model, [p for p in patterns if p["label"] != label], gold, labels)))
    print(f"dev: {args.dev} ({len(gold)} documents), model: {args.model}\n")
    print("| pipeline | dev micro F1 | vs shipped |\n|---|---:|---:|")
    for name, f in rows:
        print(f"| {name} | {f:.4f} | {f - everything:+.4f} |")


if __name__ == "__main__":
    main()
