"""Exact and near-duplicate detection: MinHash LSH over word shingles, then exact Jaccard."""
from __future__ import annotations

import re
from typing import Dict, List, Sequence, Set, Tuple

from datasketch import MinHash, MinHashLSH

from .settings import DedupSettings

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int) -> Set[str]:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def jaccard(a: Set[str], b: Set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def near_duplicate_groups(ids: Sequence[str], texts: Sequence[str], settings: DedupSettings) -> Tuple[List[List[str]], List[Tuple[str, str, float]]]:
    """Groups (of two or more ids) whose members are near-duplicates, and the
    confirmed pairs with their Jaccard similarity. Grouping is transitive."""
    sets = [shingles(text, settings.shingle_words) for text in texts]
    lsh = MinHashLSH(threshold=max(settings.threshold - 0.15, 0.05), num_perm=settings.num_perm)
    hashes = []
    for key, items in zip(ids, sets):
        minhash = MinHash(num_perm=settings.num_perm, seed=settings.seed)
        for item in items:
            minhash.update(item.encode("utf8"))
        hashes.append(minhash)
        lsh.insert(key, minhash)
    index = {key: i for i, key in enumerate(ids)}
    parent: Dict[str, str] = {key: key for key in ids}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    pairs = []
    for i, key in enumerate(ids):
        for other in lsh.query(hashes[i]):
            j = index[other]
            if j <= i:
                continue
            similarity = jaccard(sets[i], sets[j])
            if similarity >= settings.threshold:
                pairs.append((key, other, round(similarity, 4)))
                root_a, root_b = find(key), find(other)
                if root_a != root_b:
                    parent[max(root_a, root_b, key=index.get)] = min(root_a, root_b, key=index.get)
    groups: Dict[str, List[str]] = {}
    for key in ids:
        groups.setdefault(find(key), []).append(key)
    return [members for members in groups.values() if len(members) > 1], pairs
