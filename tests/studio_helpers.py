"""Building blocks for the Label Studio tests: tasks and annotations as an
annotator would make them through the API."""
from __future__ import annotations

import uuid
from typing import List

from attache.markup import parse
from attache.hashing import text_sha256

ARTICLES = [
    "[[Kazakh|NORP]] [[Foreign Minister|ROLE]] [[Murat Nurtleu|PERSON]] met [[OSCE|INTL_ORG]] [[Secretary-General|ROLE]] [[Feridun Sinirlioğlu|PERSON]] in [[Vienna|GPE]] on [[Monday|DATE]].",
    "[[Brazil|GPE]] and [[ASEAN|INTL_ORG]] trade reached [[$37 billion|MONEY]] [[last year|DATE]], the [[Itamaraty|GOV_ORG]] said 🇧🇷.",
    "The [[Helsinki Final Act|AGREEMENT]] was signed in [[1975|DATE]]; the [[Astana International Forum|EVENT]] opened in [[Central Asia|LOC]].",
    "[[Reuters|ORG]] reported that the [[UN Security Council|INTL_ORG]] met in [[New York|GPE]].",
]


def result(start: int, end: int, text: str, label: str, **extra) -> dict:
    return {
        "id": uuid.uuid4().hex[:10], "from_name": "label", "to_name": "text", "type": "labels",
        "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}, **extra,
    }


def make_tasks(n: int, *, with_predictions: bool = True, model_version: str = "test-pre-1") -> List[dict]:
    tasks = []
    for i in range(n):
        text, spans = parse(ARTICLES[i % len(ARTICLES)])
        text = f"{text} (item {i})"
        task = {"data": {"text": text, "task_key": f"art{i:04d}", "text_sha256": text_sha256(text)}}
        if with_predictions:
            task["predictions"] = [{
                "model_version": model_version, "score": 0.8,
                "result": [result(s.start, s.end, text, s.label, score=0.8, origin="rules:test") for s in spans],
            }]
        tasks.append(task)
    return tasks


def gold_results(text_marked: str, suffix: str) -> List[dict]:
    text, spans = parse(text_marked)
    text = f"{text}{suffix}"
    return [result(s.start, s.end, text, s.label) for s in spans]
