"""Character-offset spans and the rules every gold or predicted span must obey."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, List, Sequence

from .training.respace import INVISIBLE

# A span may not start with these characters ...
_BAD_START = set(".,;:!?()[]{}\"“”‘’'«»–—-/")
# ... nor end with these. A final "." is allowed only after an abbreviation.
_BAD_END = set(",;:!?()[]{}\"“”‘’'«»–—-/.")
_ABBREVIATION_END = re.compile(r"(?:\b[A-Za-z]\.)+$|\b(?:Co|Inc|Ltd|Corp|Jr|Sr|St|Mr|Dr|Gen|Lt|Col|No)\.$")


def blank(char: str) -> bool:
    """Whether ``char`` is whitespace or invisible (a zero-width space, a soft
    hyphen, a byte-order or direction mark): an entity never starts or ends
    with one, and ``attache corpus`` trims it off a span's edges."""
    return char.isspace() or char in INVISIBLE


def blank_word(word: str) -> bool:
    """Whether ``word`` (a token's text) is all whitespace or invisible."""
    return word.isspace() or (not word.isalnum() and all(blank(char) for char in word))


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    label: str

    def text(self, text: str) -> str:
        return text[self.start : self.end]


def edge_problems(text: str, span: Span) -> List[str]:
    """Why a span's edges are wrong, or [] if they are right."""
    problems = []
    if not (0 <= span.start < span.end <= len(text)):
        return [f"offsets {span.start}:{span.end} are outside the text (length {len(text)}) or empty"]
    value = text[span.start : span.end]
    if blank(value[0]) or blank(value[-1]):
        problems.append("starts or ends with whitespace or an invisible character")
    if value[0] in _BAD_START:
        problems.append(f"starts with punctuation {value[0]!r}")
    if value[-1] in _BAD_END and not (value[-1] == "." and _ABBREVIATION_END.search(value)):
        problems.append(f"ends with punctuation {value[-1]!r}")
    if span.start > 0 and _is_word_char(text[span.start - 1]) and _is_word_char(value[0]):
        problems.append("starts inside a word")
    if span.end < len(text) and _is_word_char(text[span.end]) and _is_word_char(value[-1]):
        problems.append("ends inside a word")
    return problems


def _is_word_char(char: str) -> bool:
    return char.isalnum()


def overlaps(spans: Sequence[Span]) -> List[tuple]:
    """Pairs of spans that overlap, in text order."""
    ordered = sorted(spans)
    found = []
    for before, after in zip(ordered, ordered[1:]):
        if after.start < before.end:
            found.append((before, after))
    return found


def validate_spans(text: str, spans: Iterable[Span], labels: Iterable[str]) -> List[str]:
    """All problems of a document's spans, one readable line each."""
    allowed = set(labels)
    spans = list(spans)
    problems = []
    for span in spans:
        where = f"{span.start}:{span.end} {span.label} {text[span.start:span.end]!r}"
        if span.label not in allowed:
            problems.append(f"{where}: unknown label {span.label!r}")
        for problem in edge_problems(text, span):
            problems.append(f"{where}: {problem}")
    for before, after in overlaps(spans):
        problems.append(
            f"{before.start}:{before.end} {before.label} overlaps {after.start}:{after.end} {after.label}"
        )
    return problems
