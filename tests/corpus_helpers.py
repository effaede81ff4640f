"""Label Studio export tasks built by hand for the converter tests."""
from __future__ import annotations

import itertools
from typing import List, Optional, Sequence, Tuple

from attache.markup import parse
from attache.hashing import text_sha256

_ids = itertools.count(1)


def result(text: str, start: int, end: int, label: str, rid: Optional[str] = None) -> dict:
    return {"id": rid or f"r{next(_ids)}", "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}


def annotation(text: str, spans: Sequence[Tuple[int, int, str]], *, by: int = 1, ground_truth: bool = False, cancelled: bool = False, updated: str = "2024-05-01T10:00:00Z") -> dict:
    return {"id": next(_ids), "completed_by": by, "ground_truth": ground_truth, "was_cancelled": cancelled,
            "updated_at": updated, "result": [result(text, s, e, l) for s, e, l in spans]}


def task(marked: str, *, key: Optional[str] = None, annotations: Optional[List[dict]] = None, group: Optional[str] = None, date: Optional[str] = None, **data) -> dict:
    """A task whose first annotation is the markup's spans (unless given)."""
    text, spans = parse(marked)
    tid = next(_ids)
    if annotations is None:
        annotations = [annotation(text, [(s.start, s.end, s.label) for s in spans])]
    return {"id": tid, "data": {"text": text, "task_key": key or f"t{tid}", "text_sha256": text_sha256(text),
                                "near_duplicate_group": group, "date": date, **data},
            "annotations": annotations, "drafts": [], "predictions": []}
