"""A training logger that also writes every evaluation to a JSONL file, so
the training curve can be plotted after the run (reports, model card), and,
when ``$ATTACHE_PROGRESS`` names a file, the run's progress to that file
(``attache parallel`` reads it for its display)."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import IO, Callable, Dict, Optional, Tuple

from spacy.util import registry

from ..workflow import PROGRESS_ENV

CURVE_FILE = "training-log.jsonl"


@registry.loggers("attache.curve_logger.v1")
def make_curve_logger(path: str = CURVE_FILE, progress_bar: bool = False):
    """Console output as spaCy's ConsoleLogger, plus one JSON line per
    evaluation (step, epoch, losses, scores) in ``path`` (relative paths go
    into the training output folder when run by `attache train`)."""
    console = registry.loggers.get("spacy.ConsoleLogger.v2")(progress_bar=progress_bar)

    def setup(nlp, stdout: IO = None, stderr: IO = None) -> Tuple[Callable[[Optional[Dict]], None], Callable[[], None]]:
        log_step, finalize = console(nlp, stdout, stderr)
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = target.open("a", encoding="utf8")
        progress = ProgressFile.from_env(nlp.config["training"].get("max_steps", 0))

        def step(info: Optional[Dict]) -> None:
            log_step(info)
            if progress:
                progress.update(info)
            if info is None:
                return
            handle.write(json.dumps({
                "epoch": info.get("epoch"), "step": info.get("step"), "score": info.get("score"),
                "losses": info.get("losses"), "other_scores": {k: v for k, v in (info.get("other_scores") or {}).items() if not isinstance(v, dict)},
                "seconds": info.get("seconds"), "words": info.get("words"),
            }, default=float) + "\n")
            handle.flush()

        def close() -> None:
            finalize()
            handle.close()
            if progress:
                progress.write(finished=True)

        return step, close

    return setup


class ProgressFile:
    """Where a training run is, as one small JSON object rewritten in place
    (at most once a second, and at every evaluation): steps done, the step
    limit (0: until ``patience``), the last dev score, seconds since the
    first step."""

    def __init__(self, path: Path, max_steps: int, every: float = 1.0) -> None:
        self.path = Path(path)
        self.state = {"step": 0, "max_steps": int(max_steps or 0), "score": None, "ents_f": None, "seconds": 0.0, "finished": False}
        self.every = every
        self.began = time.monotonic()
        self.written = 0.0

    @classmethod
    def from_env(cls, max_steps: int) -> Optional["ProgressFile"]:
        name = os.environ.get(PROGRESS_ENV)
        return cls(Path(name), max_steps) if name else None

    def update(self, info: Optional[Dict]) -> None:
        if info is None:  # spaCy logs the steps between evaluations as None
            self.state["step"] += 1
        else:
            self.state.update(step=info.get("step", self.state["step"]), score=info.get("score"),
                              ents_f=(info.get("other_scores") or {}).get("ents_f"))
        if info is not None or time.monotonic() - self.written >= self.every:
            self.write()

    def write(self, finished: bool = False) -> None:
        self.state.update(seconds=round(time.monotonic() - self.began, 1), finished=finished)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(self.state, default=float), encoding="utf8")
        os.replace(tmp, self.path)
        self.written = time.monotonic()
