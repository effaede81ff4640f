import json

import pytest
import spacy
from spacy.tokens import Span

from attache.errors import AttacheError
from attache.preannotate import build_preannotator, preannotate
from attache.preannotate.components import CollectEnts, MergeEnts
from attache.preannotate.tasks import chunks, source_kind
from attache.studio.labeling import check_predictions, labeling_config
from attache.tokenizer import make_nlp

from conftest import REPO

CONFIG = REPO / "configs" / "preannotator.cfg"


@pytest.fixture(scope="module")
def pre():
    return build_preannotator(CONFIG)


def spans(doc, key):
    return [(s.text, s.label_) for s in doc.spans[key]]


def test_preannotate_merge_earlier_groups_win_overlaps_longer_spans_win_within():
    nlp = make_nlp()
    doc = nlp.make_doc("the UN Security Council met in New York")
    doc.spans["rules"] = [Span(doc, 1, 4, "INTL_ORG", span_id="rules/x"), Span(doc, 1, 2, "INTL_ORG", span_id="rules/y")]
    doc.spans["base"] = [Span(doc, 0, 4, "ORG", span_id="base/m"), Span(doc, 6, 8, "GPE", span_id="base/m")]
    doc = MergeEnts("merge", ["rules", "base"])(doc)
    assert [(e.text, e.label_, e.id_) for e in doc.ents] == [("UN Security Council", "INTL_ORG", "rules/x"), ("New York", "GPE", "base/m")]
    doc = MergeEnts("merge", ["base", "rules"])(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("the UN Security Council", "ORG"), ("New York", "GPE")]


def test_preannotate_collect_maps_labels_drops_unmapped_strips_the_and_splits_titles():
    nlp = make_nlp()
    collect = CollectEnts(nlp, "c", "base", "base/test-1", {"ORG": "ORG", "PERSON": "PERSON", "LAW": "AGREEMENT"}, True, True)
    collect.initialize(nlp=nlp, titles=["President", "Deputy Minister", "Minister"])
    doc = nlp.make_doc("the OSCE and Deputy Minister Roman Vassilenko cited the Helsinki Final Act 's terms , 50 %")
    doc.ents = [Span(doc, 0, 2, "ORG"), Span(doc, 3, 7, "PERSON"), Span(doc, 8, 13, "LAW"), Span(doc, 15, 17, "PERCENT")]
    collect(doc)
    assert doc.ents == ()
    assert [(s.text, s.label_, s.id_) for s in doc.spans["base"]] == [
        ("OSCE", "ORG", "base/test-1#ORG"),
        ("Deputy Minister", "ROLE", "base/test-1#title-split"),
        ("Roman Vassilenko", "PERSON", "base/test-1#PERSON"),
        ("Helsinki Final Act", "AGREEMENT", "base/test-1#LAW"),
    ]


def test_preannotate_pipeline_predicts_scheme_labels_with_provenance(pre, scheme):
    doc = pre("Kazakh Foreign Minister Murat Nurtleu met OSCE Secretary-General Feridun Sinirlioğlu in VIENNA on Monday; trade reached $3 billion.")
    found = {(e.text, e.label_) for e in doc.ents}
    assert {("Kazakh", "NORP"), ("Foreign Minister", "ROLE"), ("OSCE", "INTL_ORG"), ("Secretary-General", "ROLE"), ("VIENNA", "GPE"), ("Monday", "DATE"), ("$3 billion", "MONEY")} <= found
    assert {e.label_ for e in doc.ents} <= set(scheme.names)
    kinds = {source_kind(e.id_) for e in doc.ents}
    assert kinds <= {"rules", "base"} and "rules" in kinds and "base" in kinds
    assert next(e for e in doc.ents if e.text == "OSCE").id_.startswith("rules/intl_orgs:")


def test_preannotate_saved_pipeline_loads_with_plain_spacy(pre, tmp_path):
    pre.to_disk(tmp_path / "pre")
    loaded = spacy.load(tmp_path / "pre")
    text = "The UN Security Council met in New York on Tuesday."
    assert [(e.text, e.label_, e.id_) for e in loaded(text).ents] == [(e.text, e.label_, e.id_) for e in pre(text).ents]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n ",
        "👩‍💻 🇰🇿 Astana hosted the OSCE 😀 summit.",
        "Astana\u200dhosted\u00a0the\u00a0OSCE summit on\r\nMonday.\r\n",
        "Zero\u200bwidth and NBSP\u00a0Kazakhstan, e\u0301 combining; Türkiye and Côte d’Ivoire.",
        "Kazakhstan and Finland. " * 4300,  # ~103,000 characters: processed in chunks
    ],
)
def test_preannotate_odd_input_never_gives_offsets_that_miss_the_text(pre, scheme, text):
    article = {"id": "a1", "text": text, "source": "x.txt"}
    [task] = preannotate([article], pre)
    for r in task["predictions"][0]["result"]:
        v = r["value"]
        assert text[v["start"]:v["end"]] == v["text"] and v["text"].strip() == v["text"]
        assert 0 <= r["score"] <= 1 and r["origin"]
    check_predictions(labeling_config(scheme), [task])
    if len(text) > 100_000:
        assert len(task["predictions"][0]["result"]) >= 8600


def test_preannotate_chunks_cover_the_text_exactly():
    text = ("para one.\n\n" + "word " * 300) * 50
    pieces = list(chunks(text, limit=1000))
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 1000 for _, p in pieces)
    assert all(text[o:o + len(p)] == p for o, p in pieces)


def test_preannotate_tasks_carry_model_version_scores_and_the_text_hash(pre):
    [task] = preannotate([{"id": "a1", "text": "Astana hosted the OSCE.", "source": "x.txt", "date": "2024-01-02"}], pre)
    prediction = task["predictions"][0]
    assert prediction["model_version"].startswith("preannotator-0.0.0+")
    assert prediction["score"] == pytest.approx(sum(r["score"] for r in prediction["result"]) / len(prediction["result"]))
    assert task["data"]["task_key"] == "a1" and len(task["data"]["text_sha256"]) == 64 and task["data"]["date"] == "2024-01-02"


def test_preannotate_labelinterface_rejects_foreign_labels(scheme):
    task = {"data": {"task_key": "a9", "text": "Astana"}, "predictions": [{"model_version": "x", "result": [
        {"from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 0, "end": 6, "text": "Astana", "labels": ["CITY"]}}]}]}
    with pytest.raises(AttacheError, match=r"E044.*a9.*0:6"):
        check_predictions(labeling_config(scheme), [task])


def test_preannotate_own_model_joins_as_a_source_and_wins(smoke_model):
    pre = build_preannotator(CONFIG, model=smoke_model.promoted)
    assert "model_ner" in pre.pipe_names and pre.get_pipe("merge").precedence[0] == "attache_model"
    doc = pre("Kazakh Foreign Minister Murat Nurtleu met OSCE officials in Vienna on Monday.")
    assert any(source_kind(e.id_) == "model" for e in doc.ents)
    reordered = build_preannotator(CONFIG, model=smoke_model.promoted, precedence=["rules", "model", "base"])
    assert reordered.get_pipe("merge").precedence == ["attache_rules", "attache_model", "attache_base"]


def test_preannotate_unknown_base_model_is_a_coded_error():
    with pytest.raises(AttacheError, match="E070"):
        build_preannotator(CONFIG, base_model="en_no_such_model")


def test_preannotate_cli_writes_checked_tasks(tmp_path, repo):
    from typer.testing import CliRunner

    from attache.cli import app
    from attache.ingest import ingest

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("ASTANA, Kazakhstan, October 2. Deputy Minister Roman Vassilenko met the OSCE envoy.", encoding="utf8")
    ingest(raw, tmp_path / "ingested")
    out = tmp_path / "tasks.json"
    run = CliRunner().invoke(app, ["preannotate", str(tmp_path / "ingested"), "--out", str(out), "--save", str(tmp_path / "pre")])
    assert run.exit_code == 0, run.output
    [task] = json.loads(out.read_text())
    assert {r["value"]["text"] for r in task["predictions"][0]["result"]} >= {"ASTANA", "Kazakhstan", "Deputy Minister", "Roman Vassilenko", "OSCE"}
    assert (tmp_path / "pre" / "config.cfg").exists()
