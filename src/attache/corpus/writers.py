"""Write the converted corpus for HF datasets and CoNLL-2003, and JSON
arrays, one document at a time (memory does not grow with the corpus)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy

from ..spans import blank_word
from .align import IOB_B, IOB_I
from .splits import SPLITS


def bio_names(labels: Sequence[str]) -> List[str]:
    return ["O"] + [f"{prefix}-{label}" for label in labels for prefix in ("B", "I")]


def token_rows(columns: numpy.ndarray, strings, label_of: Dict[int, str]) -> Tuple[List[str], List[str]]:
    """(tokens, BIO tags) of a document's ORTH/ENT_IOB/ENT_TYPE columns,
    without whitespace (or invisible) tokens; tokens of quarantined spans (missing) are O."""
    words, tags = [], []
    for orth, iob, kind in columns.tolist():
        word = strings[orth]
        if blank_word(word):
            continue
        words.append(word)
        tags.append(f"B-{label_of[kind]}" if iob == IOB_B else f"I-{label_of[kind]}" if iob == IOB_I else "O")
    return words, tags


class JsonArrayFile:
    """A JSON array written one element at a time."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.count = 0

    def __enter__(self) -> "JsonArrayFile":
        self._handle = self.path.open("w", encoding="utf8")
        self._handle.write("[")
        return self

    def add(self, item) -> None:
        self.add_json(json.dumps(item, ensure_ascii=False))

    def add_json(self, text: str) -> None:
        """Add an element already serialised as JSON."""
        self._handle.write(("," if self.count else "") + "\n" + text)
        self.count += 1

    def __exit__(self, *exc) -> None:
        self._handle.write("\n]\n" if self.count else "]\n")
        self._handle.close()


class TokenRows:
    """CoNLL-2003 text (conll/<split>.conll) and an HF ``datasets`` folder
    (hf/, tokens + ner_tags with a ClassLabel feature), fed one document at a
    time. HF rows go to JSON Lines first and are read by ``datasets`` into
    Arrow without holding the corpus in memory."""

    def __init__(self, out: Path, work: Path, strings, label_of: Dict[int, str], formats: Sequence[str]) -> None:
        self.out, self.work, self.strings, self.label_of = out, work, strings, label_of
        self.names = bio_names(list(label_of.values()))
        self.tag_ids = {name: i for i, name in enumerate(self.names)}
        self.conll = self.hf = None
        if "conll" in formats:
            (out / "conll").mkdir()
            self.conll = {split: (out / "conll" / f"{split}.conll").open("w", encoding="utf8") for split in SPLITS}
            for handle in self.conll.values():
                handle.write("-DOCSTART- -X- -X- O\n\n")
        if "hf" in formats:
            self.hf = {split: (work / f"hf-{split}.jsonl").open("w", encoding="utf8") for split in SPLITS}
            self.hf_rows = {split: 0 for split in SPLITS}

    @property
    def active(self) -> bool:
        return self.conll is not None or self.hf is not None

    def add(self, split: str, columns: numpy.ndarray, record: bytes) -> None:
        if not self.active:
            return
        words, tags = token_rows(columns, self.strings, self.label_of)
        if self.conll is not None:
            self.conll[split].write("".join(f"{word} -X- _ {tag}\n" for word, tag in zip(words, tags)) + "\n")
        if self.hf is not None:
            key = json.loads(record)["task_key"]
            self.hf[split].write(json.dumps({"id": key, "tokens": words, "ner_tags": [self.tag_ids[t] for t in tags]}, ensure_ascii=False) + "\n")
            self.hf_rows[split] += 1

    def close(self) -> None:
        for handle in (self.conll or {}).values():
            handle.close()
        if self.hf is None:
            return
        for handle in self.hf.values():
            handle.close()
        import datasets

        datasets.disable_progress_bars()
        features = datasets.Features({
            "id": datasets.Value("string"),
            "tokens": datasets.Sequence(datasets.Value("string")),
            "ner_tags": datasets.Sequence(datasets.ClassLabel(names=self.names)),
        })
        splits = {}
        for split in SPLITS:
            if self.hf_rows[split]:  # datasets cannot store an empty split; the report shows it as 0
                splits[split] = datasets.Dataset.from_json(str(self.work / f"hf-{split}.jsonl"), features=features,
                                                          cache_dir=str(self.work / "hf-cache"))
        datasets.DatasetDict(splits).save_to_disk(str(self.out / "hf"))
