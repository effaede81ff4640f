"""Headline case: a training augmenter that sets some articles' headlines
in Title Case or in capitals, as many sites and wires print them.

Most headlines of the sample corpus are in sentence case ("UN council
approves Kenyan-led force"); elsewhere the same line reads "UN Council
Approves Kenyan-Led Force" or "UN COUNCIL APPROVES KENYAN-LED FORCE", and a
model that knows names by their capitals finds names in every word. The
augmenter re-cases the first line of a share of the training articles
(only the case changes: the same tokens, the same offsets, the same
entities). Registered as ``attache.headline_case.v1`` (spaCy's
``augmenters`` registry):

    [corpora.train.augmenter]
    @augmenters = "attache.headline_case.v1"
    level = 0.3
    upper = 0.3
    seed = ${system.seed}

``recase_headline`` gives the same change to a gold document, for scoring
(``scripts/robustness_eval.py --variants headline:title headline:upper``).
"""
from __future__ import annotations

from typing import Callable, Optional

from spacy.tokens import Doc

from ..errors import AttacheError
from .augment import iob_tag, sometimes

STYLES = ("title", "upper")
MAX_WORDS = 30  # a longer first line is a paragraph, not a headline
SMALL_WORDS = frozenset("a an and as at but by for from in into nor of off on onto or over per so the to up via with yet".split())


def headline_end(doc: Doc) -> Optional[int]:
    """The index of the first line break token of ``doc`` when the line
    before it reads as a headline (3 to ``MAX_WORDS`` words, and more
    text after it), else None."""
    for token in doc:
        if "\n" in token.text:
            words = sum(1 for t in doc[:token.i] if not t.is_space and not t.is_punct)
            return token.i if 3 <= words <= MAX_WORDS and token.i + 1 < len(doc) else None
    return None


def _upper(text: str) -> str:
    """``text`` in capitals, letter by letter where that keeps its length ("ß" stays)."""
    return "".join(char.upper() if len(char.upper()) == 1 else char for char in text)


def recase(word: str, style: str, first: bool) -> str:
    """``word`` (a token's text) in ``style``: "upper", or "title" (each
    part between hyphens starting with a capital, the rest as it was; a
    small word left as it is unless ``first``)."""
    if style == "upper":
        return _upper(word)
    if style != "title":
        raise ValueError(f"headline style must be one of {', '.join(STYLES)}, not {style!r}")
    if not first and word.lower() in SMALL_WORDS:
        return word
    return "-".join(_upper(part[:1]) + part[1:] for part in word.split("-"))


def recase_headline(doc: Doc, style: str) -> Optional[Doc]:
    """A copy of ``doc`` (a reference document) with its headline in
    ``style``: the same tokens, spaces and entity annotation (missing stays
    missing); None when it has no headline or the style changes nothing."""
    end = headline_end(doc)
    if end is None:
        return None
    words = [token.text for token in doc]
    first = True
    for token in doc[:end]:
        if token.is_space or token.is_punct:
            first = first or token.text in (":", "|", "–", "—")
            continue
        words[token.i] = recase(token.text, style, first)
        first = False
    if words == [token.text for token in doc]:
        return None
    copy = Doc(doc.vocab, words=words, spaces=[bool(token.whitespace_) for token in doc], ents=[iob_tag(token) for token in doc])
    copy.user_data.update(doc.user_data)
    return copy


def make_headline_case(level: float, upper: float = 0.3, seed: int = 0) -> Callable:
    """spaCy augmenter: each training example, with probability ``level``,
    replaced by one whose headline is in capitals (probability ``upper``)
    or in Title Case (otherwise)."""
    for name, value in (("level", level), ("upper", upper)):
        if not 0.0 <= value <= 1.0:
            raise AttacheError("E114", f"headline_case: {name}={value} must be between 0 and 1",
                               "Fix [corpora.train.augmenter] in the training config.")
    return sometimes(level, seed, lambda nlp, example, rng: _recased_example(nlp, example, "upper" if rng.random() < upper else "title"))


def _recased_example(nlp, example, style: str):
    from spacy.training import Example

    reference = recase_headline(example.reference, style)
    return None if reference is None else Example(nlp.make_doc(reference.text), reference)
