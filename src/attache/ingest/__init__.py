"""`attache ingest`: raw article files -> a normalised, deduplicated corpus dataset."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from tqdm import tqdm

from ..errors import AttacheError
from ..hashing import text_sha256
from ..outputs import atomic_dir, write_jsonl
from .dedup import near_duplicate_groups
from .metadata import extract_meta, is_date_header
from .normalize import normalize
from .readers import Problem, RawDoc, find_files, iter_raw
from .settings import IngestSettings, load_ingest_settings

__all__ = ["ingest", "ingest_one", "IngestResult", "IngestSettings", "load_ingest_settings"]

ARTICLES_FILE = "articles.jsonl"
DATASET_DIR = "dataset"
REPORT_FILE = "report.json"


@dataclass
class IngestResult:
    output_dir: Optional[Path]
    articles: List[dict]
    problems: List[Problem] = field(default_factory=list)
    exact_duplicates: Dict[str, List[str]] = field(default_factory=dict)  # id -> extra sources
    near_duplicate_groups: List[List[str]] = field(default_factory=list)
    near_duplicate_pairs: List[tuple] = field(default_factory=list)
    files_read: int = 0
    removed_lines: int = 0

    def report(self) -> dict:
        source = {article["id"]: article["source"] for article in self.articles}
        return {
            "files_read": self.files_read,
            "articles": len(self.articles),
            "problems": [p.to_dict() for p in self.problems],
            "boilerplate_lines_removed": self.removed_lines,
            "exact_duplicates": [
                {"id": key, "kept": source.get(key, "?"), "also_in": sources}
                for key, sources in self.exact_duplicates.items()
            ],
            "near_duplicate_groups": [
                [{"id": key, "source": source.get(key, "?")} for key in group]
                for group in self.near_duplicate_groups
            ],
            "near_duplicate_pairs": [
                {"a": a, "b": b, "jaccard": sim} for a, b, sim in self.near_duplicate_pairs
            ],
        }


def ingest_one(raw: RawDoc, settings: IngestSettings) -> dict | Problem:
    """Normalise one raw document into an article record, or say why not."""
    if len(raw.text) > settings.max_chars:
        return Problem(raw.source, "W107", f"has {len(raw.text):,} characters, over max_chars={settings.max_chars:,}; split it or raise max_chars", raw.line)
    normalized = normalize(raw.text, settings, markdown=raw.markdown, is_header=is_date_header)
    text = normalized.text
    if not text.strip():
        return Problem(raw.source, "W108", "has no article text after normalisation (empty, or only boilerplate)", raw.line)
    meta = extract_meta(text, normalized.header_lines, normalized.removed_lines)
    extra = dict(raw.extra)
    for key in ("date", "title", "agency"):
        if getattr(meta, key) is None and isinstance(extra.get(key), str):
            setattr(meta, key, extra.pop(key))
    digest = text_sha256(text)
    return {
        "id": digest[:16],
        "text": text,
        "text_sha256": digest,
        "source": raw.source,
        "source_line": raw.line,
        "also_in": [],
        **meta.to_dict(),
        "near_duplicate_group": None,
        "boilerplate_removed": len(normalized.removed_lines),
        "wrap_width": normalized.wrap_width,
        "offset_map": normalized.textmap.to_json(),
        "extra": json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else "",
    }


def ingest(
    input_dir: Path,
    output_dir: Optional[Path],
    settings: Optional[IngestSettings] = None,
    *,
    progress: bool = False,
) -> IngestResult:
    """Read every article under ``input_dir``; write the corpus to ``output_dir``.

    Bad files and lines are reported in ``result.problems`` and the rest goes
    through. Exact duplicates (same normalised text) become one article that
    lists every source; near-duplicates stay separate and share a group id.
    Output is written to a temp folder and renamed into place at the end.
    """
    settings = settings or load_ingest_settings()
    input_dir = Path(input_dir)
    if not input_dir.is_dir():
        raise AttacheError("E023", f"Input folder not found: {input_dir}", "Pass the folder holding the raw .txt/.md/.jsonl articles.")
    paths = find_files(input_dir, settings)
    if not paths:
        raise AttacheError("E024", f"No {'/'.join(settings.extensions)} files under {input_dir}", "Check the folder, or the extensions in configs/ingest.yml.")
    result = IngestResult(output_dir, [], files_read=len(paths))
    by_id: Dict[str, dict] = {}
    for item in tqdm(iter_raw(paths, input_dir, settings), desc="ingest", unit="doc", disable=not progress):
        if isinstance(item, Problem):
            result.problems.append(item)
            continue
        record = ingest_one(item, settings)
        if isinstance(record, Problem):
            result.problems.append(record)
            continue
        result.removed_lines += record["boilerplate_removed"]
        where = record["source"] + (f":{record['source_line']}" if record["source_line"] else "")
        if record["id"] in by_id:
            by_id[record["id"]]["also_in"].append(where)
            result.exact_duplicates.setdefault(record["id"], []).append(where)
            continue
        by_id[record["id"]] = record
        result.articles.append(record)
    ids = [a["id"] for a in result.articles]
    groups, pairs = near_duplicate_groups(ids, [a["text"] for a in result.articles], settings.dedup)
    for group in groups:
        for key in group:
            by_id[key]["near_duplicate_group"] = group[0]
    result.near_duplicate_groups, result.near_duplicate_pairs = groups, pairs
    if output_dir is not None:
        write_corpus(result, Path(output_dir), progress=progress)
    return result


def write_corpus(result: IngestResult, output_dir: Path, progress: bool = False) -> None:
    import datasets

    if not progress:
        datasets.disable_progress_bars()
    with atomic_dir(output_dir) as tmp:
        with (tmp / ARTICLES_FILE).open("w", encoding="utf8") as handle:
            write_jsonl(handle, result.articles)
        columns = [{k: v for k, v in a.items() if k != "offset_map"} for a in result.articles]
        datasets.Dataset.from_list(columns).save_to_disk(str(tmp / DATASET_DIR))
        (tmp / REPORT_FILE).write_text(json.dumps(result.report(), indent=2, ensure_ascii=False) + "\n", encoding="utf8")


def read_articles(corpus_dir: Path) -> List[dict]:
    """The articles written by ``ingest`` (from its JSONL file)."""
    path = Path(corpus_dir) / ARTICLES_FILE
    if not path.exists():
        raise AttacheError("E025", f"No ingested corpus at {corpus_dir} ({ARTICLES_FILE} missing)", "Run `attache ingest` (or `weasel run ingest`) first.")
    with path.open(encoding="utf8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
