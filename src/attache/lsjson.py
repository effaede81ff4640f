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
    error naming the file, the element index and the byte offset.
    """
    path = Path(path)
    with path.open("r", encoding="utf8") as handle:
        buffer, consumed, index = "", 0, 0
        buffer = _fill(handle, buffer)
        buffer = buffer.lstrip()
        if not buffer.startswith("["):
            raise _malformed(path, 0, consumed, "the export is not a JSON array of tasks")
        buffer = buffer[1:]
        consumed += 1
        while True:
            buffer, skipped = _skip_space_and_comma(handle, buffer, expect_comma=index > 0)
            consumed += skipped
            if buffer.startswith("]"):
                return
            if not buffer:
                raise _malformed(path, index, consumed, "the file ends before the closing ']' (truncated?)")
            while True:
                try:
                    task, end = _DECODER.raw_decode(buffer)
                    break
                except json.JSONDecodeError as err:
                    more = handle.read(_CHUNK)
                    if not more:
                        raise _malformed(path, index, consumed + err.pos, f"invalid JSON ({err.msg})") from None
                    buffer += more
            if not isinstance(task, dict):
                raise _malformed(path, index, consumed, f"element is a {type(task).__name__}, not a task object")
            yield index, task
            index += 1
            buffer = buffer[end:]
            consumed += end


def _fill(handle, buffer: str) -> str:
    return buffer + handle.read(_CHUNK)


def _skip_space_and_comma(handle, buffer: str, expect_comma: bool) -> Tuple[str, int]:
    skipped = 0
    seen_comma = not expect_comma
    while True:
        if not buffer:
            buffer = handle.read(_CHUNK)
            if not buffer:
                return "", skipped
        stripped = buffer.lstrip()
        skipped += len(buffer) - len(stripped)
        buffer = stripped
        if not buffer:
            continue
        if buffer[0] == "," and not seen_comma:
            seen_comma = True
            buffer = buffer[1:]
            skipped += 1
            continue
        return buffer, skipped


def _malformed(path: Path, index: int, offset: int, message: str) -> AttacheError:
    return AttacheError("E060", f"{path}: task #{index} near character {offset}: {message}", "Re-export the project from Label Studio (`attache studio pull`); do not edit exports by hand.")
