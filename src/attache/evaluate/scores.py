"""Entity-level scores from character spans: per label, micro and macro, and
an error breakdown that tells label errors from boundary errors."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Sequence, Tuple

SpanT = Tuple[int, int, str]  # start, end, label

MISSED = "(missed)"
SPURIOUS = "(spurious)"


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        return {"p": round(self.precision, 4), "r": round(self.recall, 4), "f": round(self.f1, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn, "support": self.tp + self.fn}


@dataclass
class Scores:
    labels: List[str]
    per_label: Dict[str, PRF] = field(default_factory=dict)
    micro: PRF = field(default_factory=PRF)
    # errors: kind -> count; kinds: label (same span, other label), boundary
    # (overlap, same label), label+boundary, missed, spurious
    errors: Counter = field(default_factory=Counter)
    # confusion[gold][pred]: exact-span label confusions plus missed/spurious
    confusion: Dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    documents: int = 0

    @property
    def macro_f1(self) -> float:
        present = [self.per_label[l] for l in self.labels if self.per_label[l].tp + self.per_label[l].fn > 0]
        return sum(p.f1 for p in present) / len(present) if present else 0.0

    def to_dict(self) -> dict:
        return {
            "documents": self.documents,
            "micro": self.micro.to_dict(),
            "macro_f": round(self.macro_f1, 4),
            "per_label": {label: self.per_label[label].to_dict() for label in self.labels},
            "errors": dict(self.errors),
            "confusion": {gold: dict(row) for gold, row in self.confusion.items()},
        }


def score_spans(gold_docs: Iterable[Sequence[SpanT]], pred_docs: Iterable[Sequence[SpanT]], labels: Sequence[str]) -> Scores:
    """Exact-match entity scores over paired documents (gold, predicted)."""
    scores = Scores(list(labels), {label: PRF() for label in labels})
    for gold, pred in zip(gold_docs, pred_docs):
        scores.documents += 1
        gold_set, pred_set = set(map(tuple, gold)), set(map(tuple, pred))
        for span in gold_set & pred_set:
            scores.per_label.setdefault(span[2], PRF()).tp += 1
            scores.confusion[span[2]][span[2]] += 1
        for span in pred_set - gold_set:
            scores.per_label.setdefault(span[2], PRF()).fp += 1
        for span in gold_set - pred_set:
            scores.per_label.setdefault(span[2], PRF()).fn += 1
        _classify_errors(sorted(gold_set - pred_set), sorted(pred_set - gold_set), scores)
    for prf in scores.per_label.values():
        scores.micro.tp += prf.tp
        scores.micro.fp += prf.fp
        scores.micro.fn += prf.fn
    return scores


def _overlap(a: SpanT, b: SpanT) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _classify_errors(missed: List[SpanT], spurious: List[SpanT], scores: Scores) -> None:
    used = set()
    for gold in missed:
        match = None
        for index, pred in enumerate(spurious):
            if index in used or not _overlap(gold, pred):
                continue
            match = index
            if (pred[0], pred[1]) == (gold[0], gold[1]):
                break
        if match is None:
            scores.errors["missed"] += 1
            scores.confusion[gold[2]][MISSED] += 1
            continue
        used.add(match)
        pred = spurious[match]
        same_span = (pred[0], pred[1]) == (gold[0], gold[1])
        if same_span:
            scores.errors["label"] += 1
            scores.confusion[gold[2]][pred[2]] += 1
        elif pred[2] == gold[2]:
            scores.errors["boundary"] += 1
        else:
            scores.errors["label+boundary"] += 1
    for index, pred in enumerate(spurious):
        if index not in used:
            scores.errors["spurious"] += 1
            scores.confusion[SPURIOUS][pred[2]] += 1


def format_table(scores: Scores, title: str = "") -> str:
    lines = [title] if title else []
    lines.append(f"{'label':<10} {'P':>6} {'R':>6} {'F':>6} {'support':>8}")
    for label in scores.labels:
        prf = scores.per_label[label]
        lines.append(f"{label:<10} {prf.precision:>6.3f} {prf.recall:>6.3f} {prf.f1:>6.3f} {prf.tp + prf.fn:>8}")
    m = scores.micro
    lines.append(f"{'micro':<10} {m.precision:>6.3f} {m.recall:>6.3f} {m.f1:>6.3f} {m.tp + m.fn:>8}")
    lines.append(f"{'macro F':<10} {'':>6} {'':>6} {scores.macro_f1:>6.3f}")
    return "\n".join(lines)
