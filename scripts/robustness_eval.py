"""How much does the whitespace of real text cost? Scores pipelines on a
gold corpus as it is and in variants with the gold offsets carried over:

  wrap:W     lines hard-wrapped at W columns (a single space becomes a
             newline, as in plain-text wires, e-mailed releases and PDF
             extractions; `attache.training.wrap`)
  nbsp:P     each single space between words a no-break space with
             probability P (text from web pages; `attache.evaluate.variants`)
  double:P   each one two spaces with probability P
  shy:P      a soft hyphen in the middle of each word of 8+ letters with
             probability P (a hyphenation point in scraped HTML)
  zwsp:P     a zero-width space after each word before a single space
             with probability P
  headline:S each document's first line, when it reads as a headline, in
             Title Case (S = title) or in capitals (S = upper)
             (`attache.training.headline`)

    .venv/bin/python scripts/robustness_eval.py training/model-rules training/preannotator --gold corpus/dev.spacy
    .venv/bin/python scripts/robustness_eval.py --gold corpus/train.spacy   # only count line breaks and odd spaces

With --respace, each pipeline is scored with `attache_respace` put around
its components (`attache.training.respace`; a setting of `line_breaks`:
never, wrapped, always) or taken out (off), a row per setting:

    .venv/bin/python scripts/robustness_eval.py training/model-rules --respace off wrapped always

With --retokenize, each pipeline's tokenizer gets the workbench's current
rules first (`attache.tokenizer`), as a model trained now has them; the
corpus has none of the characters the newer rules split off, so the
models' weights would be the same:

    .venv/bin/python scripts/robustness_eval.py training/model-rules --variants as-is shy:0.3 zwsp:0.3 --respace off wrapped --retokenize

Prints a Markdown table (micro F1 over exact entity spans). Variants are
seeded (--seed), so two runs score the same texts.
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import spacy  # noqa: E402
from spacy.training import Example  # noqa: E402

from attache.evaluate.run import evaluate, read_gold  # noqa: E402
from attache.evaluate.variants import KINDS, respaced  # noqa: E402
from attache.labels import load_scheme  # noqa: E402
from attache.tokenizer import customize_tokenizer, make_nlp  # noqa: E402
from attache.training.headline import STYLES, recase_headline  # noqa: E402
from attache.training.respace import LINE_BREAKS, bracket  # noqa: E402
from attache.training.wrap import wrap_example  # noqa: E402

DEFAULT_VARIANTS = ["as-is", "wrap:72", "nbsp:0.1", "double:0.1"]


def variant(gold: list, name: str, nlp, seed: int) -> list:
    """The gold documents as the variant ``name`` ("as-is", "wrap:W", or a kind of ``KINDS`` and a share: "nbsp:P") has them."""
    if name == "as-is":
        return gold
    kind, _, value = name.partition(":")
    if kind == "headline" and value in STYLES:
        return [recase_headline(doc, value) or doc for doc in gold]
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is not None and kind == "wrap":
        return [wrap_example(nlp, Example(nlp.make_doc(doc.text), doc), int(number)).reference for doc in gold]
    if number is not None and kind in KINDS:
        rng = random.Random(seed)
        return [respaced(doc, kind, number, rng, nlp) for doc in gold]
    raise SystemExit(f"variant {name!r}: expected as-is, wrap:WIDTH, headline:title, headline:upper or one of {', '.join(sorted(KINDS))} with :SHARE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", type=Path, nargs="*", help="pipelines to score (a trained model, the saved pre-annotator); none: only count")
    parser.add_argument("--gold", type=Path, default=REPO / "corpus" / "dev.spacy")
    parser.add_argument("--variants", nargs="+", default=DEFAULT_VARIANTS, help="as-is, wrap:WIDTH, nbsp:SHARE, double:SHARE, shy:SHARE, zwsp:SHARE, headline:title, headline:upper")
    parser.add_argument("--respace", nargs="+", choices=["off", *LINE_BREAKS], help="score each pipeline with attache_respace around it, a row per setting")
    parser.add_argument("--retokenize", action="store_true", help="give each pipeline the workbench's current tokenizer rules first")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    nlp = make_nlp()
    gold, labels = read_gold(args.gold, nlp), load_scheme().names
    broken = sum(any(token.text == "\n" for token in doc) for doc in gold)
    across = sum("\n" in ent.text for doc in gold for ent in doc.ents)
    odd = sum(any(token.is_space and "\n" not in token.text for token in doc) for doc in gold)
    print(f"gold: {args.gold} ({len(gold)} documents, {broken} with a single line break; "
          f"{across} of {sum(len(doc.ents) for doc in gold)} entities cross one; {odd} with other whitespace between words)\n")
    if not args.models:
        return
    golds = {name: variant(gold, name, nlp, args.seed) for name in args.variants}
    print("| pipeline | " + " | ".join(args.variants) + " |\n|---|" + "---:|" * len(args.variants))
    for model in args.models:
        pipeline = spacy.load(model)
        if args.retokenize:
            customize_tokenizer(pipeline)
        for setting in args.respace or [None]:
            if setting is not None:
                bracket(pipeline, None if setting == "off" else setting)
            scores = [evaluate(pipeline, golds[name], labels)[0].scores.micro.f1 for name in args.variants]
            row = model if setting is None else f"{model}, respace {setting}"
            print(f"| {row} | " + " | ".join(f"{f:.4f}" for f in scores) + " |", flush=True)


if __name__ == "__main__":
    main()
