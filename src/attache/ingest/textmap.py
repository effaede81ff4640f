"""Text built from pieces of a source text, remembering where each piece came from.

Normalisation (line endings, removed boilerplate lines, re-flowed hard
wraps) changes offsets. A ``TextMap`` records, for every run of the output,
the source range it came from, so spans can be carried between the raw file
and the normalised text in both directions, and a span that falls into
removed text is detected instead of silently shifted.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import List, Optional, Tuple


@dataclass
class TextMap:
    """Segments ``(out_start, src_start, out_len, src_len)``, sorted by out_start.

    A segment with equal lengths is copied text; one with different lengths
    (or with ``src_len == out_len`` but replaced content) is a replacement,
    whose inner offsets have no exact source position.
    """

    source: str
    segments: List[Tuple[int, int, int, int]] = field(default_factory=list)
    _pieces: List[str] = field(default_factory=list)
    _length: int = 0
    _replaced: List[bool] = field(default_factory=list)

    def copy(self, src_start: int, src_end: int) -> None:
        if src_end <= src_start:
            return
        self._add(self.source[src_start:src_end], src_start, src_end - src_start, replaced=False)

    def replace(self, src_start: int, src_end: int, text: str) -> None:
        """Emit ``text`` in place of ``source[src_start:src_end]``."""
        if not text:
            return
        self._add(text, src_start, src_end - src_start, replaced=True)

    def _add(self, text: str, src_start: int, src_len: int, replaced: bool) -> None:
        last = self.segments[-1] if self.segments else None
        if (
            last is not None
            and not replaced
            and not self._replaced[-1]
            and last[1] + last[3] == src_start
        ):
            self.segments[-1] = (last[0], last[1], last[2] + len(text), last[3] + src_len)
        else:
            self.segments.append((self._length, src_start, len(text), src_len))
            self._replaced.append(replaced)
        self._pieces.append(text)
        self._length += len(text)

    @property
    def text(self) -> str:
        if len(self._pieces) > 1:
            self._pieces = ["".join(self._pieces)]
        return self._pieces[0] if self._pieces else ""

    def to_source(self, start: int, end: int) -> Tuple[int, int]:
        """Source range of the output range ``[start, end)``."""
        return self._out_to_src(start, is_end=False), self._out_to_src(end, is_end=True)

    def _out_to_src(self, offset: int, is_end: bool) -> int:
        if not self.segments:
            return 0
        starts = [seg[0] for seg in self.segments]
        index = bisect_right(starts, offset - 1 if is_end else offset) - 1
        index = max(index, 0)
        out_start, src_start, out_len, src_len = self.segments[index]
        inner = offset - out_start
        if self._replaced[index]:
            return src_start + (src_len if is_end and inner > 0 else 0)
        return src_start + min(inner, src_len)

    def from_source(self, start: int, end: int) -> Optional[Tuple[int, int]]:
        """Output range of the source range ``[start, end)``, or None if any
        part of it was removed or lies inside a multi-character replacement."""
        out_start = self._src_to_out(start, is_end=False)
        out_end = self._src_to_out(end, is_end=True)
        if out_start is None or out_end is None or out_end <= out_start:
            return None
        # Everything in between must be present: the output length must equal
        # the source length minus nothing removed.
        covered = 0
        for (o, s, ol, sl), rep in zip(self.segments, self._replaced):
            lo, hi = max(s, start), min(s + sl, end)
            if hi > lo:
                covered += hi - lo
        if covered != end - start:
            return None
        return out_start, out_end

    def _src_to_out(self, offset: int, is_end: bool) -> Optional[int]:
        for (out_start, src_start, out_len, src_len), rep in zip(self.segments, self._replaced):
            lo, hi = src_start, src_start + src_len
            inside = lo < offset <= hi if is_end else lo <= offset < hi
            if inside:
                if rep:
                    if out_len != src_len:
                        return None
                return out_start + (offset - src_start)
        return None

    def to_json(self) -> List[List[int]]:
        return [[o, s, ol, sl, int(r)] for (o, s, ol, sl), r in zip(self.segments, self._replaced)]
