"""Inter-annotator agreement on doubly annotated tasks, and the disagreements."""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Dict, List, Sequence, Tuple

import numpy

from ..evaluate.scores import PRF
from .align import TokenIndex
from .tasks import Annotation, Task

SpanT = Tuple[int, int, str]


def _spans(annotation: Annotation) -> List[SpanT]:
    return [(r.start, r.end, r.label) for r in annotation.results]


def _overlap_match(a: SpanT, others: Sequence[SpanT]) -> bool:
    return any(a[2] == b[2] and a[0] < b[1] and b[0] < a[1] for b in others)


def token_tags(tokens: TokenIndex, spans: Sequence[SpanT], codes: Dict[str, int]) -> numpy.ndarray:
    """One code per token: that of the label of the span whose characters it
    is in, or 0 (O)."""
    tags = numpy.zeros(len(tokens), dtype="int64")
    if spans:
        firsts = numpy.searchsorted(tokens.ends, [s[0] for s in spans], side="right").tolist()
        stops = numpy.searchsorted(tokens.starts, [s[1] for s in spans], side="left").tolist()
        for first, stop, (_, _, label) in zip(firsts, stops, spans):
            tags[first:stop] = codes[label]
    return tags


class Agreement:
    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = list(labels)
        self.exact: Dict[str, PRF] = defaultdict(PRF)
        self.overlap: Dict[str, PRF] = defaultdict(PRF)
        self.tags = ["O"] + self.labels
        self.codes = {label: i for i, label in enumerate(self.tags)}
        # tokens per (tag of the first annotator, tag of the second), as a flat square
        self.tag_pairs = numpy.zeros(len(self.tags) ** 2, dtype="int64")
        self.tasks = 0
        self.pairs = 0
        self.disagreeing_tasks = 0

    def add(self, task: Task, tokens: TokenIndex) -> List[dict]:
        """Count a task's agreement; return its disagreements (one per pair of
        annotators who differ), for reports/disagreements.json."""
        annotations = task.annotations
        if len({a.completed_by for a in annotations}) < 2:
            return []
        self.tasks += 1
        disagreements = []
        for a, b in combinations(annotations, 2):
            if a.completed_by == b.completed_by:
                continue
            self.pairs += 1
            sa, sb = set(_spans(a)), set(_spans(b))
            for span in sa & sb:
                self.exact[span[2]].tp += 1
                self.overlap[span[2]].tp += 1
            for span in sa - sb:
                self.exact[span[2]].fn += 1
                if _overlap_match(span, list(sb)):
                    self.overlap[span[2]].tp += 1
                else:
                    self.overlap[span[2]].fn += 1
            for span in sb - sa:
                self.exact[span[2]].fp += 1
                if not _overlap_match(span, list(sa)):
                    self.overlap[span[2]].fp += 1
            first, second = token_tags(tokens, list(sa), self.codes), token_tags(tokens, list(sb), self.codes)
            self.tag_pairs += numpy.bincount(first * len(self.tags) + second, minlength=len(self.tag_pairs))
            if sa != sb:
                disagreements.append({
                    "task_id": task.id, "task_key": task.key, "file": task.file,
                    "annotations": [a.id, b.id], "annotators": [a.completed_by, b.completed_by],
                    "only_first": [list(s) + [task.text[s[0]:s[1]]] for s in sorted(sa - sb)],
                    "only_second": [list(s) + [task.text[s[0]:s[1]]] for s in sorted(sb - sa)],
                    "first_spans": sorted(sa), "second_spans": sorted(sb),
                })
        self.disagreeing_tasks += bool(disagreements)
        return disagreements

    def merge(self, other: "Agreement") -> None:
        """Add the counts of ``other`` (e.g. measured in a worker process)."""
        for mine, theirs in ((self.exact, other.exact), (self.overlap, other.overlap)):
            for label, prf in theirs.items():
                mine[label].tp += prf.tp
                mine[label].fp += prf.fp
                mine[label].fn += prf.fn
        self.tag_pairs += other.tag_pairs
        self.tasks += other.tasks
        self.pairs += other.pairs
        self.disagreeing_tasks += other.disagreeing_tasks

    def kappa(self) -> float:
        """Token-level Cohen's kappa (scikit-learn), from the counts of tag
        pairs (as sample weights), so memory does not grow with the corpus."""
        from sklearn.metrics import cohen_kappa_score

        if not self.tag_pairs.any():
            return float("nan")
        pairs = numpy.flatnonzero(self.tag_pairs)
        first, second = numpy.divmod(pairs, len(self.tags))
        return float(cohen_kappa_score([self.tags[i] for i in first], [self.tags[i] for i in second], sample_weight=self.tag_pairs[pairs]))

    def report(self) -> dict:
        def table(prfs: Dict[str, PRF]) -> dict:
            total = PRF()
            for prf in prfs.values():
                total.tp, total.fp, total.fn = total.tp + prf.tp, total.fp + prf.fp, total.fn + prf.fn
            return {"micro_f": round(total.f1, 4), "per_label": {l: round(prfs[l].f1, 4) for l in self.labels if l in prfs}}

        return {
            "tasks": self.tasks,
            "pairs": self.pairs,
            "span_f1_exact": table(self.exact),
            "span_f1_overlap": table(self.overlap),
            "token_cohen_kappa": round(self.kappa(), 4) if self.tag_pairs.any() else None,
            "disagreements": self.disagreeing_tasks,
        }


def review_task(disagreement: dict, text: str) -> dict:
    """A disagreement as a Label Studio review task, for
    `attache studio push --review disagreement`: each annotator's version is
    a prediction, so the reviewer sees both and picks."""
    from ..hashing import text_sha256
    from ..preannotate.tasks import doc_to_results

    predictions = []
    for who, annotation_id, spans in (
        (disagreement["annotators"][0], disagreement["annotations"][0], disagreement["first_spans"]),
        (disagreement["annotators"][1], disagreement["annotations"][1], disagreement["second_spans"]),
    ):
        results = doc_to_results(text, [(s, e, l, f"annotator/{who}") for s, e, l in spans], {"annotator": 1.0})
        predictions.append({"model_version": f"annotator-{who}-annotation-{annotation_id}", "score": 1.0, "result": results})
    return {"data": {"text": text, "task_key": disagreement["task_key"], "text_sha256": text_sha256(text)}, "predictions": predictions}
