"""Which annotation of a task becomes the training document."""
from __future__ import annotations

from collections import Counter
from typing import List, Tuple

from .tasks import Annotation, Result

POLICIES = ("ground_truth_then_latest", "majority")


def choose(annotations: List[Annotation], policy: str) -> Tuple[List[Result], dict]:
    """The results to train on and a record of how they were chosen.

    ``ground_truth_then_latest``: the annotation marked ground truth (the
    latest one if several), else the latest submitted one.
    ``majority``: each span (offsets and label) kept if more than half of the
    annotations have it; with one annotation it is that annotation.
    """
    if policy == "majority" and len(annotations) > 1:
        votes = Counter((r.start, r.end, r.label) for a in annotations for r in a.results)
        keep = {span for span, count in votes.items() if count * 2 > len(annotations)}
        chosen, seen = [], set()
        for annotation in annotations:
            for r in annotation.results:
                key = (r.start, r.end, r.label)
                if key in keep and key not in seen:
                    chosen.append(r)
                    seen.add(key)
        return chosen, {"policy": policy, "annotation_ids": [a.id for a in annotations], "annotators": len(annotations)}
    picked = _ground_truth_then_latest(annotations)
    return picked.results, {"policy": "ground_truth_then_latest" if policy != "majority" else policy,
                            "annotation_id": picked.id, "ground_truth": picked.ground_truth,
                            "completed_by": picked.completed_by, "annotators": len(annotations)}


def _ground_truth_then_latest(annotations: List[Annotation]) -> Annotation:
    truth = [a for a in annotations if a.ground_truth]
    pool = truth or annotations
    return max(pool, key=lambda a: (a.updated_at, a.id))
