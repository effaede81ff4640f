"""Splits and duplicate detection work on compact per-document arrays."""
import numpy

from attache.corpus.seen import SeenKeys
from attache.corpus.splits import SKIP, SPLITS, SplitItems, assign_splits, group_key


def items(groups, dates=None, seed=0):
    found = SplitItems()
    for i, group in enumerate(groups):
        found.add(group_key(group, seed), (dates or {}).get(i))
    return found


def test_seen_keys_remember_every_key_across_merges():
    seen = SeenKeys(recent=8)  # merges into the sorted array every 8 keys
    keys = [f"task-{i}" for i in range(100)]
    assert all(seen.add(key) for key in keys)
    assert not any(seen.add(key) for key in reversed(keys))
    assert len(seen) == 100 and seen.add("task-100")


def test_groups_share_a_split_and_the_fractions_are_met():
    groups = [f"g{i // 3}" if i < 30 else f"solo{i}" for i in range(200)]
    codes = assign_splits(items(groups), dev=0.15, test=0.15)
    by_group = {}
    for group, code in zip(groups, codes.tolist()):
        by_group.setdefault(group, set()).add(code)
    assert all(len(found) == 1 for found in by_group.values())
    counts = numpy.bincount(codes, minlength=3)
    assert abs(counts[SPLITS.index("test")] - 30) <= 3 and abs(counts[SPLITS.index("dev")] - 30) <= 3


def test_the_seed_decides_the_split_and_the_same_seed_gives_the_same_one():
    groups = [f"g{i}" for i in range(100)]
    first = assign_splits(items(groups, seed=1), dev=0.2, test=0.2)
    assert (assign_splits(items(groups, seed=1), dev=0.2, test=0.2) == first).all()
    assert (assign_splits(items(groups, seed=2), dev=0.2, test=0.2) != first).any()


def test_newest_groups_go_to_test_and_skipped_documents_count_for_nothing():
    groups = [f"g{i}" for i in range(40)]
    dates = {i: f"2024-01-{1 + i % 28:02d}" for i in range(40)}
    skip = numpy.zeros(40, dtype=bool)
    skip[[27, 0]] = True  # the newest (2024-01-28) is a skipped copy
    codes = assign_splits(items(groups, dates), dev=0.1, test=0.1, newest_test=True, skip=skip)
    assert codes[27] == SKIP and codes[0] == SKIP
    test = [dates[i] for i in numpy.flatnonzero(codes == SPLITS.index("test"))]
    assert sorted(test) == ["2024-01-24", "2024-01-25", "2024-01-26", "2024-01-27"]  # the newest 10% of the 38 kept
