"""How often is each gazetteer rule right? Runs the rules alone (overlapping
matches resolved longest first) over a gold corpus and scores each matched
phrase against the gold entities: exact, wrong label (same
offsets), wrong boundary (overlaps a gold entity of its label), overlaps
another label's entity, or spurious (no gold entity there).

    .venv/bin/python scripts/rules_audit.py --gold corpus/train.spacy --below 0.5 --min-matches 3

Audit on train (or dev); the held-out articles are for the final score only.
Prints a Markdown table of the phrases whose precision is below --below.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import spacy  # noqa: E402

from attache.evaluate.run import read_gold  # noqa: E402
from attache.patterns import load_patterns, with_caps_variants  # noqa: E402
from attache.tokenizer import customize_tokenizer  # noqa: E402
from attache.training.rules import rules_in_front  # noqa: E402

OUTCOMES = ("exact", "label", "boundary", "other label", "spurious")


def outcome(start: int, end: int, label: str, gold: dict) -> str:
    """What a rule's match is, against ``gold``: (start, end) -> label."""
    if (start, end) in gold:
        return "exact" if gold[(start, end)] == label else "label"
    overlapping = [g_label for (g_start, g_end), g_label in gold.items() if g_start < end and start < g_end]
    if not overlapping:
        return "spurious"
    return "boundary" if label in overlapping else "other label"


def audit(gold_path: Path, patterns: list) -> dict:
    """(label, pattern id, matched text) -> Counter of outcomes."""
    nlp = customize_tokenizer(spacy.blank("en"))  # make_nlp()'s pipeline is shared: no components on it
    rules_in_front(nlp, patterns)
    found: dict = defaultdict(Counter)
    docs = read_gold(gold_path, nlp)
    for gold_doc, doc in zip(docs, nlp.pipe(d.text for d in docs)):
        gold = {(e.start_char, e.end_char): e.label_ for e in gold_doc.ents}
        for ent in doc.ents:
            found[(ent.label_, ent.ent_id_, ent.text)][outcome(ent.start_char, ent.end_char, ent.label_, gold)] += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=REPO / "corpus" / "train.spacy")
    parser.add_argument("--patterns", type=Path, default=REPO / "configs" / "patterns")
    parser.add_argument("--below", type=float, default=0.5, help="list phrases whose share of exact matches is below this")
    parser.add_argument("--min-matches", type=int, default=3)
    args = parser.parse_args()
    found = audit(args.gold, with_caps_variants(load_patterns(args.patterns), ("GPE",)))
    total = Counter()
    for counts in found.values():
        total.update(counts)
    matches = sum(total.values())
    print(f"gold: {args.gold}; {matches} matches, {total['exact'] / matches:.3f} exact; " + ", ".join(f"{k} {total[k]}" for k in OUTCOMES) + "\n")
    rows = [(key, counts) for key, counts in found.items()
            if sum(counts.values()) >= args.min_matches and counts["exact"] / sum(counts.values()) < args.below]
    rows.sort(key=lambda row: (-(sum(row[1].values()) - row[1]["exact"]), row[0]))
    print("| label | pattern id | matched | matches | " + " | ".join(OUTCOMES) + " |\n|---|---|---|---:|" + "---:|" * len(OUTCOMES))
    for (label, pattern_id, text), counts in rows:
        print(f"| {label} | {pattern_id} | {text} | {sum(counts.values())} | " + " | ".join(str(counts[k]) for k in OUTCOMES) + " |")


if __name__ == "__main__":
    main()
