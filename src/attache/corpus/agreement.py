"""Inter-annotator agreement on doubly annotated tasks, and the disagreements."""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Dict, List, Sequence, Tuple

from spacy.tokens import Doc

from ..evaluate.scores import PRF
from .tasks import Annotation, Task

SpanT = Tuple[int, int, str]


def _spans(annotation: Annotation) -> List[SpanT]:
    return [(r.start, r.end, r.label) for r in annotation.results]


def _overlap_match(a: SpanT, others: Sequence[SpanT]) -> bool:
    return any(a[2] == b[2] and a[0] < b[1] and b[0] < a[1] for b in others)


def token_tags(doc: Doc, spans: Sequence[SpanT]) -> List[str]:
    """One tag per token: the label of the span whose characters it is in, or O."""
    tags = ["O"] * len(doc)
    for start, end, label in spans:
        region = doc.char_span(start, end, alignment_mode="expand")
        if region is not None:
            for i in range(region.start, region.end):
                tags[i] = label
    return tags


class Agreement:
    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = list(labels)
        self.exact: Dict[str, PRF] = defaultdict(PRF)
        self.overlap: Dict[str, PRF] = defaultdict(PRF)
        self.tags_a: List[str] = []
        self.tags_b: List[str] = []
        self.tasks = 0
        self.pairs = 0
        self.disagreements: List[dict] = []

    def add(self, task: Task, doc: Doc) -> bool:
        """Count a task's agreement; True if its annotators disagree."""
        annotations = [a for a in task.annotations]
        if len({a.completed_by for a in annotations}) < 2:
            return False
        self.tasks += 1
        before = len(self.disagreements)
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
            self.tags_a += token_tags(doc, list(sa))
            self.tags_b += token_tags(doc, list(sb))
            if sa != sb:
                self.disagreements.append({
                    "task_id": task.id, "task_key": task.key, "file": task.file,
                    "annotations": [a.id, b.id], "annotators": [a.completed_by, b.completed_by],
                    "only_first": [list(s) + [task.text[s[0]:s[1]]] for s in sorted(sa - sb)],
                    "only_second": [list(s) + [task.text[s[0]:s[1]]] for s in sorted(sb - sa)],
                    "first_spans": sorted(sa), "second_spans": sorted(sb),
                })
        return len(self.disagreements) > before

    def kappa(self) -> float:
        from sklearn.metrics import cohen_kappa_score

        if not self.tags_a:
            return float("nan")
        return float(cohen_kappa_score(self.tags_a, self.tags_b))

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
            "token_cohen_kappa": round(self.kappa(), 4) if self.tags_a else None,
            "disagreements": len(self.disagreements),
        }

    def review_tasks(self, tasks_text: Dict[str, str]) -> List[dict]:
        """The disagreements as Label Studio review tasks, for
        `attache studio push --review disagreement`: each annotator's version
        is a prediction, so the reviewer sees both and picks."""
        from ..preannotate.tasks import doc_to_results
        from ..hashing import text_sha256

        review = []
        for item in self.disagreements:
            text = tasks_text[item["task_key"]]
            predictions = []
            for who, annotation_id, spans in (
                (item["annotators"][0], item["annotations"][0], item["first_spans"]),
                (item["annotators"][1], item["annotations"][1], item["second_spans"]),
            ):
                results = doc_to_results(text, [(s, e, l, f"annotator/{who}") for s, e, l in spans], {"annotator": 1.0})
                predictions.append({"model_version": f"annotator-{who}-annotation-{annotation_id}", "score": 1.0, "result": results})
            review.append({"data": {"text": text, "task_key": item["task_key"], "text_sha256": text_sha256(text)}, "predictions": predictions})
        return review
