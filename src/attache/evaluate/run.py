"""`attache evaluate`: score a pipeline (and the pre-annotator) on a gold
corpus and write JSON, PNG plots and an offline HTML report."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from ..errors import AttacheError
from .scores import Scores, SpanT, score_spans


@dataclass
class Evaluation:
    name: str
    scores: Scores
    predictions: List[List[SpanT]]
    seconds: float
    words: int

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict:
        return {"name": self.name, **self.scores.to_dict(), "words_per_second": round(self.words_per_second, 1)}


def read_gold(path: Path, nlp: Language) -> List[Doc]:
    path = Path(path)
    if not path.exists():
        raise AttacheError("E091", f"Gold corpus not found: {path}", "Run the corpus step first (`weasel run corpus`).")
    docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    index = path.parent / "reports" / "documents.jsonl"  # written by `attache corpus`
    if index.exists():
        import json

        split = path.stem
        records = [json.loads(line) for line in index.read_text(encoding="utf8").splitlines() if line.strip()]
        keys = {r["position"]: r for r in records if r.get("split") == split}
        for position, doc in enumerate(docs):
            doc.user_data.update(keys.get(position, {}))
    return docs


def gold_spans(doc: Doc) -> List[SpanT]:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def predict(nlp: Language, texts: Sequence[str], name: str, gold: Sequence[Sequence[SpanT]], labels: Sequence[str], batch_size: int = 16) -> Evaluation:
    began = time.perf_counter()
    predictions = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts, batch_size=batch_size)]
    seconds = time.perf_counter() - began
    words = sum(len(t.split()) for t in texts)
    return Evaluation(name, score_spans(gold, predictions, labels), predictions, seconds, words)


def evaluate(
    model: Language,
    gold_docs: Sequence[Doc],
    labels: Sequence[str],
    *,
    model_name: str = "model",
    preannotator: Optional[Language] = None,
) -> Tuple[Evaluation, Optional[Evaluation]]:
    """Score ``model`` (and optionally the pre-annotator) on the same documents."""
    texts = [doc.text for doc in gold_docs]
    gold = [gold_spans(doc) for doc in gold_docs]
    main = predict(model, texts, model_name, gold, labels)
    pre = predict(preannotator, texts, "preannotator", gold, labels) if preannotator is not None else None
    return main, pre
