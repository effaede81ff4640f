"""Converted documents held on disk until the splits are known.

The converter reads the exports once. A document's split depends on every
other document (split sizes, near-duplicate groups, dates), so each converted
document goes to a temp file here as it is made, and comes back, in the same
order, when the split files are written. Memory holds two ints per document.
"""
from __future__ import annotations

from array import array
from pathlib import Path
from typing import Iterator, Tuple

import numpy

_ROW = 8  # bytes per token column value (uint64)


class Spool:
    def __init__(self, folder: Path, n_columns: int) -> None:
        self.path = Path(folder) / "spool.bin"
        self.n_columns = n_columns
        self._file = open(self.path, "w+b")
        self._tokens = array("i")
        self._record = array("i")

    def __len__(self) -> int:
        return len(self._tokens)

    def add(self, columns: numpy.ndarray, spaces: numpy.ndarray, record: bytes) -> None:
        self._file.write(columns.tobytes("C"))
        self._file.write(spaces.tobytes("C"))
        self._file.write(record)
        self._tokens.append(len(columns))
        self._record.append(len(record))

    def token_counts(self) -> array:
        """Tokens of each document, in the order added."""
        return self._tokens

    def __iter__(self) -> Iterator[Tuple[numpy.ndarray, numpy.ndarray, bytes]]:
        """(columns, spaces, record) of each document, in the order added."""
        self._file.flush()
        with open(self.path, "rb", buffering=1 << 20) as handle:
            for n, size in zip(self._tokens, self._record):
                columns = numpy.frombuffer(handle.read(n * self.n_columns * _ROW), dtype="uint64").reshape((n, self.n_columns))
                spaces = numpy.frombuffer(handle.read(n), dtype=bool)
                yield columns, spaces, handle.read(size)

    def close(self) -> None:
        self._file.close()
        self.path.unlink(missing_ok=True)
