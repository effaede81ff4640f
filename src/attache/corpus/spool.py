"""Converted documents held on disk until the splits are known.

The converter reads the exports once. A document's split depends on every
other document (split sizes, near-duplicate groups, dates), so each converted
document goes to a temp file here as it is made, and comes back, in the same
order, when the split files are written (in runs of consecutive documents
of one split, so they are copied in blocks). Memory holds two ints per
document.
"""
from __future__ import annotations

from array import array
from contextlib import ExitStack
from pathlib import Path
from typing import Iterator, List, Sequence, Tuple

import numpy

_ROW = 8  # bytes per token column value (uint64)


class Spool:
    """Three append-only files (token columns, space flags, records) and two
    ints per document."""

    def __init__(self, folder: Path, n_columns: int) -> None:
        self.folder = Path(folder)
        self.n_columns = n_columns
        self._files = [open(self.folder / f"spool.{part}", "w+b") for part in ("tokens", "spaces", "records")]
        self._tokens = array("i")
        self._record = array("i")

    def __len__(self) -> int:
        return len(self._tokens)

    def add(self, columns, spaces, record: bytes, n_tokens: int) -> None:
        """``columns``/``spaces``: the arrays, or their bytes."""
        tokens, flags, records = self._files
        tokens.write(columns)
        flags.write(spaces)
        records.write(record)
        self._tokens.append(n_tokens)
        self._record.append(len(record))

    def token_counts(self) -> array:
        """Tokens of each document, in the order added."""
        return self._tokens

    def runs(self, labels: Sequence[int]) -> Iterator[Tuple[int, numpy.ndarray, bytes, List[bytes], List[int]]]:
        """Documents in the order added, grouped in runs of consecutive
        documents with the same label (e.g. split): (label, token columns of
        the whole run (tokens x columns), space flags of the run, records,
        tokens per document)."""
        for handle in self._files:
            handle.flush()
        with ExitStack() as stack:
            tokens, flags, records = (stack.enter_context(open(h.name, "rb", buffering=1 << 20)) for h in self._files)
            labels = numpy.asarray(labels)
            if not len(labels):
                return
            edges = numpy.flatnonzero(numpy.diff(labels)) + 1
            starts = [0, *edges.tolist()]
            stops = [*edges.tolist(), len(labels)]
            for start, stop in zip(starts, stops):
                sizes = self._tokens[start:stop].tolist()
                n = sum(sizes)
                columns = numpy.frombuffer(tokens.read(n * self.n_columns * _ROW), dtype="uint64").reshape((n, self.n_columns))
                spaces = flags.read(n)
                run_records = [records.read(size) for size in self._record[start:stop]]
                yield int(labels[start]), columns, spaces, run_records, sizes

    def close(self) -> None:
        for handle in self._files:
            handle.close()
            Path(handle.name).unlink(missing_ok=True)
