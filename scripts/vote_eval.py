"""Would a vote of several NER models beat one? Scores each trained pipeline
(NER alone, without rules) and their majority vote as `attache vote` ships
it (``attache.training.vote.voted``: a span counts when more than half of
the models predict it; with two models, when both do), in its two forms:
on the span, labelled as most of the models label it (a tie going to the
first model), and on span and label (``--same-label``). Each also with the
gazetteer rules merged as `attache add-rules` merges them (longer span
wins, the rule's label on the same span).

    .venv/bin/python scripts/vote_eval.py training/model-best training/cnn <another run>/model-best --dev corpus/dev.spacy

Decide on dev: the held-out articles are for the final score only.
Prints a Markdown table (micro F1 over exact entity spans).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import spacy  # noqa: E402
from spacy.util import filter_spans  # noqa: E402

from attache.evaluate.run import gold_spans, read_gold  # noqa: E402
from attache.evaluate.scores import SpanT, score_spans  # noqa: E402
from attache.labels import load_scheme  # noqa: E402
from attache.patterns import load_patterns, with_caps_variants  # noqa: E402
from attache.tokenizer import customize_tokenizer, make_nlp  # noqa: E402
from attache.training.merge import longest_then_rules  # noqa: E402
from attache.training.rules import RULES_KEY, rules_merged  # noqa: E402
from attache.training.vote import needed_votes, voted  # noqa: E402


def as_spans(doc, spans: List[SpanT]) -> list:
    """``spans`` (character offsets) on ``doc``'s tokens, overlaps resolved
    longest first; a span off the token edges is an error, not a drop."""
    found = []
    for start, end, label in spans:
        span = doc.char_span(start, end, label=label)
        if span is None:
            raise ValueError(f"{doc.text[start:end]!r} ({start}-{end}, {label}) does not fall on token edges of the rules' tokenizer")
        found.append(span)
    return filter_spans(found)


def offsets(spans) -> List[SpanT]:
    return [(span.start_char, span.end_char, span.label_) for span in spans]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", type=Path, nargs="+", help="trained pipelines without rules (model-best of each run)")
    parser.add_argument("--dev", type=Path, default=REPO / "corpus" / "dev.spacy")
    parser.add_argument("--patterns", type=Path, default=REPO / "configs" / "patterns")
    args = parser.parse_args()
    if len(args.models) < 2:
        parser.error("a vote needs at least two models")
    gold_docs, labels = read_gold(args.dev, make_nlp()), load_scheme().names
    gold, texts = [gold_spans(doc) for doc in gold_docs], [doc.text for doc in gold_docs]
    ruler = customize_tokenizer(spacy.blank("en"))  # make_nlp()'s pipeline is shared: no components on it
    rules_merged(ruler, with_caps_variants(load_patterns(args.patterns), ("GPE",)))
    ruled = list(ruler.pipe(texts))
    rows = [(str(model), [offsets(doc.ents) for doc in spacy.load(model).pipe(texts)]) for model in args.models]
    needed, per_doc = needed_votes(len(args.models), None), list(zip(*(predicted for _, predicted in rows)))
    for same_label, what in ((False, "on the span, the first model's label on a tie"), (True, "on span and label")):
        votes = [offsets(as_spans(doc, voted(spans, needed, same_label))) for doc, spans in zip(ruled, per_doc)]
        rows.append((f"majority of {len(args.models)}, {what}", votes))
    print(f"dev: {args.dev} ({len(gold)} documents)\n")
    print("| NER | alone | rules merged |\n|---|---:|---:|")
    for name, predicted in rows:
        merged = [offsets(longest_then_rules(as_spans(doc, spans), doc.spans[RULES_KEY])) for doc, spans in zip(ruled, predicted)]
        print(f"| {name} | {score_spans(gold, predicted, labels).micro.f1:.4f} | {score_spans(gold, merged, labels).micro.f1:.4f} |")


if __name__ == "__main__":
    main()
