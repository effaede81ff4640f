"""How much does hard-wrapped text cost? Scores pipelines on a corpus as it
is and with its lines wrapped at fixed widths (a single space becomes a
newline, as in plain-text wires, e-mailed releases and PDF extractions;
`attache.training.wrap`), entity offsets unchanged.

    .venv/bin/python scripts/wrap_eval.py training/model-rules training/preannotator --gold corpus/dev.spacy
    .venv/bin/python scripts/wrap_eval.py --gold corpus/train.spacy   # only count the line breaks

Prints a Markdown table (micro F1 over exact entity spans).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import spacy  # noqa: E402
from spacy.training import Example  # noqa: E402

from attache.evaluate.run import evaluate, read_gold  # noqa: E402
from attache.labels import load_scheme  # noqa: E402
from attache.tokenizer import make_nlp  # noqa: E402
from attache.training.wrap import wrap_example  # noqa: E402


def wrapped_gold(gold, width: int, nlp) -> list:
    """The gold documents with their lines wrapped at ``width`` columns (0: as they are)."""
    if not width:
        return gold
    return [wrap_example(nlp, Example(nlp.make_doc(doc.text), doc), width).reference for doc in gold]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", type=Path, nargs="*", help="pipelines to score (a trained model, the saved pre-annotator); none: only count the line breaks")
    parser.add_argument("--gold", type=Path, default=REPO / "corpus" / "dev.spacy")
    parser.add_argument("--widths", type=int, nargs="+", default=[0, 100, 72, 50], help="0: the text as it is")
    args = parser.parse_args()
    nlp = make_nlp()
    gold, labels = read_gold(args.gold, nlp), load_scheme().names
    heads = ["as is" if not w else f"wrapped at {w}" for w in args.widths]
    broken = sum(any(token.text == "\n" for token in doc) for doc in gold)
    across = sum("\n" in ent.text for doc in gold for ent in doc.ents)
    print(f"gold: {args.gold} ({len(gold)} documents, {broken} with a single line break; "
          f"{across} of {sum(len(doc.ents) for doc in gold)} entities cross one)\n")
    if not args.models:
        return
    golds = {width: wrapped_gold(gold, width, nlp) for width in args.widths}
    print("| pipeline | " + " | ".join(heads) + " |\n|---|" + "---:|" * len(heads))
    for model in args.models:
        pipeline = spacy.load(model)
        scores = [evaluate(pipeline, golds[w], labels)[0].scores.micro.f1 for w in args.widths]
        print(f"| {model} | " + " | ".join(f"{f:.4f}" for f in scores) + " |", flush=True)


if __name__ == "__main__":
    main()
