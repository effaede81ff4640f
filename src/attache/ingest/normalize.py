"""Normalise scraped news text, keeping a map back to the raw offsets.

Line endings become ``\\n``; header and boilerplate lines are dropped;
markdown heading markers are stripped; lines of a hard-wrapped paragraph are
joined with a space; paragraphs are separated by one blank line. Everything
else (typographic quotes, dashes, NBSP, emoji) is kept as it is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, List, Optional

from ..training.respace import is_soft_break, wrap_width  # the rule the shipped models read hard wraps with
from .settings import IngestSettings
from .textmap import TextMap

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_MD_HEADING = re.compile(r"#{1,6}[ \t]+")
_SENTENCE_SPACE = re.compile(r"\S+")


@dataclass
class Line:
    start: int  # source offset of the first character
    end: int  # source offset after the last character (terminator excluded)
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()


@dataclass
class Normalized:
    textmap: TextMap
    removed_lines: List[str] = field(default_factory=list)
    header_lines: List[str] = field(default_factory=list)
    wrap_width: Optional[int] = None

    @property
    def text(self) -> str:
        return self.textmap.text


def split_lines(source: str) -> List[Line]:
    lines = []
    for match in _LINE.finditer(source):
        if match.start() == match.end() == len(source) and lines:
            break
        raw = match.group(0)
        body = raw.rstrip("\r\n")
        lines.append(Line(match.start(), match.start() + len(body), body))
    return lines


def normalize(
    source: str,
    settings: IngestSettings,
    *,
    markdown: bool = False,
    is_header: Callable[[str], bool] = lambda line: False,
) -> Normalized:
    """Normalise ``source``; ``is_header`` marks metadata lines at the top."""
    boilerplate = settings.boilerplate_regex()
    result = Normalized(TextMap(source))
    kept: List[Line] = []
    at_top = True
    for line in split_lines(source):
        stripped = line.stripped
        if at_top and stripped and is_header(stripped):
            result.header_lines.append(stripped)
            kept.append(None)  # a removed line ends a paragraph
            continue
        if stripped:
            at_top = False
        if stripped and boilerplate.fullmatch(stripped.replace("\u00a0", " ")):
            result.removed_lines.append(stripped)
            kept.append(None)
            continue
        kept.append(line if stripped else None)
    paragraphs = _paragraphs(kept)
    if markdown:
        paragraphs = [[_strip_heading(line) for line in para] for para in paragraphs]
    width = _wrap_width(paragraphs, settings) if settings.reflow else None
    result.wrap_width = width
    _emit(result.textmap, source, paragraphs, width)
    return result


def _paragraphs(lines: List[Optional[Line]]) -> List[List[Line]]:
    paragraphs: List[List[Line]] = []
    current: List[Line] = []
    for line in lines:
        if line is None:
            if current:
                paragraphs.append(current)
                current = []
        else:
            current.append(line)
    if current:
        paragraphs.append(current)
    return paragraphs


def _strip_heading(line: Line) -> Line:
    leading = len(line.text) - len(line.text.lstrip())
    match = _MD_HEADING.match(line.text, leading)
    if not match:
        return line
    return Line(line.start + match.end(), line.end, line.text[match.end():])


def _wrap_width(paragraphs: List[List[Line]], settings: IngestSettings) -> Optional[int]:
    """The column a hard-wrapped document is wrapped at, or None if it is not."""
    return wrap_width([len(line.text.rstrip()) for para in paragraphs for line in para[:-1]], settings.min_wrap_width, settings.max_wrap_width)


def _is_soft_break(line: Line, following: Line, width: Optional[int]) -> bool:
    first_word = _SENTENCE_SPACE.search(following.text)
    return is_soft_break(line.text, first_word.group(0) if first_word else "", width)


def _emit(textmap: TextMap, source: str, paragraphs: List[List[Line]], width: Optional[int]) -> None:
    for p_index, para in enumerate(paragraphs):
        if p_index:
            previous_end = _content_end(paragraphs[p_index - 1][-1])
            textmap.replace(previous_end, _content_start(para[0]), "\n\n")
        for l_index, line in enumerate(para):
            end = _content_end(line)
            textmap.copy(_content_start(line), end)
            if l_index + 1 == len(para):
                continue
            following = para[l_index + 1]
            gap_end = _content_start(following)
            if _is_soft_break(line, following, width):
                textmap.replace(end, gap_end, " ")
            elif source[end:gap_end] == "\n":
                textmap.copy(end, gap_end)
            else:
                textmap.replace(end, gap_end, "\n")


def _content_start(line: Line) -> int:
    return line.start + (len(line.text) - len(line.text.lstrip()))


def _content_end(line: Line) -> int:
    return line.start + len(line.text.rstrip())
