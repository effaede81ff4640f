"""Gazetteer and rule patterns (configs/patterns/*.jsonl) for spaCy's rulers.

Registered as ``attache.patterns.v1`` so a training or pre-annotation config
loads them under ``[initialize]``: the patterns are then saved inside the
pipeline and the packaged model does not need the workbench.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, Iterable, List, Optional

from spacy.util import registry

from .errors import AttacheError
from .paths import project_file

DEFAULT_PATTERNS_DIR = project_file("configs/patterns")


def read_pattern_file(path: Path) -> List[dict]:
    patterns = []
    with Path(path).open(encoding="utf8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            try:
                pattern = json.loads(line)
            except json.JSONDecodeError as err:
                raise AttacheError("E030", f"{path}:{number}: not valid JSON ({err.msg})", "Each line of a pattern file is one JSON object.") from None
            if not isinstance(pattern, dict) or "label" not in pattern or "pattern" not in pattern:
                raise AttacheError("E031", f"{path}:{number}: a pattern needs 'label' and 'pattern'", 'Write it as {"label": "GPE", "pattern": "Kazakhstan"}.')
            if not isinstance(pattern["pattern"], (str, list)):
                raise AttacheError("E031", f"{path}:{number}: 'pattern' must be a string or a list of token patterns", "See spaCy's entity ruler docs.")
            pattern["id"] = f"rules/{Path(path).stem}:{pattern.get('id', number)}"
            patterns.append(pattern)
    return patterns


def load_patterns(path: Path | str = DEFAULT_PATTERNS_DIR, labels: Optional[Iterable[str]] = None) -> List[dict]:
    """All patterns of a file or a folder of ``*.jsonl`` files, in file order."""
    path = Path(path)
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not path.exists() or not files:
        raise AttacheError("E032", f"No pattern files at {path}", "Point `path` at configs/patterns or a .jsonl pattern file.")
    patterns: List[dict] = []
    for file in files:
        patterns.extend(read_pattern_file(file))
    if labels is not None:
        allowed = set(labels)
        unknown = sorted({p["label"] for p in patterns} - allowed)
        if unknown:
            raise AttacheError("E033", f"Patterns under {path} use labels not in the scheme: {', '.join(unknown)}", "Fix the labels or add them to configs/labels.yml.")
    return patterns


def pattern_conflicts(patterns: Iterable[dict]) -> Dict[str, List[str]]:
    """Phrase patterns listed twice, or under two labels: text -> [labels]."""
    seen: Dict[str, List[str]] = {}
    for pattern in patterns:
        if isinstance(pattern["pattern"], str):
            seen.setdefault(pattern["pattern"], []).append(pattern["label"])
    return {text: labels for text, labels in seen.items() if len(labels) > 1}


def with_caps_variants(patterns: List[dict], labels: Iterable[str]) -> List[dict]:
    """Add an UPPER-CASE copy of each phrase pattern of ``labels``, for
    datelines ("ASTANA, Kazakhstan") and shouting headlines."""
    wanted = set(labels)
    phrases = {p["pattern"] for p in patterns if isinstance(p["pattern"], str)}
    extra = []
    for pattern in patterns:
        text = pattern["pattern"]
        if pattern["label"] in wanted and isinstance(text, str) and text.upper() != text and text.upper() not in phrases:
            phrases.add(text.upper())
            extra.append({**pattern, "pattern": text.upper()})
    return patterns + extra


@registry.misc("attache.patterns.v1")
def make_patterns_loader(path: str = str(DEFAULT_PATTERNS_DIR), labels: Optional[List[str]] = None, caps_labels: List[str] = ["GPE"]) -> List[dict]:
    """Patterns for ``[initialize.components.<ruler>.patterns]``: every file of
    ``path``, checked against ``labels`` when given, with UPPER-CASE variants
    of the phrase patterns of ``caps_labels``."""
    return with_caps_variants(load_patterns(path, labels), caps_labels)


@registry.misc("attache.phrases.v1")
def make_phrases_loader(path: str = str(DEFAULT_PATTERNS_DIR), labels: List[str] = ["ROLE"]) -> List[str]:
    """The phrase patterns (strings) of ``labels``, e.g. the office titles
    that ``attache_collect_ents`` splits off PERSON spans."""
    wanted = set(labels)
    return [p["pattern"] for p in load_patterns(path) if p["label"] in wanted and isinstance(p["pattern"], str)]
