"""Stream the tasks of a Label Studio JSON export (a top-level array) without
loading the whole file: one task dict at a time, with its position."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator, Tuple

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
