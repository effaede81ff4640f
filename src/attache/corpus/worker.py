"""Convert one export task into a corpus document, alone or in worker processes.

``TaskConverter`` does everything that needs only the task itself: checks
(``parse_task``), the annotation policy, text checks, tokenisation, token
alignment, the DocBin columns and the agreement counts. The converter's main
process does what needs every task (duplicates, splits, reports).
``convert_tasks`` runs it in the calling process or, for large exports, in a
pool of worker processes that each read a byte range of the export.
"""
from __future__ import annotations

import multiprocessing
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import numpy
from srsly import ujson

from ..hashing import text_sha256
from ..lsjson import END, RangeReader, iter_export
from ..tokenizer import conversion_nlp
from .agreement import Agreement, review_task
from .align import EXACT, TokenIndex, align, check_text, encode
from .policy import choose
from .splits import group_key
from .spool import PARTS
from .tasks import parse_task


@dataclass
class Converted:
    """What the main process needs of one task."""

    key: str
    group_key: int  # splits.group_key of the task's near-duplicate group
    date: Optional[str]
    where: str  # "file: task id (key)", set only when the task is reported (text changed)
    cancelled: int
    drafts: int
    annotated: bool = False
    columns: Optional[bytes] = None  # token columns ORTH, ENT_IOB, ENT_TYPE (uint64, C order)
    spaces: Optional[bytes] = None  # one byte (bool) per token
    n_tokens: int = 0
    record: bytes = b""  # the document's JSON record (task key, id, export, chosen annotation)
    record_size: int = 0  # len(record), set when a worker spools the arrays and the record and sends the task without them
    statuses: Dict[str, int] = field(default_factory=dict)
    outcomes: List[dict] = field(default_factory=list)  # the spans that are not exact
    text_changed: bool = False
    agreement: Optional[numpy.ndarray] = None  # Agreement.counts of this task
    disagreements: List[Tuple[str, str]] = field(default_factory=list)  # (disagreement, review task) as JSON
    strings: List[str] = field(default_factory=list)  # token strings a worker's vocab has and the main one may not

    def __reduce__(self):
        """Pickle as a flat tuple of plain values (arrays as bytes): a
        generic dataclass pickle costs more than converting the task."""
        arrays = None if self.columns is None else (self.n_tokens, self.columns, self.spaces)
        agreement = None if self.agreement is None else self.agreement.tobytes()
        return _rebuild, ((self.key, self.group_key, self.date, self.where, self.cancelled, self.drafts, self.annotated, self.record,
                           self.record_size, self.n_tokens, self.statuses, self.outcomes, self.text_changed, self.disagreements,
                           self.strings), arrays, agreement)


def _rebuild(values: tuple, arrays: Optional[tuple], agreement: Optional[bytes]) -> "Converted":
    (key, group_key, date, where, cancelled, drafts, annotated, record, record_size, n_tokens, statuses, outcomes, text_changed,
     disagreements, strings) = values
    out = Converted.__new__(Converted)  # skips __init__ and its default factories: this runs once per task in the main process
    out.__dict__.update(key=key, group_key=group_key, date=date, where=where, cancelled=cancelled, drafts=drafts, annotated=annotated,
                        record=record, record_size=record_size, n_tokens=n_tokens, statuses=statuses, outcomes=outcomes,
                        text_changed=text_changed, disagreements=disagreements, strings=strings, columns=None, spaces=None, agreement=None)
    if arrays is not None:
        out.n_tokens, out.columns, out.spaces = arrays
    if agreement is not None:
        out.agreement = numpy.frombuffer(agreement, dtype="int64")
    return out


@dataclass(frozen=True)
class Settings:
    lang: str
    labels: Tuple[str, ...]
    policy: str
    snap: bool
    from_name: str
    aliases: Tuple[Tuple[str, str], ...]
    seed: int = 0  # of the split order (group keys)


class TaskConverter:
    def __init__(self, settings: Settings, *, in_worker: bool = False) -> None:
        self.settings = settings
        self.nlp = conversion_nlp(settings.lang)
        self.label_ids = {label: self.nlp.vocab.strings.add(label) for label in settings.labels}
        self.allowed = set(settings.labels)
        self.aliases = dict(settings.aliases)
        self.in_worker = in_worker
        self._sent: set = set()  # strings sent to the main process
        self._known = len(self.nlp.vocab.strings)  # the store's size when the last strings were sent
        self._agreement = Agreement(settings.labels)
        self._names: dict = {}

    def _name(self, file: str) -> str:
        if file not in self._names:
            self._names[file] = Path(file).name
        return self._names[file]

    def __call__(self, raw: dict, file: str, index: int) -> Converted:
        s = self.settings
        task = parse_task(raw, file, index, from_name=s.from_name, aliases=self.aliases, allowed=self.allowed)
        out = Converted(task.key, group_key(task.group, s.seed), task.date, "", task.cancelled, task.drafts)
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
            out.text_changed, out.where = True, task.where
        else:
            for r in list(results):
                problem = check_text(task.text, r)
                if problem:
                    quarantine.append((r, problem))
                    results.remove(r)
        ents, missing, outcomes, exact = align(tokens, task.text, task.id, results, snap=s.snap, quarantine=quarantine)
        out.columns = encode(tokens, ents, missing, self.label_ids).tobytes()
        out.spaces = tokens.spaces.tobytes()
        out.n_tokens = len(tokens)
        record = {"task_key": task.key, "task_id": task.id, "export": self._name(file), **{f"chosen_{k}": v for k, v in chosen.items()}}
        out.record = _json(record).encode("utf8")
        statuses = out.statuses
        statuses[EXACT] = exact
        for outcome in outcomes:
            statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
            entry = outcome.to_dict()
            entry["file"] = file
            out.outcomes.append(entry)
        if len({a.completed_by for a in task.annotations}) > 1:
            agreement = self._agreement
            agreement.counts[:] = 0  # one task's counts, added up by the main process
            out.disagreements = [(_json(item), _json(review_task(item, task.text))) for item in agreement.add(task, tokens)]
            out.agreement = agreement.counts.copy()
        if self.in_worker and len(self.nlp.vocab.strings) != self._known:
            # the store grew: this task brought token strings the main process may not have
            # (it forked with the same store; only tokenisation adds strings)
            self._known = len(self.nlp.vocab.strings)
            new = set(tokens.orth.tolist()) - self._sent
            self._sent |= new
            out.strings = [self.nlp.vocab.strings[h] for h in new]
        return out


def _json(item) -> str:
    """Compact JSON (ujson, bundled with spaCy's srsly: twice as fast as json here)."""
    return ujson.dumps(item, ensure_ascii=False, escape_forward_slashes=False)


def raw_tasks(path: Path) -> Iterator[Tuple[dict, str, int]]:
    """(task, file, index) for every task of an export, in order; predictions
    are dropped here (the corpus is made from annotations)."""
    for index, raw in iter_export(path):
        raw.pop("predictions", None)
        yield raw, str(path), index


class NotJoined(Exception):
    """The parallel reading of an export failed (a worker's error, or ranges
    that do not join up): convert it again in one process."""


@dataclass(frozen=True)
class Segment:
    """Yielded by ``convert_tasks`` before the tasks a worker converted: their
    token columns, space flags and records are already in these files (in
    task order, annotated tasks only), so the tasks come without them."""

    paths: Tuple[Path, Path, Path]


def convert_tasks(exports: Sequence[Path], settings: Settings, workers: int = 1, work: Optional[Path] = None) -> Iterator:
    """Converted tasks of the exports, in export order. With ``workers > 1``
    each large export is cut into byte ranges that worker processes read and
    convert at once (``RangeReader``); each range's tasks come as a
    ``Segment`` followed by its ``Converted`` tasks, handed on in order as
    the ranges are done. If a worker fails or two ranges do not join up
    this raises ``NotJoined``: the caller converts again with ``workers=1``,
    and the serial reading raises the error that names the task. Segment
    files go to ``work`` (required with workers) and stay there: the caller
    removes the folder once it has written the corpus."""
    serial = None
    for path in map(Path, exports):
        if workers > 1 and path.stat().st_size >= PARALLEL_BYTES:
            if work is None:
                raise ValueError("convert_tasks with workers needs a work folder")
            yield from _convert_in_ranges(path, settings, workers, Path(work))
            continue
        serial = serial or TaskConverter(settings)
        for raw, file, index in raw_tasks(path):
            yield serial(raw, file, index)


PARALLEL_BYTES = 16 * 2**20  # below this a pool costs more than it saves
RANGE_BYTES = 4 * 2**20  # many ranges per worker: the merge runs while workers convert, and no worker waits long at the end

_worker: Optional[TaskConverter] = None


def _start_worker(settings: Settings) -> None:
    global _worker
    _worker = TaskConverter(settings, in_worker=True)


def _part_paths(out: Path) -> Tuple[Path, Path, Path]:
    return tuple(out.with_suffix(f".{part}") for part in PARTS)


def _convert_range(job: Tuple[Path, int, int, Path]) -> dict:
    """In a worker: convert the tasks that start in [start, stop): a stream
    of pickled ``Converted`` (without their arrays and records) at ``out``,
    the arrays and records of the annotated ones in the segment files."""
    path, start, stop, out = job
    reader = RangeReader(path, start, stop)
    try:
        tokens_path, spaces_path, records_path = _part_paths(out)
        with open(out, "wb") as handle, open(tokens_path, "wb") as tokens, open(spaces_path, "wb") as spaces, \
                open(records_path, "wb") as records:
            for index, raw in enumerate(reader):
                raw.pop("predictions", None)
                # the index is range-local: errors are raised again by the serial pass
                task = _worker(raw, str(path), index)
                if task.annotated:
                    tokens.write(task.columns)
                    spaces.write(task.spaces)
                    records.write(task.record)
                    task.record_size = len(task.record)
                    task.columns = task.spaces = None
                    task.record = b""
                # one pickle per task (a shared pickler's memo would keep every task alive)
                pickle.dump(task, handle, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as err:  # noqa: BLE001  (any failure: the caller converts serially)
        return {"error": f"{type(err).__name__}: {err}"}
    return {"first": reader.first, "next": reader.next}


def _convert_in_ranges(path: Path, settings: Settings, workers: int, work: Path) -> Iterator:
    size = path.stat().st_size
    n = max(workers, min(32 * workers, size // RANGE_BYTES))
    bounds = [size * k // n for k in range(n + 1)]
    tmp = Path(tempfile.mkdtemp(prefix="parts-", dir=work))
    jobs = [(path, bounds[k], bounds[k + 1], tmp / f"part-{k}.pickle") for k in range(n)]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")  # fork shares the loaded tokenizer
    with context.Pool(workers, initializer=_start_worker, initargs=(settings,)) as pool:
        expected: Optional[int] = None
        for k, result in enumerate(pool.imap(_convert_range, jobs)):
            if "error" in result:
                raise NotJoined(f"{path}, bytes {bounds[k]}-{bounds[k + 1]}: {result['error']}")
            expected = join(k, result, expected, bounds, path)
            yield Segment(_part_paths(jobs[k][3]))
            yield from _read_part(jobs[k][3])
            jobs[k][3].unlink()
        join(n, None, expected, bounds, path)


def join(k: int, result: Optional[dict], expected: Optional[int], bounds: List[int], path: Path) -> Optional[int]:
    """Check that range ``k`` (``result``: its RangeReader's first and next)
    starts where the ranges before it stopped (``expected``); return where
    the next range must start. ``k == len(bounds) - 1`` (no result) checks
    that the array was closed. Raises NotJoined."""
    if result is None:
        if expected != END:
            raise NotJoined(f"{path}: the ranges do not reach the end of the array")
        return END
    if k == 0 or result["first"] is not None:
        if k and result["first"] != expected:
            raise NotJoined(f"{path}: the range at byte {bounds[k]} starts at {result['first']}, the one before it stopped at {expected}")
        return result["next"]
    if expected != END and expected is not None and expected < bounds[k + 1]:
        raise NotJoined(f"{path}: no task found in the range at byte {bounds[k]}, but one starts at {expected}")
    return expected


def _read_part(part: Path) -> Iterator[Converted]:
    with open(part, "rb") as handle:
        while True:
            try:
                yield pickle.load(handle)
            except EOFError:
                return


def auto_workers(exports: Sequence[Path], cpus: Optional[int] = None) -> int:
    """Worker processes worth starting: none for small exports (a pool costs
    more than it saves below a few thousand tasks), else one per CPU (at most 4)."""
    import os

    if cpus is None:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    size = max((Path(p).stat().st_size for p in exports), default=0)
    return 1 if size < PARALLEL_BYTES or cpus < 2 else min(cpus, 4)
