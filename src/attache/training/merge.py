"""Merge the gazetteer rules' matches with the NER's entities.

The rules run first and only write their matches to a span group; this
component, last in the pipeline, sets ``doc.ents`` from the NER's entities
and those matches together: where two overlap the longer span wins ("Bank of
China" from the NER over the rule's "China"), and where they are the same
span the rule's label wins. Rules imposed before the NER could not be
overruled by a longer entity; rules merged after it with spaCy's own filter
lose every tie to the NER.

This module is copied into packaged pipelines (``spacy package --code``, see
``attache.package``) so that they load without the workbench: it imports
nothing from attache.
"""
from __future__ import annotations

from typing import Iterable, List

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans


def longest_then_rules(ents: Iterable[Span], matches: Iterable[Span]) -> List[Span]:
    """Non-overlapping spans from ``ents`` and ``matches``: spaCy's
    ``filter_spans`` (longer first, then the earlier start) over the matches
    followed by the entities; its sort is stable, so on the same span the
    match comes first and wins."""
    return filter_spans([*matches, *ents])


class MergeRules:
    def __init__(self, name: str, spans_key: str) -> None:
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        doc.ents = longest_then_rules(doc.ents, doc.spans.get(self.spans_key, []))
        return doc


@Language.factory("attache_merge_rules", default_config={"spans_key": "rules"})
def make_merge_rules(nlp: Language, name: str, spans_key: str) -> MergeRules:
    return MergeRules(name, spans_key)
