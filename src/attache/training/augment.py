"""Mention replacement: a training augmenter that swaps entity mentions for
other mentions of the same label from the training corpus.

A small corpus teaches the NER the names it contains more than the contexts
they appear in. Swapping a mention ("[[Ghana|GPE]]'s parliament" becomes
"[[Uzbekistan|GPE]]'s parliament") keeps the context and the label and
changes the name, so the model has to read the context. Registered as
``attache.mention_swap.v1`` (spaCy's ``augmenters`` registry):

    [corpora.train.augmenter]
    @augmenters = "attache.mention_swap.v1"
    level = 0.5
    replace = 0.5
    pool = ${paths.train}

Tokens whose entity annotation is missing stay missing; an all-capitals
mention (a dateline's "ABUJA") is replaced in capitals.
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from ..errors import AttacheError

Mention = Tuple[Tuple[str, ...], Tuple[bool, ...]]  # token texts, whitespace after each but the last


def mention_pool(path: Path, labels: Optional[Sequence[str]] = None) -> Dict[str, List[Mention]]:
    """label -> the distinct mentions of that label in a .spacy corpus (in corpus order)."""
    import spacy
    from spacy.tokens import DocBin

    path = Path(path)
    if not path.exists():
        raise AttacheError("E113", f"Mention pool not found: {path}", "Set [corpora.train.augmenter] pool to the training corpus (${paths.train}).")
    vocab = spacy.blank("en").vocab
    pool: Dict[str, Dict[Mention, None]] = {}
    for doc in DocBin().from_disk(path).get_docs(vocab):
        for ent in doc.ents:
            if labels is None or ent.label_ in labels:
                mention = (tuple(t.text for t in ent), tuple(bool(t.whitespace_) for t in ent[:-1]))
                pool.setdefault(ent.label_, {})[mention] = None
    return {label: list(found) for label, found in pool.items()}


def make_mention_swap(level: float, replace: float, pool: Path, labels: Optional[List[str]] = None, seed: int = 0) -> Callable:
    """``level``: share of training examples augmented; ``replace``: share of
    the mentions swapped in an augmented example; ``labels``: the labels
    swapped (default: all)."""
    if not (0 <= level <= 1 and 0 <= replace <= 1):
        raise AttacheError("E114", f"mention_swap: level={level} and replace={replace} must be between 0 and 1", "Fix [corpora.train.augmenter] in the training config.")
    mentions = mention_pool(pool, labels)
    return sometimes(level, seed, lambda nlp, example, rng: swap_mentions(nlp, example, mentions, replace, rng))


def sometimes(level: float, seed: int, change: Callable) -> Callable:
    """A spaCy augmenter that replaces each example, with probability
    ``level``, by ``change(nlp, example, rng)`` (the example itself where
    that is None); ``rng`` is seeded with ``seed``, so runs repeat."""
    rng = random.Random(seed)

    def augment(nlp, example) -> Iterator:
        if rng.random() >= level:
            yield example
            return
        changed = change(nlp, example, rng)
        yield example if changed is None else changed

    return augment


def swap_mentions(nlp, example, mentions: Dict[str, List[Mention]], replace: float, rng: random.Random):
    """A copy of ``example`` with some entity mentions replaced."""
    from spacy.tokens import Doc
    from spacy.training import Example

    ref = example.reference
    words: List[str] = []
    spaces: List[bool] = []
    tags: List[str] = []
    position = 0
    for ent in ref.ents:
        _copy(ref, position, ent.start, words, spaces, tags)
        choices = mentions.get(ent.label_)
        if choices and rng.random() < replace:
            texts, inner = rng.choice(choices)
            if ent.text.isupper():
                texts = tuple(t.upper() for t in texts)
            words.extend(texts)
            spaces.extend(inner + (bool(ref[ent.end - 1].whitespace_),))
            tags.extend([f"B-{ent.label_}"] + [f"I-{ent.label_}"] * (len(texts) - 1))
        else:
            _copy(ref, ent.start, ent.end, words, spaces, tags)
        position = ent.end
    _copy(ref, position, len(ref), words, spaces, tags)
    doc = Doc(nlp.vocab, words=words, spaces=spaces, ents=tags)
    return Example(nlp.make_doc(doc.text), doc)


def _copy(doc, start: int, end: int, words: List[str], spaces: List[bool], tags: List[str]) -> None:
    for token in doc[start:end]:
        words.append(token.text)
        spaces.append(bool(token.whitespace_))
        tags.append(iob_tag(token))


def iob_tag(token) -> str:
    """The token's entity annotation as a ``Doc(ents=...)`` tag: "B-GPE",
    "I-GPE", "O", or "" where it is missing."""
    iob = token.ent_iob_
    return "O" if iob == "O" else (f"{iob}-{token.ent_type_}" if iob in ("B", "I") else "")
