"""Inter-annotator agreement on doubly annotated tasks, and the disagreements."""
from __future__ import annotations

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
    """Agreement counts, all in one int vector (so a worker process hands
    over one small array per task, and merging is an addition): per label
    exact and overlap (tp, fp, fn), tokens per (tag of the first annotator,
    tag of the second), and the numbers of tasks, pairs and disagreeing tasks."""

    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = list(labels)
        self.tags = ["O"] + self.labels
        self.codes = {label: i for i, label in enumerate(self.tags)}
        n, t = len(self.labels), len(self.tags)
        self.counts = numpy.zeros(6 * n + t * t + 3, dtype="int64")
        self._exact = self.counts[: 3 * n].reshape((n, 3))
        self._overlap = self.counts[3 * n : 6 * n].reshape((n, 3))
        self._tag_pairs = self.counts[6 * n : 6 * n + t * t]
        self._totals = self.counts[6 * n + t * t :]  # tasks, pairs, disagreeing tasks

    tasks = property(lambda self: int(self._totals[0]))
    pairs = property(lambda self: int(self._totals[1]))
    disagreeing_tasks = property(lambda self: int(self._totals[2]))

    def add(self, task: Task, tokens: TokenIndex) -> List[dict]:
        """Count a task's agreement; return its disagreements (one per pair of
        annotators who differ), for reports/disagreements.json."""
        annotations = task.annotations
        if len({a.completed_by for a in annotations}) < 2:
            return []
        self._totals[0] += 1
        disagreements = []
        TP, FP, FN = 0, 1, 2
        for a, b in combinations(annotations, 2):
            if a.completed_by == b.completed_by:
                continue
            self._totals[1] += 1
            sa, sb = set(_spans(a)), set(_spans(b))
            for span in sa & sb:
                row = self.codes[span[2]] - 1
                self._exact[row, TP] += 1
                self._overlap[row, TP] += 1
            for span in sa - sb:
                row = self.codes[span[2]] - 1
                self._exact[row, FN] += 1
                self._overlap[row, TP if _overlap_match(span, list(sb)) else FN] += 1
            for span in sb - sa:
                row = self.codes[span[2]] - 1
                self._exact[row, FP] += 1
                if not _overlap_match(span, list(sa)):
                    self._overlap[row, FP] += 1
            first, second = token_tags(tokens, list(sa), self.codes), token_tags(tokens, list(sb), self.codes)
            self._tag_pairs += numpy.bincount(first * len(self.tags) + second, minlength=len(self._tag_pairs))
            if sa != sb:
                disagreements.append({
                    "task_id": task.id, "task_key": task.key, "file": task.file,
                    "annotations": [a.id, b.id], "annotators": [a.completed_by, b.completed_by],
                    "only_first": [list(s) + [task.text[s[0]:s[1]]] for s in sorted(sa - sb)],
                    "only_second": [list(s) + [task.text[s[0]:s[1]]] for s in sorted(sb - sa)],
                    "first_spans": sorted(sa), "second_spans": sorted(sb),
                })
        self._totals[2] += bool(disagreements)
        return disagreements

    def merge(self, counts: numpy.ndarray) -> None:
        """Add the ``counts`` of another Agreement (e.g. one measured in a worker process)."""
        self.counts += counts

    def kappa(self) -> float:
        """Token-level Cohen's kappa (scikit-learn), from the counts of tag
        pairs (as sample weights), so memory does not grow with the corpus."""
        from sklearn.metrics import cohen_kappa_score

        if not self._tag_pairs.any():
            return float("nan")
        pairs = numpy.flatnonzero(self._tag_pairs)
        first, second = numpy.divmod(pairs, len(self.tags))
        return float(cohen_kappa_score([self.tags[i] for i in first], [self.tags[i] for i in second], sample_weight=self._tag_pairs[pairs]))

    def report(self) -> dict:
        def table(counts: numpy.ndarray) -> dict:
            tp, fp, fn = counts.sum(axis=0).tolist()
            per_label = {label: round(PRF(*row).f1, 4) for label, row in zip(self.labels, counts.tolist()) if any(row)}
            return {"micro_f": round(PRF(tp, fp, fn).f1, 4), "per_label": per_label}

        return {
            "tasks": self.tasks,
            "pairs": self.pairs,
            "span_f1_exact": table(self._exact),
            "span_f1_overlap": table(self._overlap),
            "token_cohen_kappa": round(self.kappa(), 4) if self._tag_pairs.any() else None,
            "disagreements": self.disagreeing_tasks,
        }


def review_task(disagreement: dict, text: str) -> dict:
    """A disagreement as a Label Studio review task, for
    `attache studio push --review disagreement`: each annotator's version is
    a prediction, so the reviewer sees both and picks."""
    from ..hashing import text_sha256
    from ..preannotate.tasks import doc_to_results

    digest = text_sha256(text)
    predictions = []
    for who, annotation_id, spans in (
        (disagreement["annotators"][0], disagreement["annotations"][0], disagreement["first_spans"]),
        (disagreement["annotators"][1], disagreement["annotations"][1], disagreement["second_spans"]),
    ):
        results = doc_to_results(text, [(s, e, l, f"annotator/{who}") for s, e, l in spans], {"annotator": 1.0}, digest)
        predictions.append({"model_version": f"annotator-{who}-annotation-{annotation_id}", "score": 1.0, "result": results})
    return {"data": {"text": text, "task_key": disagreement["task_key"], "text_sha256": digest}, "predictions": predictions}
