"""Check spans against the task text and align them to tokens.

Every input span ends in exactly one place: accepted (``exact``,
``trimmed`` after removing whitespace (or invisible characters, such as
a zero-width space) at its edges, or ``snapped`` to token
boundaries when snapping is on) or quarantined (with a reason). Quarantined
spans mark their tokens as *missing* in the Doc, so the model is never told
that an annotated entity is not one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import numpy
from spacy.attrs import IDX, LENGTH, ORTH, SPACY
from spacy.tokens import Doc

from ..spans import blank
from .tasks import Result

EXACT, TRIMMED, SNAPPED = "exact", "trimmed", "snapped"
IOB_MISSING, IOB_I, IOB_O, IOB_B = 0, 1, 2, 3  # spaCy's ENT_IOB codes
ATTRS = ("ORTH", "ENT_IOB", "ENT_TYPE")  # the columns encode() writes, in DocBin's order


@dataclass(slots=True)
class SpanOutcome:
    task_id: int
    result_id: str
    start: int
    end: int
    label: str
    status: str  # exact | trimmed | snapped | quarantined
    reason: str = ""
    new_start: Optional[int] = None
    new_end: Optional[int] = None

    def to_dict(self) -> dict:
        record = {"task_id": self.task_id, "result_id": self.result_id, "start": self.start, "end": self.end, "label": self.label, "status": self.status}
        if self.reason:
            record["reason"] = self.reason
        if self.new_start is not None:
            record.update(new_start=self.new_start, new_end=self.new_end)
        return record


def _squash(text: str) -> str:
    return " ".join(text.split())


def utf16_offsets_to_str(text: str, start: int, end: int) -> Optional[Tuple[int, int]]:
    """Python offsets of a span given in UTF-16 code units (as JavaScript counts)."""
    units = 0
    mapping = {}
    for index, char in enumerate(text):
        mapping[units] = index
        units += 2 if ord(char) > 0xFFFF else 1
    mapping[units] = len(text)
    if start in mapping and end in mapping:
        return mapping[start], mapping[end]
    return None


def check_text(text: str, result: Result) -> Optional[str]:
    """Why the span's recorded text does not fit the task text, or None.
    Tolerates Label Studio's rendering of line breaks and runs of spaces."""
    if result.text is None:
        return None
    actual = text[result.start : result.end]
    if actual == result.text or _squash(actual) == _squash(result.text):
        return None
    hint = ""
    shifted = utf16_offsets_to_str(text, result.start, result.end)
    if shifted and _squash(text[shifted[0] : shifted[1]]) == _squash(result.text):
        hint = " (the offsets look like UTF-16 code units, not code points)"
    return f"text[{result.start}:{result.end}] is {actual!r}, the result says {result.text!r}{hint}"


class TokenIndex:
    """Token boundaries of a tokenised text, for aligning character spans
    without building Span objects; also the ORTH and space columns the
    corpus stores."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        n = len(doc)
        table = doc.to_array([ORTH, IDX, LENGTH, SPACY]).reshape((n, 4)) if n else numpy.zeros((0, 4), dtype="uint64")
        self.orth = table[:, 0]
        self.spaces = table[:, 3].astype(bool)
        self.starts = table[:, 1].astype("int64")
        self.ends = self.starts + table[:, 2].astype("int64")
        self._first_of = dict(zip(self.starts.tolist(), range(n)))  # token start offset -> token index
        self._stop_of = dict(zip(self.ends.tolist(), range(1, n + 1)))  # token end offset -> token index + 1

    def __len__(self) -> int:
        return len(self.orth)

    def strict(self, start: int, end: int) -> Optional[Tuple[int, int]]:
        """The token range whose characters are exactly ``start:end``, or None."""
        first, stop = self._first_of.get(start), self._stop_of.get(end)
        return (first, stop) if first is not None and stop is not None and stop > first else None

    def exact(self, text: str, results: Sequence[Result]) -> Optional[List["TokenSpan"]]:
        """The spans as token ranges if every one is exact (no whitespace at
        its edges, its edges on token boundaries, no two sharing a token),
        else None: ``align`` then takes each span in turn and says why."""
        ents = []
        for result in results:
            span = self.strict(result.start, result.end)
            if span is None or blank(text[result.start]) or blank(text[result.end - 1]):
                return None
            ents.append((span[0], span[1], result.label))
        ordered = sorted(ents)
        for before, after in zip(ordered, ordered[1:]):
            if after[0] < before[1]:
                return None
        return ents

    def expand(self, start: int, end: int) -> Optional[Tuple[int, int]]:
        """Token range of every token that overlaps ``start:end``, or None."""
        first = int(numpy.searchsorted(self.ends, start, side="right"))
        stop = int(numpy.searchsorted(self.starts, end, side="left"))
        return (first, stop) if first < stop else None

    def texts(self, first: int, stop: int) -> List[str]:
        return [t.text for t in self.doc[first:stop]]


TokenSpan = Tuple[int, int, str]  # first token, end token (exclusive), label


def align(tokens: TokenIndex, text: str, task_id: int, results: Sequence[Result], *, snap: bool = False,
          quarantine: Sequence[Tuple[Result, str]] = ()) -> Tuple[List[TokenSpan], List[Tuple[int, int]], List[SpanOutcome], int]:
    """(entities as token ranges, missing token ranges, outcomes of the spans
    that are not exact (in input order), number of exact spans) for
    ``results`` on ``text`` (the text ``tokens`` was made from)."""
    if not quarantine and results:
        ents = tokens.exact(text, results)
        if ents is not None:  # every span exact (most tasks): no outcomes to record
            return ents, [], [], len(ents)
    ents = []
    missing: List[Tuple[int, int]] = []
    outcomes: List[Tuple[int, SpanOutcome]] = []  # (position in the input, outcome)
    for result, reason in quarantine:
        outcomes.append((-1, SpanOutcome(task_id, result.id, result.start, result.end, result.label, "quarantined", reason)))
        region = tokens.expand(result.start, result.end)
        if region is not None:
            missing.append(region)
    trimmed = []
    for position, result in enumerate(results):
        start, end = result.start, result.end
        if blank(text[start]) or blank(text[end - 1]):
            while start < end and blank(text[start]):
                start += 1
            while end > start and blank(text[end - 1]):
                end -= 1
            if start == end:
                outcomes.append((position, SpanOutcome(task_id, result.id, result.start, result.end, result.label, "quarantined", "span is only whitespace or invisible characters")))
                continue
        trimmed.append((position, result, start, end))
    exact = 0
    taken = bytearray(len(tokens))  # tokens already in an accepted entity
    for position, result, start, end in trimmed:
        span = tokens.strict(start, end)
        moved = (start, end) != (result.start, result.end)
        if span is not None and not moved and not any(taken[span[0] : span[1]]):
            ents.append((span[0], span[1], result.label))
            taken[span[0] : span[1]] = b"\x01" * (span[1] - span[0])
            exact += 1
            continue
        outcome = SpanOutcome(task_id, result.id, result.start, result.end, result.label, TRIMMED if moved else EXACT)
        outcomes.append((position, outcome))
        if moved:
            outcome.new_start, outcome.new_end = start, end
        if span is None and snap:
            span = tokens.expand(start, end)
            if span is not None:
                outcome.status, outcome.new_start, outcome.new_end = SNAPPED, int(tokens.starts[span[0]]), int(tokens.ends[span[1] - 1])
        if span is None:
            region = tokens.expand(start, end)
            outcome.status = "quarantined"
            outcome.reason = (
                f"edges fall inside tokens {tokens.texts(*region) if region is not None else '?'}; "
                "fix the span in Label Studio or convert with --snap"
            )
            if region is not None:
                missing.append(region)
            continue
        first, stop = span
        if any(taken[first:stop]):
            outcome.status = "quarantined"
            covered = text[tokens.starts[first]:tokens.ends[stop - 1]]
            outcome.reason = (f"after snapping to tokens {covered!r} it overlaps another span" if outcome.status == SNAPPED
                              else f"its tokens {covered!r} overlap another span")
            missing.append(span)
            continue
        ents.append((first, stop, result.label))
        taken[first:stop] = b"\x01" * (stop - first)
    outcomes.sort(key=lambda item: item[0])
    return ents, missing, [outcome for _, outcome in outcomes], exact


def encode(tokens: TokenIndex, ents: Sequence[TokenSpan], missing: Sequence[Tuple[int, int]], label_ids) -> numpy.ndarray:
    """The doc's token columns ORTH, ENT_IOB, ENT_TYPE (DocBin's order): gold
    entities, "O" elsewhere, and tokens of quarantined spans *missing* (IOB 0)
    unless an accepted entity covers them."""
    n = len(tokens)
    iob, kind = [IOB_O] * n, [0] * n  # lists: a few slice assignments are cheaper than numpy's
    for first, stop in missing:
        iob[first:stop] = [IOB_MISSING] * (stop - first)
    for first, stop, label in ents:
        iob[first:stop] = [IOB_B] + [IOB_I] * (stop - first - 1)
        kind[first:stop] = [label_ids[label]] * (stop - first)
    columns = numpy.empty((n, 3), dtype="uint64")
    columns[:, 0] = tokens.orth
    columns[:, 1] = iob
    columns[:, 2] = kind
    return columns
