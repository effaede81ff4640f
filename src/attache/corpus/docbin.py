"""Write .spacy files doc by doc, with flat memory.

``DocBin`` keeps every doc's arrays in memory until ``to_disk``; for a large
export that is most of the converter's memory. ``DocBinWriter`` writes the
same format (``DocBin.from_disk`` and ``spacy train`` read it; a test checks
it byte for byte against ``DocBin.to_bytes``): the token and space arrays go
to temp files as docs arrive, and the msgpack message is streamed through
zlib when the writer closes. What stays in memory is one int per doc and the
set of strings used.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import zlib
from array import array
from pathlib import Path
from typing import Sequence, Set

import numpy
import srsly
from spacy.strings import StringStore
from spacy.tokens import DocBin

_COPY = 1 << 22
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

    def __init__(self, path: Path, attrs: Sequence[int], tmp_dir: Path) -> None:
        self.path = Path(path)
        self.attrs = list(attrs)
        self.lengths = array("i")
        self.hashes: Set[int] = set()
        self._tmp = Path(tempfile.mkdtemp(prefix=self.path.stem + "-", dir=tmp_dir))
        self._tokens = open(self._tmp / "tokens", "w+b")
        self._spaces = open(self._tmp / "spaces", "w+b")

    def __len__(self) -> int:
        return len(self.lengths)

    def add(self, tokens: numpy.ndarray, spaces: numpy.ndarray) -> None:
        """tokens: uint64 (n, len(attrs)); spaces: bool (n,)."""
        self._tokens.write(tokens.tobytes("C"))
        self._spaces.write(spaces.tobytes("C"))
        self.lengths.append(len(tokens))
        self.hashes.update(tokens[:, 0].tolist())

    def close(self, strings: StringStore, labels: Sequence[str] = ()) -> Path:
        """Write the file. Its strings are the token texts (ORTH hashes seen,
        looked up in ``strings``, the tokenizer's vocab) and ``labels``."""
        used = sorted({strings[h] for h in self.hashes} | set(labels))
        n_docs = len(self.lengths)
        # zlib level 1: DocBin uses 6, which takes three times as long on
        # hash columns that hardly compress; readers do not care
        chunks = zlib.compressobj(1)
        with open(self.path, "wb") as out:
            def put(data: bytes) -> None:
                out.write(chunks.compress(data))

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

            put(b"\x89")  # a map of 9 entries, in DocBin.to_bytes' order
            put(srsly.msgpack_dumps("version") + srsly.msgpack_dumps(DocBin().version))
            put(srsly.msgpack_dumps("attrs") + srsly.msgpack_dumps(self.attrs))
            put(srsly.msgpack_dumps("tokens"))
            put_file(self._tokens)
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
            out.write(chunks.flush())
        self.discard()
        return self.path

    def discard(self) -> None:
        for handle in (self._tokens, self._spaces):
            handle.close()
        shutil.rmtree(self._tmp, ignore_errors=True)

