"""Convert one export task into a corpus document, alone or in worker processes.

``TaskConverter`` does everything that needs only the task itself: checks
(``parse_task``), the annotation policy, text checks, tokenisation, token
alignment, the DocBin columns and the agreement counts. The converter's main
process does what needs every task (duplicates, splits, reports).
``convert_tasks`` runs it in the calling process or, for large exports, in a
pool of worker processes fed a bounded number of chunks at a time (memory
stays flat, order is kept, and the first error in export order is raised).
"""
from __future__ import annotations

import json
import multiprocessing
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple

import numpy

from ..hashing import text_sha256
from ..lsjson import iter_export
from ..tokenizer import make_nlp
from .agreement import Agreement, review_task
from .align import EXACT, TokenIndex, align, check_text, encode
from .policy import choose
from .tasks import parse_task

CHUNK = 64  # tasks per message to a worker
WINDOW = 4  # chunks in flight per worker


@dataclass
class Converted:
    """What the main process needs of one task."""

    key: str
    group: str
    date: Optional[str]
    where: str
    cancelled: int
    drafts: int
    annotated: bool = False
    columns: Optional[numpy.ndarray] = None
    spaces: Optional[numpy.ndarray] = None
    record: bytes = b""
    statuses: Counter = field(default_factory=Counter)
    outcomes: List[dict] = field(default_factory=list)  # the spans that are not exact
    text_changed: bool = False
    agreement: Optional[Agreement] = None
    disagreements: List[Tuple[dict, dict]] = field(default_factory=list)  # (disagreement, review task)
    strings: List[str] = field(default_factory=list)  # token strings a worker's vocab has and the main one may not


@dataclass(frozen=True)
class Settings:
    lang: str
    labels: Tuple[str, ...]
    policy: str
    snap: bool
    from_name: str
    aliases: Tuple[Tuple[str, str], ...]


class TaskConverter:
    def __init__(self, settings: Settings, *, in_worker: bool = False) -> None:
        self.settings = settings
        self.nlp = make_nlp(settings.lang)
        self.label_ids = {label: self.nlp.vocab.strings.add(label) for label in settings.labels}
        self.allowed = set(settings.labels)
        self.aliases = dict(settings.aliases)
        self.in_worker = in_worker
        self._sent: set = set()

    def __call__(self, raw: dict, file: str, index: int) -> Converted:
        s = self.settings
        task = parse_task(raw, file, index, from_name=s.from_name, aliases=self.aliases, allowed=self.allowed)
        out = Converted(task.key, task.group, task.date, task.where, task.cancelled, task.drafts)
        if not task.annotations:
            return out
        out.annotated = True
        doc = self.nlp.make_doc(task.text)
        tokens = TokenIndex(doc)
        results, chosen = choose(task.annotations, s.policy)
        quarantine = []
        if task.text_sha256 and text_sha256(task.text) != task.text_sha256:
            quarantine = [(r, "the task text no longer matches the text hash pushed with it") for r in results]
            results = []
            out.text_changed = True
        else:
            for r in list(results):
                problem = check_text(task.text, r)
                if problem:
                    quarantine.append((r, problem))
                    results.remove(r)
        ents, missing, outcomes = align(tokens, task.text, task.id, results, snap=s.snap, quarantine=quarantine)
        out.columns = encode(tokens, ents, missing, self.label_ids)
        out.spaces = tokens.spaces
        record = {"task_key": task.key, "task_id": task.id, "export": Path(file).name, **{f"chosen_{k}": v for k, v in chosen.items()}}
        out.record = json.dumps(record, ensure_ascii=False, default=str).encode("utf8")
        for outcome in outcomes:
            out.statuses[outcome.status] += 1
            if outcome.status != EXACT:
                entry = outcome.to_dict()
                entry["file"] = file
                out.outcomes.append(entry)
        if len({a.completed_by for a in task.annotations}) > 1:
            out.agreement = Agreement(s.labels)
            out.disagreements = [(item, review_task(item, task.text)) for item in out.agreement.add(task, tokens)]
        if self.in_worker:
            new = [h for h in numpy.unique(tokens.orth).tolist() if h not in self._sent]
            self._sent.update(new)
            out.strings = [self.nlp.vocab.strings[h] for h in new]
        return out


def raw_tasks(exports: Sequence[Path]) -> Iterator[Tuple[dict, str, int]]:
    """(task, file, index) for every task of the exports, in order; predictions
    are dropped here (the corpus is made from annotations)."""
    for path in exports:
        for index, raw in iter_export(path):
            raw.pop("predictions", None)
            yield raw, str(path), index


_worker: Optional[TaskConverter] = None


def _start_worker(settings: Settings) -> None:
    global _worker
    _worker = TaskConverter(settings, in_worker=True)


def _convert_chunk(chunk: List[Tuple[dict, str, int]]) -> List[Converted]:
    return [_worker(raw, file, index) for raw, file, index in chunk]


def convert_tasks(exports: Sequence[Path], settings: Settings, workers: int = 1) -> Iterator[Converted]:
    """Converted tasks of the exports, in export order."""
    if workers <= 1:
        convert = TaskConverter(settings)
        for raw, file, index in raw_tasks(exports):
            yield convert(raw, file, index)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")  # fork shares the loaded tokenizer
    with context.Pool(workers, initializer=_start_worker, initargs=(settings,)) as pool:
        pending: deque = deque()
        for chunk in _chunks(raw_tasks(exports), CHUNK):
            pending.append(pool.apply_async(_convert_chunk, (chunk,)))
            if len(pending) >= WINDOW * workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def auto_workers(exports: Sequence[Path], cpus: Optional[int] = None) -> int:
    """Worker processes worth starting: none for small exports (a pool costs
    more than it saves below a few thousand tasks), else one per CPU (at most 4)."""
    import os

    if cpus is None:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    size = sum(Path(p).stat().st_size for p in exports)
    return 1 if size < 16 * 2**20 or cpus < 2 else min(cpus, 4)
