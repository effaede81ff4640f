"""`attache studio push`: import tasks with predictions, idempotently.

Every task carries a ``task_key`` (the article id, or a review key) and the
sha256 of its text. Before sending, the command lists what the project
already holds: tasks with a known key and the same hash are skipped, tasks
whose text changed are reported and not sent. Tasks go in batches with the
SDK's retries off; after a failed batch the command reconciles with the
server (the batch may have landed) before going on, so re-running never
creates duplicates.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Tuple

from ..errors import AttacheError
from ..hashing import text_sha256
from ..labels import LabelScheme
from .connection import StudioSettings, StudioUnreachable, api_errors, connect
from .labeling import check_predictions, labeling_config
from .project import ProjectInfo, ensure_project

NO_RETRIES = {"max_retries": 0}


@dataclass
class PushResult:
    project: ProjectInfo
    created: List[str] = field(default_factory=list)
    skipped: List[str] = field(default_factory=list)  # already there, same text
    changed: List[str] = field(default_factory=list)  # already there, other text: not sent
    duplicates_on_server: Dict[str, List[int]] = field(default_factory=dict)
    batches: int = 0
    reconciled: int = 0  # times the command re-read the server after an error

    def summary(self) -> str:
        return (
            f"project {self.project.title!r} (id {self.project.id}{', created' if self.project.created else ''}): "
            f"{len(self.created)} tasks imported in {self.batches} batches, {len(self.skipped)} already there, "
            f"{len(self.changed)} changed on disk (not sent)"
        )


def read_tasks(path: Path) -> List[dict]:
    """Tasks from a JSON array or JSONL file, each checked for the fields push relies on."""
    path = Path(path)
    if not path.exists():
        raise AttacheError("E046", f"Task file not found: {path}", "Run `attache preannotate` first (or `weasel run preannotate`).")
    raw = path.read_text(encoding="utf8")
    try:
        tasks = json.loads(raw) if raw.lstrip().startswith("[") else [json.loads(line) for line in raw.splitlines() if line.strip()]
    except json.JSONDecodeError as err:
        raise AttacheError("E047", f"{path}: not valid JSON at line {err.lineno} column {err.colno} ({err.msg})", "Regenerate the task file.") from None
    for number, task in enumerate(tasks, start=1):
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str) or not data.get("task_key"):
            raise AttacheError("E048", f"{path}: task #{number} lacks data.text or data.task_key", "Tasks come from `attache preannotate`; each needs data.text and data.task_key.")
        expected = text_sha256(data["text"])
        if data.get("text_sha256", expected) != expected:
            raise AttacheError("E049", f"{path}: task {data['task_key']}: data.text_sha256 does not match its text", "The text was edited after the hash was taken; regenerate the tasks.")
        data["text_sha256"] = expected
    return tasks


def server_index(client, settings: StudioSettings, project_id: int) -> Dict[str, List[Tuple[int, str]]]:
    """task_key -> [(task id, text sha256)] of the tasks now in the project."""
    index: Dict[str, List[Tuple[int, str]]] = {}
    with api_errors(settings, "listing the project's tasks"):
        for task in client.tasks.list(project=project_id, fields="task_only", page_size=500):
            data = task.data or {}
            key = data.get("task_key")
            if key:
                index.setdefault(key, []).append((task.id, data.get("text_sha256") or text_sha256(data.get("text", ""))))
    return index


def push(
    tasks: List[dict],
    settings: StudioSettings,
    project_title: str,
    scheme: LabelScheme,
    *,
    model_version: Optional[str] = None,
    guidelines: Optional[Path] = None,
    batch_size: int = 50,
    allow_label_changes: bool = False,
    review_tag: Optional[str] = None,
    max_reconnects: int = 3,
    on_batch: Optional[Callable[[int, int], None]] = None,
) -> PushResult:
    """Send ``tasks`` to the project; safe to run again at any time."""
    check_predictions(labeling_config(scheme), tasks)
    if review_tag:
        tasks = [_as_review(task, review_tag) for task in tasks]
    client = connect(settings)
    project = ensure_project(client, settings, project_title, scheme, model_version=model_version or _model_version(tasks), guidelines=guidelines, allow_label_changes=allow_label_changes)
    result = PushResult(project)
    pending = _plan(tasks, server_index(client, settings, project.id), result)
    failures = 0
    while pending:
        batch = pending[:batch_size]
        try:
            with api_errors(settings, f"importing a batch of {len(batch)} tasks", task=batch[0]["data"]["task_key"]):
                client.projects.import_tasks(project.id, request=batch, return_task_ids=True, request_options=NO_RETRIES)
        except StudioUnreachable:
            failures += 1
            if failures > max_reconnects:
                raise
            time.sleep(min(2 ** failures, 10))
            result.reconciled += 1
            index = _reconcile(client, settings, project.id, max_reconnects)
            pending = [t for t in pending if t["data"]["task_key"] not in index]
            result.created.extend(k for k in (t["data"]["task_key"] for t in batch) if k in index and k not in result.created)
            continue
        result.batches += 1
        result.created.extend(t["data"]["task_key"] for t in batch)
        pending = pending[batch_size:]
        if on_batch:
            on_batch(len(result.created), len(result.created) + len(pending))
    result.duplicates_on_server = {k: [i for i, _ in v] for k, v in server_index(client, settings, project.id).items() if len(v) > 1}
    return result


def _plan(tasks: Iterable[dict], index: Dict[str, List[Tuple[int, str]]], result: PushResult) -> List[dict]:
    pending, seen = [], set()
    for task in tasks:
        key, digest = task["data"]["task_key"], task["data"]["text_sha256"]
        if key in seen:
            raise AttacheError("E04A", f"Task key {key} appears twice in the task file", "Each article must be one task; re-run ingest and preannotate.")
        seen.add(key)
        if key in index:
            (result.skipped if any(h == digest for _, h in index[key]) else result.changed).append(key)
        else:
            pending.append(task)
    return pending


def _reconcile(client, settings: StudioSettings, project_id: int, attempts: int):
    """Re-read the project's tasks, waiting for the server to come back."""
    for attempt in range(attempts + 1):
        try:
            return server_index(client, settings, project_id)
        except StudioUnreachable:
            if attempt == attempts:
                raise
            time.sleep(min(2 ** (attempt + 1), 10))


def _model_version(tasks: List[dict]) -> Optional[str]:
    for task in tasks:
        for prediction in task.get("predictions", []):
            if prediction.get("model_version"):
                return prediction["model_version"]
    return None


def _as_review(task: dict, tag: str) -> dict:
    task = json.loads(json.dumps(task))
    data = task["data"]
    if not str(data["task_key"]).startswith("review:"):
        data["task_key"] = f"review:{tag}:{data['task_key']}"
    data["review"] = tag
    return task
