"""Check spans against the task text and align them to tokens.

Every input span ends in exactly one place: accepted (``exact``,
``trimmed`` after removing whitespace at its edges, or ``snapped`` to token
boundaries when snapping is on) or quarantined (with a reason). Quarantined
spans mark their tokens as *missing* in the Doc, so the model is never told
that an annotated entity is not one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from spacy.tokens import Doc, Span

from .tasks import Result

EXACT, TRIMMED, SNAPPED = "exact", "trimmed", "snapped"


@dataclass
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


def align(doc: Doc, task_id: int, results: Sequence[Result], *, snap: bool = False, quarantine: Sequence[Tuple[Result, str]] = ()) -> Tuple[List[Span], List[Span], List[SpanOutcome]]:
    """(entity spans, missing spans, outcomes) for ``results`` on ``doc``."""
    text = doc.text
    ents: List[Span] = []
    missing: List[Span] = []
    outcomes: List[SpanOutcome] = []
    for result, reason in quarantine:
        outcomes.append(SpanOutcome(task_id, result.id, result.start, result.end, result.label, "quarantined", reason))
        region = doc.char_span(result.start, result.end, alignment_mode="expand")
        if region is not None:
            missing.append(region)
    for result in results:
        outcome = SpanOutcome(task_id, result.id, result.start, result.end, result.label, EXACT)
        start, end = result.start, result.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            outcome.status, outcome.reason = "quarantined", "span is only whitespace"
            outcomes.append(outcome)
            continue
        if (start, end) != (result.start, result.end):
            outcome.status, outcome.new_start, outcome.new_end = TRIMMED, start, end
        span = doc.char_span(start, end, label=result.label)
        if span is None and snap:
            span = doc.char_span(start, end, label=result.label, alignment_mode="expand")
            if span is not None:
                outcome.status, outcome.new_start, outcome.new_end = SNAPPED, span.start_char, span.end_char
        if span is None:
            tokens = doc.char_span(start, end, alignment_mode="expand")
            outcome.status = "quarantined"
            outcome.reason = (
                f"edges fall inside tokens {[t.text for t in tokens] if tokens is not None else '?'}; "
                "fix the span in Label Studio or convert with --snap"
            )
            if tokens is not None:
                missing.append(tokens)
            outcomes.append(outcome)
            continue
        if any(span.start < other.end and other.start < span.end for other in ents):
            outcome.status = "quarantined"
            outcome.reason = f"after snapping to tokens {span.text!r} it overlaps another span"
            missing.append(span)
            outcomes.append(outcome)
            continue
        ents.append(span)
        outcomes.append(outcome)
    return ents, missing, outcomes


def set_entities(doc: Doc, ents: List[Span], missing: List[Span]) -> None:
    """Set gold entities; tokens of quarantined spans are marked missing
    (unless an accepted entity covers them)."""
    if not missing:
        doc.ents = ents  # the fast path: nothing to mark missing
        return
    covered = {i for span in ents for i in range(span.start, span.end)}
    missing_tokens = sorted({i for span in missing for i in range(span.start, span.end)} - covered)
    doc.set_ents(ents, missing=[doc[i : i + 1] for i in missing_tokens], default="outside")
