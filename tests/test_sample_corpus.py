"""The shipped sample corpus and its gold annotations are valid and complete."""
import re
from collections import Counter

import pytest

from attache.corpus.markup import markup_files, round_folders
from attache.lsjson import iter_export
from attache.markup import parse
from attache.spans import Span, validate_spans

from conftest import REPO

MARKUP_DIRS = round_folders(REPO / "annotation")
MARKUP = [p for folder in MARKUP_DIRS for p in markup_files(folder)]
EXPORTS = sorted(p for p in (REPO / "annotation" / "exports").glob("*.json") if not p.name.endswith(".meta.json"))


@pytest.fixture(scope="module")
def tasks():
    return [task for path in EXPORTS for _, task in iter_export(path)]


def test_sample_raw_articles_are_the_markup_without_spans():
    assert len(MARKUP) >= 150
    for path in MARKUP:
        text, _ = parse(path.read_text(encoding="utf8"), source=str(path))
        assert (REPO / "corpus" / "raw" / path.name).read_text(encoding="utf8") == text, path.name


def test_sample_articles_have_120_to_700_words():
    for path in MARKUP:
        words = len(parse(path.read_text(encoding="utf8"))[0].split())
        assert 120 <= words <= 700, (path.name, words)


def test_sample_gold_is_valid_in_every_annotation_of_every_export(tasks, scheme):
    problems = []
    for task in tasks:
        text = task["data"]["text"]
        for annotation in task["annotations"]:
            spans = []
            for r in annotation["result"]:
                value = r["value"]
                if text[value["start"]:value["end"]] != value["text"]:
                    problems.append(f"task {task['id']} result {r['id']}: offsets do not match its text")
                spans.append(Span(value["start"], value["end"], value["labels"][0]))
            problems += [f"task {task['id']} annotation {annotation['id']}: {p}" for p in validate_spans(text, spans, scheme.names)]
    assert problems == []


def doubly_annotated(tasks):
    return [t for t in tasks if len({a["completed_by"] for a in t["annotations"] if not a["was_cancelled"]}) > 1]


def test_sample_exports_look_like_real_annotation_rounds():
    rounds = {path.name: [task for _, task in iter_export(path)] for path in EXPORTS}
    assert len(rounds) == len(MARKUP_DIRS) and sum(map(len, rounds.values())) >= 200  # one snapshot per annotation round
    for name, tasks in rounds.items():
        submitted = [a for t in tasks for a in t["annotations"] if not a["was_cancelled"]]
        assert all(t["predictions"] and t["predictions"][0]["model_version"] for t in tasks), name
        assert len(submitted) == len(tasks) + len(doubly_annotated(tasks)), name  # every task has its gold, some a second annotation
    first = rounds[EXPORTS[0].name]
    doubly = doubly_annotated(first)
    cancelled = [a for t in first for a in t["annotations"] if a["was_cancelled"]]
    assert 0.15 <= len(doubly) / len(first) <= 0.3
    assert cancelled and all(a["result"] == [] for a in cancelled)
    disagreeing = [t for t in doubly if len({frozenset((r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in a["result"]) for a in t["annotations"] if not a["was_cancelled"]}) > 1]
    assert disagreeing  # genuine disagreements


def test_sample_gold_has_150_spans_of_every_label_and_variety(tasks, scheme):
    counts, surfaces = Counter(), {}
    for task in tasks:
        gold = next(a for a in task["annotations"] if a["ground_truth"] or len(task["annotations"]) == 1 or a["completed_by"] == min(x["completed_by"] for x in task["annotations"]))
        for r in gold["result"]:
            label = r["value"]["labels"][0]
            counts[label] += 1
            surfaces.setdefault(label, set()).add(re.sub(r"\s+", " ", r["value"]["text"]))
    assert {label: counts[label] for label in scheme.names if counts[label] < 150} == {}
    assert len(surfaces["GPE"]) >= 100 and len(surfaces["INTL_ORG"]) >= 60


def test_sample_has_the_formats_of_scraped_news():
    texts = {p.name: (REPO / "corpus" / "raw" / p.name).read_text(encoding="utf8") for p in MARKUP}
    assert sum(t.startswith("date ") for t in texts.values()) >= 20
    assert sum(bool(re.search(r"^[A-Z]{3,}[A-Z ,.]*(,|\s\()", t, re.M)) for t in texts.values()) >= 40  # datelines
    assert sum(p.endswith(".md") for p in texts) >= 10
    assert sum(("“" in t or "’" in t) for t in texts.values()) >= 20
    assert sum(bool(re.search(r"^(Photo|©|Copyright|Back to top|Share this)", t, re.M)) for t in texts.values()) >= 30
    wrapped = [n for n, t in texts.items() if sum(55 <= len(l) <= 70 for l in t.splitlines()) >= 8]
    assert len(wrapped) >= 20


def test_the_sample_corpus_passes_spacy_debug_data_without_misaligned_or_whitespace_spans(tmp_path, scheme):
    import subprocess
    import sys

    from attache.corpus import convert

    converted = convert(EXPORTS, tmp_path / "corpus", scheme.names, formats=("spacy",))
    assert converted.report["spans"]["quarantined"] == 0
    out = subprocess.run([sys.executable, "-m", "spacy", "debug", "data", str(REPO / "configs" / "ner_smoke.cfg"),
                          "--paths.train", str(tmp_path / "corpus" / "train.spacy"), "--paths.dev", str(tmp_path / "corpus" / "dev.spacy")],
                         capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Corpus is loadable" in out.stdout
    assert "No entities consisting of or starting/ending with whitespace" in out.stdout
    assert "misaligned" not in out.stdout and "✘" not in out.stdout, out.stdout
