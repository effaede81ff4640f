"""Deterministic, leak-free train/dev/test splits.

Articles of one near-duplicate group always share a split. Groups are
ordered by a seeded hash (or, with ``newest_test``, the newest groups go to
test first) and filled into test, dev, then train to hit the fractions.

The converter keeps per document only a 64-bit group key (the first eight
bytes of ``sha256(f"{seed}:{group}")``, so sorting the keys is the seeded
order) and a date rank; ``SplitItems`` holds them in arrays (12 bytes per
document) and ``assign_splits`` works on the arrays.
"""
from __future__ import annotations

import hashlib
from array import array
from typing import Dict, Optional

import numpy

SPLITS = ("train", "dev", "test")
SKIP = -1  # split code of a document that is not written (a task seen in an earlier export)
_SLICE = 1 << 14


def group_key(group: str, seed: int) -> int:
    """The group's place in the seeded order (and its identity)."""
    return int.from_bytes(hashlib.sha256(f"{seed}:{group}".encode("utf8")).digest()[:8], "big")


class SplitItems:
    """Group key and date of each document, in document order."""

    def __init__(self) -> None:
        self.groups = array("Q")
        self.dates = array("i")  # index into the distinct date strings (_date_ids), -1: none
        self._date_ids: Dict[str, int] = {}

    def add(self, key: int, date: Optional[str]) -> None:
        """``key``: ``group_key`` of the document's group."""
        self.groups.append(key)
        if date:
            self.dates.append(self._date_ids.setdefault(str(date), len(self._date_ids)))
        else:
            self.dates.append(-1)

    def date_ranks(self) -> numpy.ndarray:
        """Per document the rank of its date among the distinct dates (as
        strings, so ISO dates sort by time), -1 for none."""
        names = list(self._date_ids)
        rank = numpy.empty(len(names) + 1, dtype="int64")
        rank[numpy.argsort(numpy.array(names, dtype=object), kind="stable")] = numpy.arange(len(names))
        rank[-1] = -1
        return rank[numpy.asarray(self.dates, dtype="int64")]


def assign_splits(items: SplitItems, *, dev: float, test: float, newest_test: bool = False, skip: Optional[numpy.ndarray] = None) -> numpy.ndarray:
    """The split of each document, as an index into SPLITS (``SKIP`` where
    ``skip`` is true; those documents count for nothing)."""
    keys = numpy.asarray(items.groups, dtype="uint64")
    codes = numpy.full(len(keys), SKIP, dtype="int8")
    used = numpy.ones(len(keys), dtype=bool) if skip is None else ~numpy.asarray(skip, dtype=bool)
    if not used.any():
        return codes
    groups, inverse, sizes = numpy.unique(keys[used], return_inverse=True, return_counts=True)  # sorted keys: the seeded order
    total = int(used.sum())
    targets = {"test": round(total * test), "dev": round(total * dev)}
    order = numpy.arange(len(groups))
    if newest_test:
        newest = numpy.full(len(groups), -1, dtype="int64")
        numpy.maximum.at(newest, inverse, items.date_ranks()[used])
        order = numpy.lexsort((order, -newest))  # newest first, seeded order among equals
    group_codes = numpy.zeros(len(groups), dtype="int8")  # train unless drawn
    taken = numpy.zeros(len(groups), dtype=bool)
    for split in ("test", "dev"):
        target, count, slack = targets[split], 0, max(1, targets[split] // 10)
        if split == "dev" and newest_test:
            order = numpy.arange(len(groups))  # dev is drawn at random from the rest
        for start in range(0, len(order), _SLICE):  # groups in order, as Python ints a slice at a time
            if count >= target:
                break
            chosen = order[start : start + _SLICE]
            for group, size, was_taken in zip(chosen.tolist(), sizes[chosen].tolist(), taken[chosen].tolist()):
                if count >= target:
                    break
                if was_taken or count + size > target + slack:
                    continue
                taken[group] = True
                group_codes[group] = SPLITS.index(split)
                count += size
    codes[used] = group_codes[inverse]
    return codes
