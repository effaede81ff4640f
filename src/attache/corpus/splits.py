"""Deterministic, leak-free train/dev/test splits.

Articles of one near-duplicate group always share a split. Groups are
ordered by a seeded hash (or, with ``newest_test``, the newest groups go to
test first) and filled into test, dev, then train to hit the fractions.
"""
from __future__ import annotations

import hashlib
from typing import Dict, List, Optional, Sequence, Tuple

SPLITS = ("train", "dev", "test")


def assign_splits(items: Sequence[Tuple[str, str, Optional[str]]], *, dev: float, test: float, seed: int, newest_test: bool = False) -> Dict[str, str]:
    """items: (task key, group key, date or None) -> {task key: split}."""
    groups: Dict[str, List[Tuple[str, Optional[str]]]] = {}
    for key, group, date in items:
        groups.setdefault(group, []).append((key, date))
    total = len(items)

    def seeded(group: str) -> str:
        return hashlib.sha256(f"{seed}:{group}".encode("utf8")).hexdigest()

    order = sorted(groups, key=seeded)
    assignment: Dict[str, str] = {}
    counts = {name: 0 for name in SPLITS}
    targets = {"test": round(total * test), "dev": round(total * dev)}
    if newest_test:
        newest = sorted(order, key=lambda g: max((d or "" for _, d in groups[g])), reverse=True)
        order = [g for g in newest]
        fill = ["test", "dev"]
    else:
        fill = ["test", "dev"]
    remaining = list(order)
    for split in fill:
        chosen = []
        for group in remaining:
            if counts[split] >= targets[split]:
                break
            if counts[split] + len(groups[group]) > targets[split] + max(1, targets[split] // 10):
                continue
            chosen.append(group)
            counts[split] += len(groups[group])
        for group in chosen:
            remaining.remove(group)
            for key, _ in groups[group]:
                assignment[key] = split
        if newest_test and split == "test":
            remaining.sort(key=seeded)  # dev is drawn at random from the rest
    for group in remaining:
        for key, _ in groups[group]:
            assignment[key] = "train"
    return assignment
