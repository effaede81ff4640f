"""Several NER components in one pipeline, and a vote over their entities.

spaCy's NER keeps the entities already on a document (a second NER would
treat the first one's as preset), so each NER is followed by
``attache_stash_ents``, which moves ``doc.ents`` into a span group of its
own and clears them. ``attache_vote_ents`` then sets ``doc.ents`` to the
spans (same start and end) that at least ``min_votes`` of the groups hold,
each with the label most of those groups gave it, a tie going to the
group listed first (with ``same_label``, a span counts only with the same
label); where voted spans overlap, the longer one wins (spaCy's
``filter_spans``). With two NERs and the default majority, an entity needs
both, and the first NER decides its label; with three, any two.

Chosen on dev (``scripts/vote_eval.py``, README "What is shipped"): the
transformer NER and the warm-started CNN agreeing on the span, the
transformer naming the label, with the gazetteer rules merged after, beat
the transformer alone and the two agreeing on span and label.

This module is copied into packaged pipelines (``spacy package --code``, see
``attache.package``) so that they load without the workbench: it imports
nothing from attache.
"""
from __future__ import annotations

from collections import Counter
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

SpanKey = Tuple[int, int, str]


class StashEnts:
    """Move ``doc.ents`` into ``doc.spans[spans_key]`` and clear them."""

    def __init__(self, name: str, spans_key: str) -> None:
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[self.spans_key] = list(doc.ents)
        doc.ents = []
        return doc


def needed_votes(n_groups: int, min_votes: Optional[int]) -> int:
    """``min_votes``, or more than half of ``n_groups`` when it is None."""
    if n_groups < 1:
        raise ValueError("attache_vote_ents needs at least one span group in spans_keys")
    needed = n_groups // 2 + 1 if min_votes is None else min_votes
    if not 1 <= needed <= n_groups:
        raise ValueError(f"attache_vote_ents: min_votes must be between 1 and {n_groups} (the number of span groups), not {needed}")
    return needed


def voted(groups: Sequence[Iterable[SpanKey]], needed: int, same_label: bool = False) -> List[SpanKey]:
    """The (start, end, label) spans whose start and end (and label, with
    ``same_label``) at least ``needed`` of ``groups`` hold, each group
    counting once; the label is the one most of those groups gave, a tie
    going to the earliest group. In order of their offsets."""
    casts: Dict[tuple, Dict[int, str]] = {}
    for i, group in enumerate(groups):
        for start, end, label in group:
            casts.setdefault((start, end, label) if same_label else (start, end), {}).setdefault(i, label)
    found = []
    for key, by_group in casts.items():
        if len(by_group) >= needed:
            # by_group is filled in group order and most_common keeps that order among ties
            found.append((key[0], key[1], Counter(by_group.values()).most_common(1)[0][0]))
    return sorted(found)


class VoteEnts:
    """Set ``doc.ents`` from the spans enough groups agree on."""

    def __init__(self, name: str, spans_keys: Sequence[str], min_votes: Optional[int], same_label: bool) -> None:
        self.name = name
        self.spans_keys = list(spans_keys)
        self.same_label = same_label
        self.needed = needed_votes(len(self.spans_keys), min_votes)

    def __call__(self, doc: Doc) -> Doc:
        groups = [[(s.start, s.end, s.label_) for s in doc.spans.get(key, [])] for key in self.spans_keys]
        doc.ents = filter_spans([Span(doc, start, end, label=label) for start, end, label in voted(groups, self.needed, self.same_label)])
        return doc


@Language.factory("attache_stash_ents", default_config={"spans_key": "ner"})
def make_stash_ents(nlp: Language, name: str, spans_key: str) -> StashEnts:
    return StashEnts(name, spans_key)


@Language.factory("attache_vote_ents", default_config={"spans_keys": ["ner", "ner_2"], "min_votes": None, "same_label": False})
def make_vote_ents(nlp: Language, name: str, spans_keys: List[str], min_votes: Optional[int], same_label: bool) -> VoteEnts:
    return VoteEnts(name, spans_keys, min_votes, same_label)
