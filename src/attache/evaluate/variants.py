"""Gold documents re-spaced as real text often is: some of the single
spaces between words become no-break spaces (text taken from web pages,
French typography) or two spaces, the gold entities carried over to the new
offsets. spaCy makes any whitespace other than one trailing space a token of
its own, so a model that never saw one between words reads "Foreign\u00a0Minister"
as three tokens it does not know how to join.
"""
from __future__ import annotations

import random
from typing import List

from spacy.language import Language
from spacy.tokens import Doc

SPACES = {"nbsp": "\u00a0", "double": "  "}


def respaced(doc: Doc, kind: str, share: float, rng: random.Random, nlp: Language) -> Doc:
    """``doc``'s text with each single space between two non-space
    characters replaced, with probability ``share``, by ``SPACES[kind]``;
    tokenised by ``nlp``, with ``doc``'s entities at their new offsets. An
    entity that no longer falls on token edges is an error, not a drop."""
    if kind not in SPACES:
        raise ValueError(f"Unknown kind of spacing {kind!r}: use one of {sorted(SPACES)}")
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"share must be between 0 and 1, not {share}")
    text, pieces, moved = doc.text, [], []  # moved[i]: where character i of text is in the new text
    length = 0
    for i, char in enumerate(text):
        moved.append(length)
        between_words = char == " " and 0 < i < len(text) - 1 and not text[i - 1].isspace() and not text[i + 1].isspace()
        piece = SPACES[kind] if between_words and rng.random() < share else char
        pieces.append(piece)
        length += len(piece)
    new = nlp.make_doc("".join(pieces))
    ents: List = []
    for ent in doc.ents:
        start, end = moved[ent.start_char], moved[ent.end_char - 1] + 1
        span = new.char_span(start, end, label=ent.label_)
        if span is None:
            raise ValueError(f"{ent.text!r} ({ent.start_char}-{ent.end_char}, {ent.label_}) re-spaced as {new.text[start:end]!r} does not fall on token edges")
        ents.append(span)
    new.ents = ents
    new.user_data.update(doc.user_data)
    return new
