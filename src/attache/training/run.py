"""Train in a dated run folder; promote to ``model-best`` only when the run
finished and the evaluation on dev passed the threshold."""
from __future__ import annotations

import hashlib
import json
import shutil
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, Iterator, Optional

from ..errors import AttacheError
from ..outputs import write_json
from .logger import CURVE_FILE

RUN_FILE = "run.json"


class Stopped(Exception):
    """The run was stopped by a signal (SIGTERM: `attache parallel` stopping
    it because the command beside it failed, a job scheduler, `kill`)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"stopped by {signal.Signals(signum).name}")


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM into :class:`Stopped` inside the block, so that the run
    can say in its record that it was stopped instead of dying silently.
    Signals reach only the main thread: elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise Stopped(signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def copy_run_record(source: Path, dest: Path) -> None:
    """Copy the training run's record and curve, where ``source`` has them,
    so that they travel with a model built from it."""
    for name in (RUN_FILE, CURVE_FILE):
        if (Path(source) / name).exists():
            shutil.copy(Path(source) / name, Path(dest) / name)


@dataclass
class TrainResult:
    run_dir: Path
    model_best: Path
    scores: Dict[str, float]
    promoted: Optional[Path]
    seconds: float
    reason: str = ""
    info: dict = field(default_factory=dict)


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:16]


def train(
    config_path: Path,
    output_dir: Path = Path("training"),
    *,
    train_path: Path,
    dev_path: Path,
    overrides: Optional[Dict[str, object]] = None,
    run_name: Optional[str] = None,
    min_score: float = 0.0,
    use_gpu: int = -1,
    promote_to: str = "model-best",
) -> TrainResult:
    """Run ``spacy train`` into ``output_dir/runs/<name>`` and promote.

    Returns the run's scores; ``promoted`` is None when the run did not pass
    (its reason is in ``reason`` and in the run's run.json).
    """
    from spacy.cli.train import train as spacy_train
    from spacy.util import load_config

    for path, what in ((config_path, "config"), (train_path, "training corpus"), (dev_path, "dev corpus")):
        if not Path(path).exists():
            raise AttacheError("E090", f"The {what} {path} does not exist", "Run the corpus step first (`weasel run corpus`)." if what != "config" else "Pick a config from configs/.")
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    run_dir = Path(output_dir) / "runs" / (run_name or f"{Path(config_path).stem}-{stamp}")
    run_dir.mkdir(parents=True, exist_ok=False)
    settings = {"paths.train": str(train_path), "paths.dev": str(dev_path),
                "training.logger": {"@loggers": "attache.curve_logger.v1", "path": str(run_dir / CURVE_FILE), "progress_bar": True}}
    settings.update(overrides or {})
    config = load_config(config_path, overrides={k: v for k, v in settings.items() if k != "training.logger"}, interpolate=False)
    config["training"]["logger"] = settings["training.logger"]
    config.to_disk(run_dir / "config.cfg")
    info = {
        "config": str(config_path), "config_sha256": file_hash(config_path),
        "train": str(train_path), "train_sha256": file_hash(train_path),
        "dev": str(dev_path), "dev_sha256": file_hash(dev_path),
        "overrides": {k: v for k, v in (overrides or {}).items()}, "started": stamp, "status": "running",
    }
    write_json(run_dir / RUN_FILE, info)
    began = time.monotonic()
    try:
        with stop_on_sigterm():
            spacy_train(run_dir / "config.cfg", run_dir, use_gpu=use_gpu)
    except BaseException as err:
        stopped = isinstance(err, (Stopped, KeyboardInterrupt))
        info.update(status="stopped" if stopped else "failed", error=f"{type(err).__name__}: {err}", seconds=round(time.monotonic() - began, 1))
        write_json(run_dir / RUN_FILE, info)
        raise
    seconds = round(time.monotonic() - began, 1)
    best = run_dir / "model-best"
    scores = _dev_scores(best)
    passed = best.exists() and scores.get("ents_f", 0.0) >= min_score
    reason = "" if passed else f"dev ents_f {scores.get('ents_f', 0.0):.3f} is below --min-score {min_score:.3f}"
    info.update(status="promoted" if passed else "not promoted", reason=reason, seconds=seconds, dev_scores=scores,
                promoted_to=str(Path(output_dir) / promote_to) if passed else None)
    write_json(run_dir / RUN_FILE, info)
    promoted = None
    if passed:
        copy_run_record(run_dir, best)  # the promoted model carries its run record and training curve
        promoted = _promote(best, Path(output_dir) / promote_to)
    return TrainResult(run_dir, best, scores, promoted, seconds, reason, info)


def _dev_scores(model_dir: Path) -> Dict[str, float]:
    meta_path = model_dir / "meta.json"
    if not meta_path.exists():
        return {}
    performance = json.loads(meta_path.read_text(encoding="utf8")).get("performance", {})
    return {k: v for k, v in performance.items() if isinstance(v, (int, float))}


def _promote(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` whole: a temp copy renamed into place."""
    tmp = target.parent / f".{target.name}.promoting"
    if tmp.exists():
        shutil.rmtree(tmp)
    shutil.copytree(source, tmp)
    old = target.parent / f".{target.name}.previous"
    if target.exists():
        if old.exists():
            shutil.rmtree(old)
        target.rename(old)
    tmp.rename(target)
    if old.exists():
        shutil.rmtree(old)
    return target
