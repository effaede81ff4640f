"""A training logger that also writes every evaluation to a JSONL file, so
the training curve can be plotted after the run (reports, model card)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Callable, Dict, Optional, Tuple

from spacy.util import registry

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

        def step(info: Optional[Dict]) -> None:
            log_step(info)
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

        return step, close

    return setup
