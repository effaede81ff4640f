"""Inline span markup: ``[[Kazakhstan|GPE]]``.

The sample corpus is authored in this markup (annotation/gold-markup/), and
tests write their examples in it. ``parse`` returns the plain text and the
character-offset spans; ``render`` is its inverse.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path
from typing import List, Sequence, Tuple

from .errors import AttacheError
from .spans import Span

_OPEN, _SEP, _CLOSE = "[[", "|", "]]"
_SPAN = re.compile(r"\[\[([^\[\]|]+)\|([A-Z][A-Z_]*)\]\]")


def parse(marked: str, source: str = "<string>") -> Tuple[str, List[Span]]:
    """Strip the markup from ``marked``; return (text, spans)."""
    pieces: List[str] = []
    spans: List[Span] = []
    length = 0
    position = 0
    for match in _SPAN.finditer(marked):
        _check_no_stray_markup(marked, position, match.start(), source)
        before = marked[position : match.start()]
        pieces.append(before)
        length += len(before)
        value, label = match.group(1), match.group(2)
        spans.append(Span(length, length + len(value), label))
        pieces.append(value)
        length += len(value)
        position = match.end()
    _check_no_stray_markup(marked, position, len(marked), source)
    pieces.append(marked[position:])
    return "".join(pieces), spans


def render(text: str, spans: Sequence[Span]) -> str:
    """Write ``spans`` into ``text`` as markup (spans must not overlap)."""
    out, position = [], 0
    for span in sorted(spans):
        out.append(text[position : span.start])
        out.append(f"{_OPEN}{text[span.start:span.end]}{_SEP}{span.label}{_CLOSE}")
        position = span.end
    out.append(text[position:])
    return "".join(out)


def _check_no_stray_markup(marked: str, start: int, end: int, source: str) -> None:
    chunk = marked[start:end]
    for token in (_OPEN, _CLOSE):
        index = chunk.find(token)
        if index >= 0:
            line = marked.count("\n", 0, start + index) + 1
            context = marked[max(0, start + index - 30) : start + index + 40].replace("\n", "\\n")
            raise AttacheError(
                "E010",
                f"{source}:{line}: malformed span markup near {context!r}",
                "Write each span as [[text|LABEL]], with no brackets or '|' inside the text.",
            )


def check_files(paths: Sequence[Path], labels: Sequence[str]) -> Tuple[List[str], Counter]:
    """Problems in markup files (syntax, labels, edges, overlaps) and the
    span count per label of the files that parse."""
    from .spans import validate_spans

    problems: List[str] = []
    counts: Counter = Counter()
    for path in paths:
        try:
            text, spans = parse(path.read_text(encoding="utf8"), source=str(path))
        except AttacheError as err:
            problems.append(str(err))
            continue
        counts.update(span.label for span in spans)
        problems.extend(f"{path}: {problem}" for problem in validate_spans(text, spans, labels))
    return problems, counts


def main(argv: Sequence[str]) -> int:
    """``python -m attache.markup FILE...``: check authored markup files."""
    from .labels import load_scheme

    scheme = load_scheme()
    problems, counts = check_files([Path(arg) for arg in argv], scheme.names)
    for problem in problems:
        print(problem)
    print(f"{len(argv)} files, {sum(counts.values())} spans: " + ", ".join(f"{k} {counts[k]}" for k in scheme.names))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
