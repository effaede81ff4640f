"""Which task keys were seen already, in about 8 bytes per key.

A Python set of key strings costs over 100 bytes per task; the converter
keeps 64-bit hashes of the keys instead, in a sorted numpy array, with the
most recent ones in a small set merged into the array now and then.
"""
from __future__ import annotations

import numpy

_MASK = (1 << 64) - 1


class SeenKeys:
    def __init__(self, recent: int = 1 << 14) -> None:
        self._sorted = numpy.zeros(0, dtype="uint64")
        self._recent: set = set()
        self._limit = recent

    def __len__(self) -> int:
        return len(self._sorted) + len(self._recent)

    def add(self, key: str) -> bool:
        """Remember ``key``; False if it was seen before. Keys are compared by
        a 64-bit hash: two different keys collide with a chance of about
        n^2 / 2^65 (3 in 10^8 for a million tasks)."""
        value = hash(key) & _MASK
        if value in self._recent:
            return False
        found = self._sorted
        if len(found):
            at = int(found.searchsorted(numpy.uint64(value)))
            if at < len(found) and int(found[at]) == value:
                return False
        self._recent.add(value)
        if len(self._recent) >= self._limit:
            merged = numpy.concatenate([found, numpy.fromiter(self._recent, dtype="uint64", count=len(self._recent))])
            merged.sort()
            self._sorted, self._recent = merged, set()
        return True
