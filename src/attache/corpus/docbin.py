"""Write .spacy files doc by doc, with flat memory.

``DocBin`` keeps every doc's arrays in memory until ``to_disk``; for a large
export that is most of the converter's memory. ``DocBinWriter`` writes the
same format (``DocBin.from_disk`` and ``spacy train`` read it; a test checks
it field by field against ``DocBin.to_bytes``): the msgpack message is
streamed through zlib, the token arrays as docs arrive when their total size
is known up front (else from a temp file at ``close``), the space flags from
a temp file. What stays in memory is one int per doc and the set of strings
used.
"""
from __future__ import annotations

import os
import queue
import shutil
import tempfile
import threading
import zlib
from array import array
from pathlib import Path
from typing import List, Optional, Sequence, Set

import numpy
import srsly
from spacy.strings import StringStore
from spacy.tokens import DocBin

_COPY = 1 << 22
_BLOCK = 1 << 20  # token bytes handed to the compressing thread at a time
_FOLD = 1 << 18  # ORTH values kept before they are reduced to the distinct ones (2 MiB)
# What DocBin.add stores for a Doc without cats, span groups or unknown spaces.
_CAT = srsly.msgpack_dumps({})
_FLAG = srsly.msgpack_dumps({"has_unknown_spaces": False})
_SPAN_GROUP = srsly.msgpack_dumps([srsly.msgpack_dumps([])])[1:]


def docbin_attrs(attrs: Sequence[str]) -> list:
    """The attribute IDs in DocBin's order (ORTH first, then sorted)."""
    return DocBin(attrs=list(attrs)).attrs


def _bin_header(size: int) -> bytes:
    if size < 1 << 8:
        return b"\xc4" + size.to_bytes(1, "big")
    if size < 1 << 16:
        return b"\xc5" + size.to_bytes(2, "big")
    return b"\xc6" + size.to_bytes(4, "big")


def _array_header(size: int) -> bytes:
    if size < 16:
        return bytes([0x90 | size])
    if size < 1 << 16:
        return b"\xdc" + size.to_bytes(2, "big")
    return b"\xdd" + size.to_bytes(4, "big")


class DocBinWriter:
    """``add`` token arrays (columns in ``attrs`` order, ORTH first) and space
    flags one doc at a time; ``close`` writes ``path``."""

    def __init__(self, path: Path, attrs: Sequence[int], tmp_dir: Path, n_tokens: Optional[int] = None) -> None:
        """With ``n_tokens`` (the total the docs will have) the token arrays
        are compressed into the file by a background thread while docs are
        added (zlib lets go of the GIL), instead of all at ``close``."""
        self.path = Path(path)
        self.attrs = list(attrs)
        self.lengths = array("i")
        self._orth: List[numpy.ndarray] = []  # ORTH columns since the last fold into _hashes
        self._orth_size = 0
        self._hashes = numpy.zeros(0, dtype="uint64")  # distinct ORTH hashes seen
        self._tmp = Path(tempfile.mkdtemp(prefix=self.path.stem + "-", dir=tmp_dir))
        self._spaces = open(self._tmp / "spaces", "w+b")
        self._zip = zlib.compressobj(1)  # DocBin uses 6: three times as long on hash columns that hardly compress; readers do not care
        self._out = open(self.path, "wb")
        self._put(b"\x89")  # a map of 9 entries, in DocBin.to_bytes' order
        self._put(srsly.msgpack_dumps("version") + srsly.msgpack_dumps(DocBin().version))
        self._put(srsly.msgpack_dumps("attrs") + srsly.msgpack_dumps(self.attrs))
        self._put(srsly.msgpack_dumps("tokens"))
        self._expected = None if n_tokens is None else n_tokens * len(self.attrs) * 8
        self._written = 0
        if self._expected is None:
            self._tokens = open(self._tmp / "tokens", "w+b")
        else:
            self._put(_bin_header(self._expected))
            self._pending = bytearray()
            self._queue: queue.Queue = queue.Queue(maxsize=2)  # at most 3 blocks of 1 MiB waiting per writer
            self._failure: List[BaseException] = []
            self._thread = threading.Thread(target=self._compress_tokens, name=f"compress-{self.path.name}", daemon=True)
            self._thread.start()

    def __len__(self) -> int:
        return len(self.lengths)

    def add(self, tokens: numpy.ndarray, spaces: numpy.ndarray) -> None:
        """tokens: uint64 (n, len(attrs)); spaces: bool (n,)."""
        self.add_run(tokens, spaces.tobytes("C"), [len(tokens)])

    def add_run(self, tokens: numpy.ndarray, spaces: bytes, lengths: Sequence[int]) -> None:
        """Several docs at once: their token rows one after the other, their
        space flags (one byte per token) and the number of tokens of each."""
        data = tokens.tobytes("C")
        self._written += len(data)
        if self._expected is None:
            self._tokens.write(data)
        else:
            self._pending += data
            while len(self._pending) >= _BLOCK:
                self._hand_over(_BLOCK)
        self._spaces.write(spaces)
        self.lengths.extend(lengths)
        self._orth.append(numpy.ascontiguousarray(tokens[:, 0]))  # a copy: a view would keep all columns alive
        self._orth_size += len(tokens)
        if self._orth_size > _FOLD:
            self._fold()

    def _fold(self) -> None:
        """Keep the distinct hashes only (memory grows with the vocabulary, not the corpus)."""
        self._hashes = numpy.unique(numpy.concatenate([self._hashes, *self._orth]))
        self._orth, self._orth_size = [], 0

    @property
    def hashes(self) -> Set[int]:
        self._fold()
        return set(self._hashes.tolist())

    def _put(self, data: bytes) -> None:
        self._out.write(self._zip.compress(data))

    def _hand_over(self, size: Optional[int] = None) -> None:
        """Queue the first ``size`` pending bytes (all by default) for the compressing thread."""
        if self._failure:
            raise self._failure[0]
        size = len(self._pending) if size is None else size
        self._queue.put(bytes(self._pending[:size]))
        del self._pending[:size]

    def _compress_tokens(self) -> None:
        try:
            while True:
                block = self._queue.get()
                if block is None:
                    return
                self._put(block)
        except BaseException as err:  # noqa: BLE001  (re-raised in the main thread)
            self._failure.append(err)
            while self._queue.get() is not None:  # let the producer finish
                pass

    def close(self, strings: StringStore, labels: Sequence[str] = ()) -> Path:
        """Write the file. Its strings are the token texts (ORTH hashes seen,
        looked up in ``strings``, the tokenizer's vocab) and ``labels``."""
        used = sorted({strings[h] for h in self.hashes} | set(labels))
        n_docs = len(self.lengths)
        put = self._put

        def put_file(handle) -> None:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(0)
            put(_bin_header(size))
            while True:
                block = handle.read(_COPY)
                if not block:
                    break
                put(block)

        def put_repeated(item: bytes) -> None:
            put(_array_header(n_docs))
            for start in range(0, n_docs, 4096):
                put(item * min(4096, n_docs - start))

        with self._out as out:
            if self._expected is None:
                put_file(self._tokens)
            else:
                self._hand_over()
                self._queue.put(None)
                self._thread.join()
                if self._failure:
                    raise self._failure[0]
                if self._written != self._expected:
                    raise ValueError(f"{self.path}: {self._written} bytes of tokens written, {self._expected} announced")
            put(srsly.msgpack_dumps("spaces"))
            put_file(self._spaces)
            put(srsly.msgpack_dumps("lengths") + srsly.msgpack_dumps(self.lengths.tobytes()))
            put(srsly.msgpack_dumps("strings") + srsly.msgpack_dumps(used))
            put(srsly.msgpack_dumps("cats"))
            put_repeated(_CAT)
            put(srsly.msgpack_dumps("flags"))
            put_repeated(_FLAG)
            put(srsly.msgpack_dumps("span_groups"))
            put_repeated(_SPAN_GROUP)
            out.write(self._zip.flush())
        self.discard()
        return self.path

    def discard(self) -> None:
        """Stop the compressing thread and remove the temp files (the output file is left to the caller's staging)."""
        thread = getattr(self, "_thread", None)
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join()
        for handle in (getattr(self, "_tokens", None), self._spaces, self._out):
            if handle is not None:
                handle.close()
        shutil.rmtree(self._tmp, ignore_errors=True)

