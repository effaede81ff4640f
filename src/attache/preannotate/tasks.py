"""Turn articles into Label Studio tasks whose predictions come from the
pre-annotator, with per-result provenance and scores."""
from __future__ import annotations

import hashlib
import uuid
from typing import Dict, Iterable, Iterator, List, Optional, Tuple

from spacy.language import Language

from ..studio.labeling import FROM_NAME, TO_NAME
from ..hashing import text_sha256

CHUNK_CHARS = 100_000
_URL_NAMESPACE = uuid.NAMESPACE_URL.bytes
# Prior confidence of each source, used as the result score until a
# calibration from `attache evaluate --preannotator` replaces it.
DEFAULT_SCORES = {"rules": 0.9, "model": 0.8, "base": 0.6}


def source_kind(provenance: str) -> str:
    """'rules', 'base' or 'model': the part of a provenance string before '/'."""
    return provenance.split("/", 1)[0]


def chunks(text: str, limit: int = CHUNK_CHARS) -> Iterator[Tuple[int, str]]:
    """Split a long text at paragraph (then line, then space) boundaries into
    pieces of at most ``limit`` characters, with their offsets."""
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        cut = cut + 1 if cut > 0 else limit
        yield start, text[start : start + cut]
        start += cut
    yield start, text[start:]


def predict_spans(nlp: Language, texts: Iterable[str], *, batch_size: int = 32, n_process: int = 1, progress: bool = False) -> Iterator[List[Tuple[int, int, str, str]]]:
    """(start, end, label, provenance) of each text's entities, in characters."""
    pieces: List[Tuple[int, int, str]] = []  # (text index, offset, chunk)
    texts = list(texts)
    for index, text in enumerate(texts):
        for offset, piece in chunks(text):
            pieces.append((index, offset, piece))
    results: List[List[Tuple[int, int, str, str]]] = [[] for _ in texts]
    docs = nlp.pipe((p[2] for p in pieces), batch_size=batch_size, n_process=n_process)
    if progress:
        from tqdm import tqdm

        docs = tqdm(docs, total=len(pieces), desc="preannotate", unit="doc")
    for (index, offset, _), doc in zip(pieces, docs):
        for ent in doc.ents:
            results[index].append((offset + ent.start_char, offset + ent.end_char, ent.label_, ent.id_ or "unknown"))
    return iter(results)


def _result_id(name: str) -> str:
    """The first 10 hex digits of uuid5(NAMESPACE_URL, name), without making
    a UUID object (those digits carry no version bits)."""
    return hashlib.sha1(_URL_NAMESPACE + name.encode("utf8")).hexdigest()[:10]


def doc_to_results(text: str, spans: Iterable[Tuple[int, int, str, str]], scores: Optional[Dict[str, float]] = None, digest: Optional[str] = None) -> List[dict]:
    """Label Studio results for spans; each keeps its provenance ("origin") and score.
    ``digest``: the text's sha256, if the caller has it."""
    scores = scores or DEFAULT_SCORES
    digest = digest or text_sha256(text)
    results = []
    for start, end, label, origin in spans:
        results.append({
            "id": _result_id(f"{start}:{end}:{label}:{digest}"),
            "from_name": FROM_NAME, "to_name": TO_NAME, "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]},
            "score": scores.get(source_kind(origin), 0.5),
            "origin": origin,
        })
    return results


def article_task(article: dict, results: List[dict], model_version: str) -> dict:
    text = article["text"]
    data = {
        "text": text,
        "task_key": article["id"],
        "article_id": article["id"],
        "text_sha256": text_sha256(text),
        "source": article.get("source"),
        "title": article.get("title"),
        "date": article.get("date"),
        "agency": article.get("agency"),
        "near_duplicate_group": article.get("near_duplicate_group"),
    }
    score = round(sum(r["score"] for r in results) / len(results), 4) if results else 1.0
    return {"data": data, "predictions": [{"model_version": model_version, "score": score, "result": results}]}


def preannotate(articles: List[dict], nlp: Language, *, batch_size: int = 32, n_process: int = 1, scores: Optional[Dict[str, float]] = None, progress: bool = False) -> List[dict]:
    """One task per article, predictions checked to match the text."""
    version = f"{nlp.meta.get('name', 'preannotator')}-{nlp.meta.get('version', '0')}"
    tasks = []
    for article, spans in zip(articles, predict_spans(nlp, (a["text"] for a in articles), batch_size=batch_size, n_process=n_process, progress=progress)):
        results = doc_to_results(article["text"], spans, scores)
        for r in results:
            value = r["value"]
            assert article["text"][value["start"] : value["end"]] == value["text"]
        tasks.append(article_task(article, results, version))
    return tasks
