"""Gold documents re-spaced as real text often is, the gold entities carried
over to the new offsets:

- ``nbsp``, ``double``: some of the single spaces between words become
  no-break spaces (text taken from web pages, French typography) or two
  spaces. spaCy makes any whitespace other than one trailing space a token
  of its own, so a model that never saw one between words reads
  "Foreign\u00a0Minister" as three tokens it does not know how to join.
- ``shy``, ``zwsp``: invisible characters of scraped HTML: a soft hyphen in
  the middle of some long words ("Kazakh\u00adstan", a hyphenation point),
  a zero-width space after some words, before their space. An entity's
  edges stay on its words (the invisible characters outside it).
"""
from __future__ import annotations

import random
import re
from typing import List

from spacy.language import Language
from spacy.tokens import Doc

SPACES = {"nbsp": "\u00a0", "double": "  "}
INVISIBLES = {"shy": "\u00ad", "zwsp": "\u200b"}
KINDS = {**SPACES, **INVISIBLES}
LONG_WORD = re.compile(r"[^\W\d_]{8,}")  # where a soft hyphen goes: words of eight letters or more


def respaced(doc: Doc, kind: str, share: float, rng: random.Random, nlp: Language) -> Doc:
    """``doc``'s text rewritten as ``kind`` (one of ``KINDS``) says, each
    place drawn with probability ``share``: each single space between two
    non-space characters replaced by ``SPACES[kind]``; a soft hyphen put in
    the middle of a word of eight letters or more; a zero-width space put
    before a single space after a word. Tokenised by ``nlp``, with
    ``doc``'s entities at their new offsets. An entity that no longer falls
    on token edges is an error, not a drop."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of spacing {kind!r}: use one of {sorted(KINDS)}")
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"share must be between 0 and 1, not {share}")
    text = doc.text
    before = [""] * len(text)  # inserted before character i
    replaced = list(text)
    if kind == "shy":
        for word in LONG_WORD.finditer(text):
            if rng.random() < share:
                before[(word.start() + word.end()) // 2] = INVISIBLES[kind]
    else:
        for i, char in enumerate(text):
            between_words = char == " " and 0 < i < len(text) - 1 and not text[i - 1].isspace() and not text[i + 1].isspace()
            if between_words and rng.random() < share:
                if kind in SPACES:
                    replaced[i] = SPACES[kind]
                else:
                    before[i] = INVISIBLES[kind]
    return _carried(doc, before, replaced, nlp)


def _carried(doc: Doc, before: List[str], replaced: List[str], nlp: Language) -> Doc:
    """A new document of ``before[i] + replaced[i]`` for each character i of
    ``doc.text``, with ``doc``'s entities: an entity starts where its first
    character's replacement starts and ends after its last one's."""
    pieces, starts, ends = [], [], []
    length = 0
    for inserted, char in zip(before, replaced):
        length += len(inserted)
        starts.append(length)
        pieces.append(inserted + char)
        length += len(char)
        ends.append(length)
    new = nlp.make_doc("".join(pieces))
    ents: List = []
    for ent in doc.ents:
        start, end = starts[ent.start_char], ends[ent.end_char - 1]
        span = new.char_span(start, end, label=ent.label_)
        if span is None:
            raise ValueError(f"{ent.text!r} ({ent.start_char}-{ent.end_char}, {ent.label_}) re-spaced as {new.text[start:end]!r} does not fall on token edges")
        ents.append(span)
    new.ents = ents
    new.user_data.update(doc.user_data)
    return new
