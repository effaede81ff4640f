"""Hard wrapping: a training augmenter that breaks lines the way plain-text
wires, e-mailed press releases and PDF extractions do.

spaCy keeps a single space as a token's trailing whitespace but makes a
newline a token of its own, so "late May" wrapped as "late\\nMay" reads as
three tokens, the middle one a space. A corpus of mostly unwrapped
articles seldom shows the NER an entity running across a line break, and a
model trained on it cuts entities at the break or drops them (see README,
"Hard-wrapped text"). Wrapping some training articles at a random width
teaches it that a newline inside a sentence is only a space. Registered as
``attache.hard_wrap.v1`` (spaCy's ``augmenters`` registry):

    [corpora.train.augmenter]
    @augmenters = "attache.hard_wrap.v1"
    level = 0.3
    min_width = 40
    max_width = 100
    seed = ${system.seed}

The wrapped text has the same length as the original, so entity offsets
hold; a newline inside an entity is part of it, and tokens whose annotation
is missing stay missing.
"""
from __future__ import annotations

from typing import Callable, List

from ..errors import AttacheError
from .augment import iob_tag, sometimes


def wrap_text(text: str, width: int) -> str:
    """``text`` with lines no longer than ``width`` where a space allows it:
    the last single space between two words before the column becomes a
    newline (greedy wrapping; existing line breaks are kept)."""
    chars = list(text)
    line_start = 0
    candidate = None
    for i, char in enumerate(chars):
        if char == "\n":
            line_start, candidate = i + 1, None
            continue
        if char == " " and 0 < i < len(chars) - 1 and not chars[i - 1].isspace() and not chars[i + 1].isspace():
            candidate = i
        elif i - line_start >= width and candidate is not None and not char.isspace():
            chars[candidate] = "\n"
            line_start, candidate = candidate + 1, None
    return "".join(chars)


def wrap_example(nlp, example, width: int):
    """A copy of ``example`` whose text is wrapped at ``width`` columns, with
    the reference's entity annotation carried over token by token."""
    from spacy.tokens import Doc
    from spacy.training import Example

    ref = example.reference
    text = wrap_text(ref.text, width)
    if text == ref.text:
        return example
    by_start = {token.idx: token for token in ref}
    words: List[str] = []
    spaces: List[bool] = []
    tags: List[str] = []
    predicted = nlp.make_doc(text)
    for token in predicted:
        words.append(token.text)
        spaces.append(bool(token.whitespace_))
        original = by_start.get(token.idx)
        if original is not None and original.text == token.text:
            tags.append(iob_tag(original))
        elif token.text == "\n" and token.idx + 1 in by_start:
            after = by_start[token.idx + 1]  # a space became this newline
            tags.append(f"I-{after.ent_type_}" if after.ent_iob_ == "I" else ("" if after.ent_iob_ == "" else "O"))
        else:
            raise AttacheError("E120", f"hard_wrap: wrapping changed the tokens of a training document near character {token.idx} ({token.text!r})",
                               "Report this document; train without [corpora.train.augmenter] meanwhile.")
    wrapped = Doc(nlp.vocab, words=words, spaces=spaces, ents=tags)
    return Example(predicted, wrapped)


def make_hard_wrap(level: float, min_width: int = 40, max_width: int = 100, seed: int = 0) -> Callable:
    """``level``: share of training examples wrapped; each at a width drawn
    between ``min_width`` and ``max_width`` columns."""
    if not 0 <= level <= 1 or not 1 <= min_width <= max_width:
        raise AttacheError("E116", f"hard_wrap: level={level} must be between 0 and 1 and 1 <= min_width ({min_width}) <= max_width ({max_width})",
                           "Fix [corpora.train.augmenter] in the training config.")
    return sometimes(level, seed, lambda nlp, example, rng: wrap_example(nlp, example, rng.randint(min_width, max_width)))
