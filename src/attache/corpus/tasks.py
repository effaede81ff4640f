"""Read Label Studio export tasks into checked records.

Structural problems (missing keys, wrong types, impossible offsets) are
fatal ``E06x`` errors that name the file and task; content problems of one
span (text that does not match, a changed task text) are quarantined by the
converter and reported; scheme problems (overlaps, unknown labels, a wrong
``from_name``, results that are not text labels) are errors naming the task.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Dict, Iterator, List, NamedTuple, Optional

from ..errors import AttacheError
from ..lsjson import iter_export

LABEL_TYPES = ("labels",)


class Result(NamedTuple):  # a tuple: cheap to make, and a 1 GB export has millions
    id: str
    start: int
    end: int
    label: str
    text: Optional[str]


_new_result = tuple.__new__  # Result from a tuple of its fields, without the generated __new__'s call


@dataclass
class Annotation:
    id: int
    completed_by: Optional[int]
    ground_truth: bool
    updated_at: str
    results: List[Result]


@dataclass
class Task:
    file: str
    id: int
    index: int
    text: str
    key: str
    text_sha256: Optional[str]
    group: str
    date: Optional[str]
    annotations: List[Annotation] = field(default_factory=list)
    cancelled: int = 0
    drafts: int = 0

    @property
    def where(self) -> str:
        return f"{self.file}: task {self.id} ({self.key})"


def _fail(file: str, task_id, index: int, message: str, code: str = "E061") -> AttacheError:
    return AttacheError(code, f"{file}: task {task_id if task_id is not None else '#' + str(index)}: {message}",
                        "Re-export the project from Label Studio; if the export is right, the task itself must be fixed in Label Studio.")


def _int(value, what: str, file: str, task_id, index: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(file, task_id, index, f"{what} is {value!r} ({type(value).__name__}), expected an integer")
    return value


def read_tasks(path: Path, *, from_name: str = "label", aliases: Optional[Dict[str, str]] = None, labels: Optional[List[str]] = None) -> Iterator[Task]:
    """Stream checked tasks from one export file."""
    allowed = set(labels) if labels is not None else None
    for index, raw in iter_export(path):
        yield parse_task(raw, str(path), index, from_name=from_name, aliases=aliases or {}, allowed=allowed)


def parse_task(raw: dict, file: str, index: int, *, from_name: str, aliases: Dict[str, str], allowed: Optional[set]) -> Task:
    """Check one decoded export task (the ``index``-th of ``file``)."""
    task_id = raw.get("id")
    data = raw.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise _fail(file, task_id, index, "has no data.text string")
    _int(task_id, "id", file, task_id, index)
    text = data["text"]
    key = str(data.get("task_key") or data.get("article_id") or task_id)
    task = Task(file, task_id, index, text, key, data.get("text_sha256"), str(data.get("near_duplicate_group") or key), data.get("date"))
    task.drafts = len(raw.get("drafts") or [])
    length = len(text)
    annotations = raw.get("annotations")
    if annotations is None or not isinstance(annotations, list):
        raise _fail(file, task_id, index, "has no 'annotations' list")
    for annotation in annotations:
        if not isinstance(annotation, dict) or "result" not in annotation or "id" not in annotation:
            raise _fail(file, task_id, index, "has an annotation without 'id' or 'result'")
        if annotation.get("was_cancelled"):
            task.cancelled += 1
            continue
        results = []
        for item in annotation["result"] or []:
            # the checks of a well-formed span, inline (a 1 GB export has millions); anything
            # else takes the slow path, which checks the same things one by one and names the fault
            try:
                value = item["value"]
                start, end, labels, span_text = value["start"], value["end"], value["labels"], value.get("text")
                if (type(start) is int and type(end) is int and 0 <= start < end <= length and item["type"] == "labels"
                        and item["from_name"] == from_name and type(labels) is list and len(labels) == 1
                        and type(labels[0]) is str and (span_text is None or type(span_text) is str)):
                    label = aliases.get(labels[0], labels[0]) if aliases else labels[0]
                    if allowed is None or label in allowed:
                        results.append(_new_result(Result, (str(item.get("id", "?")), start, end, label, span_text)))
                        continue
            except (KeyError, TypeError, AttributeError):
                pass
            results.append(_result(item, text, file, task_id, index, from_name, aliases, allowed, annotation["id"]))
        _check_overlaps(results, file, task_id, index, annotation["id"])
        task.annotations.append(Annotation(
            id=_int(annotation["id"], "annotation id", file, task_id, index),
            completed_by=_completed_by(annotation.get("completed_by")),
            ground_truth=bool(annotation.get("ground_truth")),
            updated_at=str(annotation.get("updated_at") or annotation.get("created_at") or ""),
            results=results,
        ))
    return task


def _completed_by(value) -> Optional[int]:
    if isinstance(value, dict):
        return value.get("id")
    return value


def _result(item, text: str, file: str, task_id, index: int, from_name: str, aliases, allowed, annotation_id) -> Result:
    if not isinstance(item, dict):
        raise _fail(file, task_id, index, f"annotation {annotation_id} has a result that is not an object")
    rid = str(item.get("id", "?"))
    if item.get("type") not in LABEL_TYPES:
        raise _fail(file, task_id, index, f"result {rid} of annotation {annotation_id} has type {item.get('type')!r}, not a text label ('labels')", "E063")
    if item.get("from_name") != from_name:
        raise _fail(file, task_id, index, f"result {rid} comes from {item.get('from_name')!r}, expected {from_name!r} (the labeling config's Labels tag)", "E064")
    value = item.get("value")
    if not isinstance(value, dict):
        raise _fail(file, task_id, index, f"result {rid} has no 'value' object")
    for name in ("start", "end", "labels"):
        if name not in value:
            raise _fail(file, task_id, index, f"result {rid} lacks value.{name}")
    start = _int(value["start"], f"result {rid} value.start", file, task_id, index)
    end = _int(value["end"], f"result {rid} value.end", file, task_id, index)
    if not 0 <= start < end <= len(text):
        raise _fail(file, task_id, index, f"result {rid} has offsets {start}:{end} outside the text (length {len(text)}) or empty", "E062")
    labels = value["labels"]
    if not isinstance(labels, list) or len(labels) != 1 or not isinstance(labels[0], str):
        raise _fail(file, task_id, index, f"result {rid} at {start}:{end} must carry exactly one label, has {labels!r}", "E065")
    label = aliases.get(labels[0], labels[0])
    if allowed is not None and label not in allowed:
        raise _fail(file, task_id, index, f"result {rid} at {start}:{end} has label {labels[0]!r}, not in the scheme", "E066")
    span_text = value.get("text")
    if span_text is not None and not isinstance(span_text, str):
        raise _fail(file, task_id, index, f"result {rid} value.text is a {type(span_text).__name__}")
    return Result(rid, start, end, label, span_text)


_by_offsets = itemgetter(1, 2)  # Result.start, Result.end


def _check_overlaps(results: List[Result], file: str, task_id, index: int, annotation_id) -> None:
    ordered = sorted(results, key=_by_offsets)
    for a, b in zip(ordered, ordered[1:]):
        if b.start < a.end:
            raise _fail(file, task_id, index, f"annotation {annotation_id}: spans {a.start}:{a.end} {a.label} and {b.start}:{b.end} {b.label} overlap", "E067")

