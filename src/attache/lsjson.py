"""Stream the tasks of a Label Studio JSON export (a top-level array) without
loading the whole file: one task dict at a time, with its position."""
from __future__ import annotations

import codecs
import json
import re
from pathlib import Path
from typing import Iterator, Optional, Tuple

from .errors import AttacheError

_CHUNK = 1 << 20
_DECODER = json.JSONDecoder()


def iter_export(path: Path | str) -> Iterator[Tuple[int, dict]]:
    """Yield (index, task) for each element of the export's top-level array.

    Memory stays flat: the file is read in 1 MiB chunks and each element is
    decoded as soon as it is complete. Truncated or malformed JSON is a coded
    error naming the file, the element index and the character offset.
    """
    path = Path(path)
    with path.open("r", encoding="utf8") as handle:
        buffer = handle.read(_CHUNK)
        pos = _skip_space(buffer, 0)
        if pos >= len(buffer) or buffer[pos] != "[":
            raise _malformed(path, 0, pos, "the export is not a JSON array of tasks")
        pos += 1
        consumed = 0  # characters dropped from the front of the buffer
        index = 0
        while True:
            pos = _skip_space(buffer, pos)
            if pos < len(buffer) and buffer[pos] == "," and index > 0:
                pos = _skip_space(buffer, pos + 1)
            while pos >= len(buffer):
                more = handle.read(_CHUNK)
                if not more:
                    raise _malformed(path, index, consumed + pos, "the file ends before the closing ']' (truncated?)")
                buffer, consumed, pos = buffer[pos:] + more, consumed + pos, 0
                pos = _skip_space(buffer, pos)
                if buffer[pos:pos + 1] == "," and index > 0:
                    pos = _skip_space(buffer, pos + 1)
            if buffer[pos] == "]":
                return
            while True:
                try:
                    task, end = _DECODER.raw_decode(buffer, pos)
                    break
                except json.JSONDecodeError as err:
                    more = handle.read(_CHUNK)
                    if not more:
                        raise _malformed(path, index, consumed + err.pos, f"invalid JSON ({err.msg})") from None
                    buffer, consumed, pos = buffer[pos:] + more, consumed + pos, 0
            if not isinstance(task, dict):
                raise _malformed(path, index, consumed + pos, f"element is a {type(task).__name__}, not a task object")
            yield index, task
            index += 1
            pos = end
            if pos > _CHUNK:  # drop what was decoded, now and then
                buffer, consumed, pos = buffer[pos:], consumed + pos, 0


def _skip_space(buffer: str, pos: int) -> int:
    length = len(buffer)
    while pos < length and buffer[pos] in " \t\r\n":
        pos += 1
    return pos


def _malformed(path: Path, index: int, offset: int, message: str) -> AttacheError:
    return AttacheError("E060", f"{path}: task #{index} near character {offset}: {message}", "Re-export the project from Label Studio (`attache studio pull`); do not edit exports by hand.")


END = -1  # RangeReader.next when the array ends inside the range
_CANDIDATE = re.compile(r"(?:^|[\[,])[ \t\r\n]*\{")


class RangeReader:
    """The tasks of an export whose first byte lies in ``[start, stop)``, for
    reading one export in several processes at once.

    From ``start > 0`` the reader cannot know where a task begins, so it
    tries each ``{`` that follows a ``,`` or ``[`` until one decodes to a
    task followed by ``,`` or ``]``, and reads on from there. ``first`` is
    the byte offset of that task (None if none starts in the range) and
    ``next`` the byte offset of the task after the last one read (``END`` if
    the array closed). The caller checks that each range's ``first`` is the
    previous range's ``next``: only then are the ranges a correct reading,
    because reading on from a real task boundary only meets real ones.
    Errors are plain exceptions: a caller that gets one re-reads the export
    with ``iter_export``, whose errors name the task.
    """

    def __init__(self, path: Path | str, start: int, stop: int) -> None:
        self.path, self.start, self.stop = Path(path), start, stop
        self.first: Optional[int] = None
        self.next: Optional[int] = None

    def __iter__(self) -> Iterator[dict]:
        with self.path.open("rb") as handle:
            self._handle = handle
            self._decoder = codecs.getincrementaldecoder("utf8")()
            handle.seek(self.start)
            head = handle.read(_CHUNK)
            skip = 0
            while skip < len(head) and 0x80 <= head[skip] < 0xC0:  # inside a multi-byte character
                skip += 1
            self._eof = len(head) < _CHUNK
            self._buffer = self._decoder.decode(head[skip:], final=self._eof)
            self._mark, self._mark_byte = 0, self.start + skip  # a char position and its byte offset
            pos = self._locate()
            if pos is None:
                return
            while True:
                task, end = self._decode(pos)
                yield task
                pos = self._skip_space(end)
                if self._buffer[pos] == "]":
                    self.next = END
                    return
                if self._buffer[pos] != ",":
                    raise ValueError(f"expected ',' or ']' at byte {self._byte(pos)}")
                pos = self._skip_space(pos + 1)
                byte = self._byte(pos)
                if byte >= self.stop:
                    self.next = byte
                    return
                if pos > _CHUNK:  # drop what was read, now and then
                    self._buffer, self._mark, pos = self._buffer[self._mark :], 0, pos - self._mark

    def _locate(self) -> Optional[int]:
        """Position of the first task that starts in the range (sets first)."""
        if self.start == 0:
            pos = self._skip_space(0)
            if self._buffer[pos] != "[":
                raise ValueError("not a JSON array")
            pos = self._skip_space(pos + 1)
            if self._buffer[pos] == "]":
                self.next = END
                return None
            self.first = self._byte(pos)
            return pos
        search = 0
        while True:
            match = _CANDIDATE.search(self._buffer, search)
            if match is None:
                if self._eof or self._mark_byte + len(self._buffer[self._mark :].encode("utf8")) >= self.stop + _CHUNK:
                    return None
                self._more()
                continue
            pos = match.end() - 1
            if self._byte(pos) >= self.stop:
                return None
            try:
                task, end = self._decode(pos, searching=True)
                after = self._skip_space(end)
                if isinstance(task, dict) and isinstance(task.get("data"), dict) and self._buffer[after] in ",]":
                    self.first = self._byte(pos)
                    return pos
            except (ValueError, IndexError):
                pass
            search = match.start() + 1

    def _decode(self, pos: int, searching: bool = False):
        """Decode the value at ``pos``, reading more of the file while it may
        be cut by the end of the buffer (when searching, only if the error is
        at that end: a false candidate fails at once, mid-buffer)."""
        while True:
            try:
                return _DECODER.raw_decode(self._buffer, pos)
            except json.JSONDecodeError as err:
                cut = err.msg.startswith("Unterminated") or err.pos >= len(self._buffer) - 16
                if self._eof or (searching and not cut):
                    raise
                self._more()

    def _skip_space(self, pos: int) -> int:
        while True:
            pos = _skip_space(self._buffer, pos)
            if pos < len(self._buffer):
                return pos
            if self._eof:
                raise ValueError("the file ends inside the array")
            self._more()

    def _more(self) -> None:
        block = self._handle.read(_CHUNK)
        self._eof = len(block) < _CHUNK
        self._buffer += self._decoder.decode(block, final=self._eof)

    def _byte(self, pos: int) -> int:
        """Byte offset in the file of character ``pos`` of the buffer (pos >= mark)."""
        self._mark_byte += len(self._buffer[self._mark : pos].encode("utf8"))
        self._mark = pos
        return self._mark_byte
