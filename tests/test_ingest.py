import json

import pytest

from attache.errors import AttacheError
from attache.ingest import ingest, read_articles

ARTICLE = "date 2024-04-11\nKazakhstan, Finland hold consultations\n\nASTANA, Kazakhstan, April 11 (Kazinform) - Deputy Minister Vassilenko met the Ambassador of Finland.\n\nPhoto: MFA RK\n© 2024 Kazinform. All rights reserved.\n"


@pytest.fixture
def raw_dir(tmp_path):
    folder = tmp_path / "raw"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE, encoding="utf8")
    (folder / "sub" / "a-copy.txt").write_text(ARTICLE.replace("\n", "\r\n"), encoding="utf8")
    (folder / "b.md").write_text("# Talks in Geneva\n\n*By Staff Reporter*\n\nGENEVA (Trend News Agency) - The OSCE met.\n", encoding="utf8")
    (folder / "feed.jsonl").write_text(
        json.dumps({"text": "The UN General Assembly adopted a resolution.", "url": "https://example.org/1", "date": "2024-05-01"}) + "\n"
        "{broken json\n"
        + json.dumps({"body": "no text field"}) + "\n"
        + json.dumps({"text": "   "}) + "\n",
        encoding="utf8",
    )
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (folder / "latin1.txt").write_bytes("Caf\xe9 diplomacy in Paris.".encode("latin-1"))
    (folder / "empty.txt").write_text("Photo: nobody\n\n", encoding="utf8")
    (folder / "notes.csv").write_text("ignored", encoding="utf8")
    return folder


def test_ingest_reports_bad_input_and_keeps_the_rest(raw_dir, ingest_settings):
    result = ingest(raw_dir, None, ingest_settings)
    problems = {(p.source, p.line, p.code) for p in result.problems}
    assert problems == {
        ("feed.jsonl", 2, "W104"),
        ("feed.jsonl", 3, "W106"),
        ("feed.jsonl", 4, "W108"),
        ("image.txt", None, "W102"),
        ("latin1.txt", 1, "W103"),
        ("empty.txt", None, "W108"),
    }
    assert sorted(a["source"] for a in result.articles) == ["a.txt", "b.md", "feed.jsonl"]


def test_ingest_merges_exact_duplicates_and_records_every_source(raw_dir, ingest_settings):
    result = ingest(raw_dir, None, ingest_settings)
    article = next(a for a in result.articles if a["source"] == "a.txt")
    assert article["also_in"] == ["sub/a-copy.txt"]
    assert result.report()["exact_duplicates"] == [{"id": article["id"], "kept": "a.txt", "also_in": ["sub/a-copy.txt"]}]


def test_ingest_parses_metadata_and_removes_boilerplate(raw_dir, ingest_settings):
    by_source = {a["source"]: a for a in ingest(raw_dir, None, ingest_settings).articles}
    a = by_source["a.txt"]
    assert (a["date"], a["title"], a["dateline_place"], a["agency"]) == ("2024-04-11", "Kazakhstan, Finland hold consultations", "ASTANA", "Kazinform")
    assert "Photo" not in a["text"] and "©" not in a["text"] and "date 2024" not in a["text"]
    assert a["boilerplate_removed"] == 2
    assert by_source["b.md"]["text"] == "Talks in Geneva\n\nGENEVA (Trend News Agency) - The OSCE met."
    feed = by_source["feed.jsonl"]
    assert feed["source_line"] == 1 and feed["date"] == "2024-05-01"
    assert json.loads(feed["extra"]) == {"url": "https://example.org/1"}


def test_ingest_ids_are_stable_content_hashes(raw_dir, ingest_settings, tmp_path):
    first = {a["source"]: a["id"] for a in ingest(raw_dir, None, ingest_settings).articles}
    (raw_dir / "zzz-new.txt").write_text("A new article about the SCO summit.", encoding="utf8")
    second = {a["source"]: a["id"] for a in ingest(raw_dir, None, ingest_settings).articles}
    assert all(second[source] == key for source, key in first.items())


def test_ingest_writes_jsonl_dataset_and_report(raw_dir, ingest_settings, tmp_path):
    import datasets

    out = tmp_path / "ingested"
    result = ingest(raw_dir, out, ingest_settings)
    assert [a["id"] for a in read_articles(out)] == [a["id"] for a in result.articles]
    dataset = datasets.load_from_disk(str(out / "dataset"))
    assert dataset.num_rows == len(result.articles)
    assert {"id", "text", "source", "date", "agency", "near_duplicate_group"} <= set(dataset.column_names)
    report = json.loads((out / "report.json").read_text())
    assert len(report["problems"]) == len(result.problems)


def test_ingest_failure_leaves_previous_output_untouched(raw_dir, ingest_settings, tmp_path, monkeypatch):
    out = tmp_path / "ingested"
    ingest(raw_dir, out, ingest_settings)
    before = (out / "articles.jsonl").read_bytes()
    (raw_dir / "zzz-new.txt").write_text("A new article about the SCO summit.", encoding="utf8")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("attache.ingest.write_jsonl", broken)
    with pytest.raises(OSError):
        ingest(raw_dir, out, ingest_settings)
    assert (out / "articles.jsonl").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_ingest_missing_folder_is_a_coded_error(tmp_path, ingest_settings):
    with pytest.raises(AttacheError, match="E023"):
        ingest(tmp_path / "nope", None, ingest_settings)
