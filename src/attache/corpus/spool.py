"""Converted documents held on disk until the splits are known.

The converter reads the exports once. A document's split depends on every
other document (split sizes, near-duplicate groups, dates), so each converted
document is kept in files as it is made: three per segment (token columns,
space flags, JSON records). The main process writes its own segment
(``add``); a worker process writes a segment of its byte range, which the
main process then ``adopt``s by telling the spool how big each of its
documents is. ``chunks`` reads everything back in document order, a few
hundred thousand tokens at a time. Memory holds two ints per document.
"""
from __future__ import annotations

from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List, Tuple

import numpy

_ROW = 8  # bytes per token column value (uint64)
PARTS = ("tokens", "spaces", "records")


@dataclass
class _Segment:
    paths: Tuple[Path, Path, Path]
    offsets: Tuple[int, int, int]  # where the segment starts in each file
    first: int  # its first document
    own: bool  # files written by this spool (removed at close)


class Spool:
    def __init__(self, folder: Path, n_columns: int) -> None:
        self.folder = Path(folder)
        self.n_columns = n_columns
        self._tokens = array("i")  # tokens per document
        self._record = array("i")  # record bytes per document
        self._segments: List[_Segment] = []
        self._own = None  # open handles of the own files
        self._own_paths = tuple(self.folder / f"spool.{part}" for part in PARTS)

    def __len__(self) -> int:
        return len(self._tokens)

    def add(self, columns, spaces, record: bytes, n_tokens: int) -> None:
        """One document written by this process (``columns``/``spaces``: the arrays, or their bytes)."""
        if self._own is None:
            self._own = [open(path, "ab") for path in self._own_paths]
        if not self._segments or not self._segments[-1].own:
            offsets = tuple(handle.tell() for handle in self._own)
            self._segments.append(_Segment(self._own_paths, offsets, len(self), True))
        tokens, flags, records = self._own
        tokens.write(columns)
        flags.write(spaces)
        records.write(record)
        self._tokens.append(n_tokens)
        self._record.append(len(record))

    def adopt(self, paths: Tuple[Path, Path, Path]) -> None:
        """The documents described next (``describe``) are in these files, from their start."""
        self._segments.append(_Segment(tuple(map(Path, paths)), (0, 0, 0), len(self), False))

    def describe(self, n_tokens: int, record_size: int) -> None:
        """The next document of an adopted segment."""
        self._tokens.append(n_tokens)
        self._record.append(record_size)

    def token_counts(self) -> numpy.ndarray:
        """Tokens of each document, in document order."""
        return numpy.frombuffer(self._tokens, dtype="int32") if len(self._tokens) else numpy.zeros(0, dtype="int32")

    def chunks(self, max_tokens: int = 1 << 18) -> Iterator[Tuple[int, numpy.ndarray, numpy.ndarray, List[bytes]]]:
        """Documents in order, a chunk at a time: (first document, token
        columns (tokens x columns, uint64), space flags (uint8 per token),
        records). A chunk holds whole documents of one segment, about
        ``max_tokens`` tokens (more for a longer document)."""
        if self._own is not None:
            for handle in self._own:
                handle.flush()
        counts, sizes = self._tokens, self._record
        bounds = [segment.first for segment in self._segments] + [len(self)]
        for segment, stop in zip(self._segments, bounds[1:]):
            handles = [open(path, "rb") for path in segment.paths]
            try:
                for handle, offset in zip(handles, segment.offsets):
                    handle.seek(offset)
                tokens, flags, records = handles
                doc = segment.first
                while doc < stop:
                    end, n = doc, 0
                    while end < stop and (n == 0 or n + counts[end] <= max_tokens):
                        n += counts[end]
                        end += 1
                    columns = numpy.frombuffer(_read(tokens, n * self.n_columns * _ROW), dtype="uint64").reshape((n, self.n_columns))
                    spaces = numpy.frombuffer(_read(flags, n), dtype="uint8")
                    blob = _read(records, sum(sizes[doc:end]))
                    cut, found = 0, []
                    for size in sizes[doc:end]:
                        found.append(blob[cut : cut + size])
                        cut += size
                    yield doc, columns, spaces, found
                    doc = end
            finally:
                for handle in handles:
                    handle.close()

    def close(self) -> None:
        if self._own is not None:
            for handle in self._own:
                handle.close()
        for path in self._own_paths:
            path.unlink(missing_ok=True)


def _read(handle, size: int) -> bytes:
    data = handle.read(size)
    if len(data) != size:
        raise OSError(f"{handle.name}: {len(data)} bytes where {size} were spooled")
    return data
