"""`attache studio pull`: a full snapshot export, written once, never overwritten.

The snapshot (with full prediction objects, not only their ids) is streamed
to a temp file beside the target and linked into place under a new dated
name; a sidecar ``.meta.json`` records the snapshot id, the labeling-config
hash and the counts.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from ..errors import AttacheError
from ..lsjson import iter_export
from ..outputs import write_json
from .connection import StudioSettings, api_errors, connect
from .labeling import config_hash
from .project import find_project


@dataclass
class PullResult:
    path: Path
    meta_path: Path
    project_id: int
    snapshot_id: int
    label_config_hash: str
    tasks: int
    annotations: int
    cancelled: int
    predictions: int
    annotators: int
    pulled_at: str


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "project"


def pull(settings: StudioSettings, project_title: str, out_dir: Path, *, timeout: float = 600.0) -> PullResult:
    client = connect(settings)
    project = find_project(client, settings, project_title)
    if project is None:
        raise AttacheError("E056", f"No project titled {project_title!r} at {settings.url}", "Check --project, or create it with `attache studio push`.")
    stamp = datetime.now(timezone.utc)
    with api_errors(settings, "creating a snapshot export"):
        export = client.projects.exports.create(
            project.id,
            title=f"attache snapshot {stamp:%Y-%m-%d %H:%M:%S}",
            serialization_options={"predictions": {"only_id": False}, "annotations__completed_by": {"only_id": True}},
        )
    deadline = time.monotonic() + timeout
    while export.status not in ("completed", "failed"):
        if time.monotonic() > deadline:
            raise AttacheError("E057", f"Snapshot {export.id} not ready after {timeout:.0f} s", "The server is slow or stuck; try again later.")
        time.sleep(0.5)
        with api_errors(settings, "waiting for the snapshot"):
            export = client.projects.exports.get(project.id, export.id)
    if export.status == "failed":
        raise AttacheError("E058", f"Label Studio failed to build snapshot {export.id}", "See the server log; then pull again.")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = f"{_slug(project.title)}-{stamp:%Y%m%dT%H%M%SZ}-snapshot{export.id}.json"
    target = out_dir / name
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=out_dir)
    os.chmod(tmp, 0o644)
    try:
        with os.fdopen(fd, "wb") as handle, api_errors(settings, f"downloading snapshot {export.id}"):
            for chunk in client.projects.exports.download(project.id, export.id, export_type="JSON"):
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        counts = _count(Path(tmp))
        os.link(tmp, target)  # fails rather than overwrite an existing snapshot
    finally:
        os.unlink(tmp)
    result = PullResult(
        path=target,
        meta_path=target.with_suffix(".meta.json"),
        project_id=project.id,
        snapshot_id=export.id,
        label_config_hash=config_hash(project.label_config or ""),
        pulled_at=stamp.isoformat(),
        **counts,
    )
    meta = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(result).items()}
    meta.update(project_title=project.title, server=settings.url, path=target.name, meta_path=result.meta_path.name)
    write_json(result.meta_path, meta, overwrite=False)
    return result


def _count(path: Path) -> dict:
    tasks = annotations = cancelled = predictions = 0
    annotators = set()
    for _, task in iter_export(path):
        tasks += 1
        predictions += len(task.get("predictions") or [])
        for annotation in task.get("annotations") or []:
            if annotation.get("was_cancelled"):
                cancelled += 1
            else:
                annotations += 1
            annotators.add(annotation.get("completed_by"))
    return dict(tasks=tasks, annotations=annotations, cancelled=cancelled, predictions=predictions, annotators=len(annotators))


def read_meta(export_path: Path) -> Optional[dict]:
    meta = Path(export_path).with_suffix(".meta.json")
    return json.loads(meta.read_text(encoding="utf8")) if meta.exists() else None
