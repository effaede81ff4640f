"""spaCy's ``span_ruler``, matching across the whitespace of real text.

spaCy keeps one space after a token as its trailing whitespace and makes any
other whitespace a token of its own: a line break in hard-wrapped text, a
no-break space, a second space. A phrase pattern ("European Commission")
then no longer matches "European\\nCommission" or "European\\u00a0Commission".
``attache_span_ruler`` is the ``span_ruler`` with one change: it matches on
the document without those whitespace tokens and puts each match back on
the document's own tokens, whitespace inside it included. Phrase patterns
run across single line breaks too (a name wrapped over two lines); token
patterns, open-ended, do not (a line break ends them, so "...Partnership"
at a line's end does not take in the next line's first name), and a
paragraph break ends every match.

Its config, patterns and saved form are the ``span_ruler``'s. This module is
copied into packaged pipelines (``spacy package --code``, see
``attache.package``) so that they load without the workbench: it imports
nothing from attache.
"""
from __future__ import annotations

import warnings
from typing import Callable, Iterable, List, Optional, Tuple, Union

from spacy.language import Language
from spacy.pipeline.span_ruler import SpanRuler
from spacy.tokens import Doc, Span


def skippable(token, *, line_breaks: bool) -> bool:
    """Whitespace a match can run across: odd spaces, and with
    ``line_breaks`` a single line break too (never a paragraph break)."""
    if not token.is_space:
        return False
    return token.text.count("\n") < 2 if line_breaks else "\n" not in token.text


class SpacedSpanRuler(SpanRuler):
    """Phrase patterns match across single line breaks and odd spaces; token
    patterns, whose open-ended parts ("Agreement for" and the capitalised
    words after it) would run on into the next line, across odd spaces only."""

    def match(self, doc: Doc) -> List[Span]:
        self._require_patterns()
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="\\[W036")  # as span_ruler: a matcher without patterns
            found = _matches(self.matcher, doc, line_breaks=False) + _matches(self.phrase_matcher, doc, line_breaks=True)
        names = self._match_label_id_map
        return sorted({Span(doc, start, end, label=names[key]["label"], span_id=names[key]["id"]) for key, start, end in found if start != end})


def _matches(matcher, doc: Doc, *, line_breaks: bool) -> List[Tuple[int, int, int]]:
    """``matcher``'s (key, start, end) on ``doc`` without its skippable
    whitespace tokens, put back on ``doc``'s own tokens."""
    kept = [token.i for token in doc if not skippable(token, line_breaks=line_breaks)]
    if len(kept) == len(doc):
        return list(matcher(doc))
    if not kept:
        return []
    compact = Doc(doc.vocab, words=[doc[i].text for i in kept], spaces=[True] * (len(kept) - 1) + [False])
    return [(key, kept[start], kept[end - 1] + 1) for key, start, end in matcher(compact)]


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
