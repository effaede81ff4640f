"""spaCy's ``span_ruler``, matching across the whitespace of real text.

spaCy keeps one space after a token as its trailing whitespace and makes any
other whitespace a token of its own: a line break in hard-wrapped text, a
no-break space, a second space. A phrase pattern ("European Commission")
then no longer matches "European\\nCommission" or "European\\u00a0Commission".
``attache_span_ruler`` is the ``span_ruler`` with one change: it matches on
the document without those whitespace tokens and puts each match back on
the document's own tokens, whitespace inside it included. A paragraph break
(two line breaks or more) stays, so no match joins two paragraphs.

Its config, patterns and saved form are the ``span_ruler``'s. This module is
copied into packaged pipelines (``spacy package --code``, see
``attache.package``) so that they load without the workbench: it imports
nothing from attache.
"""
from __future__ import annotations

from typing import Callable, Iterable, List, Optional, Union

from spacy.language import Language
from spacy.pipeline.span_ruler import SpanRuler
from spacy.tokens import Doc, Span


def skippable(token) -> bool:
    """Whitespace a name can run across: anything but a paragraph break."""
    return token.is_space and token.text.count("\n") < 2


class SpacedSpanRuler(SpanRuler):
    def match(self, doc: Doc) -> List[Span]:
        kept = [token.i for token in doc if not skippable(token)]
        if len(kept) == len(doc):
            return super().match(doc)
        if not kept:
            return []
        compact = Doc(doc.vocab, words=[doc[i].text for i in kept], spaces=[True] * (len(kept) - 1) + [False])
        return sorted({Span(doc, kept[span.start], kept[span.end - 1] + 1, label=span.label, span_id=span.id) for span in super().match(compact)})


# span_ruler's own defaults (tests/test_ruler.py checks they still are): spaCy
# registers its factories lazily, so a packaged pipeline importing this module
# first could not read them from Language.get_factory_meta("span_ruler").
DEFAULT_CONFIG = {
    "spans_key": "ruler",
    "spans_filter": None,
    "annotate_ents": False,
    "ents_filter": {"@misc": "spacy.first_longest_spans_filter.v1"},
    "phrase_matcher_attr": None,
    "matcher_fuzzy_compare": {"@misc": "spacy.levenshtein_compare.v1"},
    "validate": False,
    "overwrite": True,
    "scorer": {"@scorers": "spacy.overlapping_labeled_spans_scorer.v1", "spans_key": "ruler"},
}


@Language.factory("attache_span_ruler", assigns=["doc.spans"], default_config=DEFAULT_CONFIG)
def make_spaced_span_ruler(
    nlp: Language,
    name: str,
    spans_key: Optional[str],
    spans_filter: Optional[Callable[[Iterable[Span], Iterable[Span]], Iterable[Span]]],
    annotate_ents: bool,
    ents_filter: Callable[[Iterable[Span], Iterable[Span]], Iterable[Span]],
    phrase_matcher_attr: Optional[Union[int, str]],
    matcher_fuzzy_compare: Callable,
    validate: bool,
    overwrite: bool,
    scorer: Optional[Callable],
) -> SpacedSpanRuler:
    return SpacedSpanRuler(nlp, name, spans_key=spans_key, spans_filter=spans_filter, annotate_ents=annotate_ents, ents_filter=ents_filter,
                           phrase_matcher_attr=phrase_matcher_attr, matcher_fuzzy_compare=matcher_fuzzy_compare, validate=validate,
                           overwrite=overwrite, scorer=scorer)
