import json

import pytest
from hypothesis import given, settings, strategies as st
from spacy.tokens import DocBin

from attache.corpus import convert
from attache.errors import AttacheError
from attache.tokenizer import make_nlp

from conftest import REPO
from corpus_helpers import annotation, result, task

MALFORMED = REPO / "tests" / "data" / "malformed"
EXPECTED = json.loads((MALFORMED / "expected.json").read_text())


def write(tmp_path, tasks, name="export.json"):
    path = tmp_path / name
    path.write_text(json.dumps(tasks, ensure_ascii=False))
    return path


def ents(doc):
    return [(e.text, e.label_) for e in doc.ents]


def test_corpus_converts_exports_into_three_splits_with_every_span(tmp_path, scheme):
    tasks = [task(f"[[Kazakhstan|GPE]] and [[Finland|GPE]] met on [[Monday|DATE]] ({i}).") for i in range(20)]
    out = tmp_path / "corpus"
    result_ = convert([write(tmp_path, tasks)], out, scheme.names, dev=0.2, test=0.2)
    docs = {split: list(DocBin().from_disk(out / f"{split}.spacy").get_docs(make_nlp().vocab)) for split in ("train", "dev", "test")}
    assert [len(docs[s]) for s in ("train", "dev", "test")] == [12, 4, 4]
    assert all(ents(doc) == [("Kazakhstan", "GPE"), ("Finland", "GPE"), ("Monday", "DATE")] for split in docs.values() for doc in split)
    assert result_.report["spans"] == {"input": 60, "exact": 60, "trimmed": 0, "snapped": 0, "quarantined": 0}
    assert (out / "reports" / "summary.md").read_text().startswith("# Corpus summary")


def test_corpus_quarantines_spans_whose_text_does_not_match(tmp_path, scheme):
    bad = task("[[Astana|GPE]] hosts the [[OSCE|INTL_ORG]].")
    bad["annotations"][0]["result"][1]["value"]["text"] = "OSCE!"
    converted = convert([write(tmp_path, [bad])], None, scheme.names, dev=0, test=0)
    [doc] = converted.docs["train"]
    assert ents(doc) == [("Astana", "GPE")]
    assert [t.ent_iob_ for t in doc if t.text == "OSCE"] == [""]  # missing, not "O"
    [q] = converted.report["quarantined"]
    assert q["task_id"] == bad["id"] and "the result says 'OSCE!'" in q["reason"]


def test_corpus_catches_utf16_shifted_offsets(tmp_path, scheme):
    """Offsets counted in UTF-16 code units (as JavaScript counts) are off by
    one per astral character before the span: quarantined, with the hint."""
    text = "🇰🇿 Astana and 👩‍💻 Vienna talks resumed on Monday."
    start = text.index("Vienna")
    u_start = len(text[:start].encode("utf-16-le")) // 2
    assert u_start == start + 4  # two flag halves, the woman and the laptop
    t = task("x", annotations=[{"id": 1, "completed_by": 1, "result": [
        {"id": "v", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": u_start, "end": u_start + 6, "text": "Vienna", "labels": ["GPE"]}}]}])
    t["data"].update(text=text, text_sha256=None)
    converted = convert([write(tmp_path, [t])], None, scheme.names, dev=0, test=0)
    [q] = converted.report["quarantined"]
    assert q["result_id"] == "v" and "UTF-16" in q["reason"]
    assert converted.docs["train"][0].ents == ()


def test_corpus_quarantines_a_task_whose_text_changed_after_push(tmp_path, scheme):
    t = task("[[Astana|GPE]] hosts talks.")
    t["data"]["text_sha256"] = "0" * 64
    converted = convert([write(tmp_path, [t])], None, scheme.names, dev=0, test=0)
    assert converted.report["spans"]["quarantined"] == 1
    assert converted.report["quarantined_tasks"]


def test_corpus_trims_whitespace_and_snaps_only_when_asked(tmp_path, scheme):
    text = "The Kazakhstani delegation met in Astana ."
    t = task("x", annotations=[annotation(text, [(3, 11, "NORP"), (34, 41, "GPE")])])  # " Kazakh" inside a word; "Astana " with space
    t["data"].update(text=text, text_sha256=None)
    plain = convert([write(tmp_path, [t])], None, scheme.names, dev=0, test=0)
    statuses = sorted(o["status"] for o in plain.outcomes)
    assert statuses == ["quarantined", "trimmed"]
    snapped = convert([write(tmp_path, [t])], None, scheme.names, dev=0, test=0, snap=True)
    assert sorted(o["status"] for o in snapped.outcomes) == ["snapped", "trimmed"]
    assert ents(snapped.docs["train"][0]) == [("Kazakhstani", "NORP"), ("Astana", "GPE")]


def test_corpus_excludes_cancelled_drafts_and_prediction_only_but_keeps_empty_results(tmp_path, scheme):
    text = "Nothing to see here."
    skipped = task("Skipped text.", annotations=[annotation("Skipped text.", [], cancelled=True)])
    prediction_only = task("Only predicted.", annotations=[])
    prediction_only["predictions"] = [{"result": [result("Only predicted.", 0, 4, "ORG")]}]
    draft_only = task("Draft only.", annotations=[])
    draft_only["drafts"] = [{"result": []}]
    empty = task(text, annotations=[annotation(text, [])])
    converted = convert([write(tmp_path, [skipped, prediction_only, draft_only, empty])], None, scheme.names, dev=0, test=0)
    assert [doc.text for doc in converted.docs["train"]] == [text]
    assert converted.docs["train"][0].ents == ()
    counts = converted.report["counts"]
    assert counts["tasks_without_submitted_annotation"] == 3 and counts["cancelled_annotations"] == 1 and counts["drafts"] == 1


@pytest.mark.parametrize(
    "policy, expected",
    [("ground_truth_then_latest", [("Astana", "GPE")]), ("majority", [("Astana", "GPE"), ("Tuesday", "DATE")])],
)
def test_corpus_annotation_policy(tmp_path, scheme, policy, expected):
    text = "Astana hosted talks on Tuesday."
    anns = [
        annotation(text, [(0, 6, "GPE")], by=1, ground_truth=True, updated="2024-01-01"),
        annotation(text, [(0, 6, "GPE"), (23, 30, "DATE")], by=2, updated="2024-02-01"),
        annotation(text, [(0, 6, "LOC"), (23, 30, "DATE")], by=3, updated="2024-03-01"),
    ]
    t = task("x", annotations=anns)
    t["data"].update(text=text, text_sha256=None)
    converted = convert([write(tmp_path, [t])], None, scheme.names, dev=0, test=0, policy=policy)
    [doc] = converted.docs["train"]
    assert ents(doc) == expected
    assert doc.user_data["chosen_policy"] == policy


def test_corpus_latest_annotation_wins_without_ground_truth(tmp_path, scheme):
    text = "Astana hosted talks."
    anns = [annotation(text, [(0, 6, "LOC")], by=1, updated="2024-01-01"), annotation(text, [(0, 6, "GPE")], by=2, updated="2024-02-01")]
    t = task("x", annotations=anns)
    t["data"].update(text=text, text_sha256=None)
    [doc] = convert([write(tmp_path, [t])], None, scheme.names, dev=0, test=0).docs["train"]
    assert ents(doc) == [("Astana", "GPE")] and doc.user_data["chosen_completed_by"] == 2


def test_corpus_splits_are_seeded_and_keep_near_duplicates_together(tmp_path, scheme):
    tasks = [task(f"[[Kazakhstan|GPE]] story {i}.", key=f"a{i}", group=f"g{i // 2}") for i in range(40)]
    path = write(tmp_path, tasks)
    first = convert([path], None, scheme.names, seed=3)
    again = convert([path], None, scheme.names, seed=3)
    other = convert([path], None, scheme.names, seed=4)
    split_of = lambda conv: {d.user_data["task_key"]: s for s, docs in conv.docs.items() for d in docs}
    assert split_of(first) == split_of(again) != split_of(other)
    for i in range(0, 40, 2):
        assert split_of(first)[f"a{i}"] == split_of(first)[f"a{i + 1}"]


def test_corpus_newest_articles_go_to_test(tmp_path, scheme):
    tasks = [task(f"[[Kazakhstan|GPE]] story {i}.", key=f"a{i}", date=f"2024-01-{i + 1:02d}") for i in range(20)]
    converted = convert([write(tmp_path, tasks)], None, scheme.names, dev=0.2, test=0.2, newest_test=True)
    assert sorted(d.user_data["task_key"] for d in converted.docs["test"]) == ["a16", "a17", "a18", "a19"]


def test_corpus_agreement_and_disagreements(tmp_path, scheme):
    text = "Astana and Vienna met on Monday."
    both = task("x", annotations=[annotation(text, [(0, 6, "GPE"), (11, 17, "GPE"), (25, 31, "DATE")], by=1),
                                  annotation(text, [(0, 6, "GPE"), (11, 17, "LOC")], by=2)])
    both["data"].update(text=text, text_sha256=None)
    converted = convert([write(tmp_path, [both])], tmp_path / "out", scheme.names, dev=0, test=0)
    agreement = converted.report["agreement"]
    assert agreement["tasks"] == 1 and agreement["disagreements"] == 1
    assert agreement["span_f1_exact"]["micro_f"] == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3), abs=1e-3)
    assert 0 < agreement["token_cohen_kappa"] < 1
    review = json.loads((tmp_path / "out" / "reports" / "review-tasks.json").read_text())
    assert [len(p["result"]) for p in review[0]["predictions"]] == [3, 2]


def test_corpus_hf_and_conll_exports(tmp_path, scheme):
    import datasets

    convert([write(tmp_path, [task("[[Kazakh|NORP]] [[Foreign Minister|ROLE]] spoke.")])], tmp_path / "out", scheme.names, dev=0, test=0)
    train = datasets.load_from_disk(str(tmp_path / "out" / "hf"))["train"]
    names = train.features["ner_tags"].feature.names
    assert train[0]["tokens"] == ["Kazakh", "Foreign", "Minister", "spoke", "."]
    assert [names[i] for i in train[0]["ner_tags"]] == ["B-NORP", "B-ROLE", "I-ROLE", "O", "O"]
    conll = (tmp_path / "out" / "conll" / "train.conll").read_text().splitlines()
    assert conll[2:4] == ["Kazakh -X- _ B-NORP", "Foreign -X- _ B-ROLE"]


def test_corpus_trims_invisible_characters_off_span_edges_and_exports_leave_them_out(tmp_path, scheme):
    """A zero-width space or a byte-order mark selected with a word in Label
    Studio is trimmed like a space; CoNLL and HF rows leave such tokens out."""
    import datasets

    t = task("[[\ufeffKazakh\u200b|NORP]] [[Foreign\u200b Minister|ROLE]] spoke.")
    converted = convert([write(tmp_path, [t])], tmp_path / "out", scheme.names, dev=0, test=0)
    assert ents(converted.docs["train"][0]) == [("Kazakh", "NORP"), ("Foreign\u200b Minister", "ROLE")]
    assert converted.report["spans"]["trimmed"] == 1
    train = datasets.load_from_disk(str(tmp_path / "out" / "hf"))["train"]
    names = train.features["ner_tags"].feature.names
    assert train[0]["tokens"] == ["Kazakh", "Foreign", "Minister", "spoke", "."]
    assert [names[i] for i in train[0]["ner_tags"]] == ["B-NORP", "B-ROLE", "I-ROLE", "O", "O"]


def test_corpus_alias_table_renames_labels(tmp_path, scheme):
    t = task("[[Astana|CITY]] hosts talks.")
    converted = convert([write(tmp_path, [t])], None, scheme.names, dev=0, test=0, aliases={"CITY": "GPE"})
    assert ents(converted.docs["train"][0]) == [("Astana", "GPE")]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_malformed_export_is_an_error_naming_the_task(tmp_path, scheme, name):
    out = tmp_path / "out"
    out.mkdir()
    (out / "train.spacy").write_bytes(b"previous corpus")
    with pytest.raises(AttacheError) as err:
        convert([MALFORMED / name], out, scheme.names)
    assert err.value.code == EXPECTED[name]["code"], str(err.value)
    assert EXPECTED[name]["contains"] in str(err.value)
    assert name in str(err.value)
    assert (out / "train.spacy").read_bytes() == b"previous corpus"
    assert sorted(p.name for p in out.iterdir()) == ["train.spacy"]


def test_corpus_cli_exit_code_on_malformed_input(tmp_path):
    from typer.testing import CliRunner

    from attache.cli import app

    run = CliRunner().invoke(app, ["corpus", str(MALFORMED / "overlap.json"), "--out", str(tmp_path)])
    assert run.exit_code == 1 and "[E067]" in run.output and "task 7" in run.output


# --- properties -----------------------------------------------------------

_chars = st.sampled_from(list("abc XYZ\n\r\u00a0.,-'") + ["é", "😀", "👩\u200d💻", "🇰🇿", "\u200d", "\r\n"])
_texts = st.lists(_chars, min_size=1, max_size=60).map("".join)


@st.composite
def text_and_spans(draw):
    text = draw(_texts)
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))))
    spans = []
    for start, end in zip(cuts[::2], cuts[1::2]):
        if end > start:
            spans.append((start, end, draw(st.sampled_from(["GPE", "DATE", "ORG"]))))
    return text, spans


@settings(max_examples=60, deadline=None)
@given(text_and_spans(), st.booleans())
def test_corpus_property_every_span_is_accounted_for(tmp_path_factory, scheme, case, snap):
    text, spans = case
    t = task("x", annotations=[annotation(text, spans)])
    t["data"].update(text=text, text_sha256=None)
    path = write(tmp_path_factory.mktemp("p"), [t])
    converted = convert([path], None, scheme.names, dev=0, test=0, snap=snap)
    counted = converted.report["spans"]
    assert counted["input"] == len(spans)  # accepted + quarantined = input
    assert counted["exact"] + counted["trimmed"] + counted["snapped"] + counted["quarantined"] == len(spans)
    assert len(converted.outcomes) == len(spans) - counted["exact"]  # each non-exact span is listed
    [doc] = converted.docs["train"]
    assert len(doc.ents) == len(spans) - counted["quarantined"]
    for ent in doc.ents:
        assert ent.text == text[ent.start_char:ent.end_char]
        assert ent.text == ent.text.strip()
    ordered = sorted((e.start_char, e.end_char) for e in doc.ents)
    assert all(a[1] <= b[0] for a, b in zip(ordered, ordered[1:]))


@settings(max_examples=60, deadline=None)
@given(_texts)
def test_corpus_property_spacy_entities_roundtrip_through_label_studio_json(tmp_path_factory, scheme, text):
    """spaCy entities -> Label Studio prediction JSON -> corpus: same entities."""
    from attache.preannotate.tasks import doc_to_results

    nlp = make_nlp()
    doc = nlp.make_doc(text)
    words = [t for t in doc if not t.is_space and t.text.strip()]
    chosen = [doc[t.i : t.i + 1] for t in words[::3]]
    results = doc_to_results(text, [(s.start_char, s.end_char, "GPE", "test") for s in chosen])
    t = {"id": 1, "data": {"text": text, "task_key": "k"}, "annotations": [{"id": 2, "completed_by": 1, "result": results}]}
    converted = convert([write(tmp_path_factory.mktemp("r"), [t])], None, scheme.names, dev=0, test=0)
    [back] = converted.docs["train"]
    assert [(e.start_char, e.end_char) for e in back.ents] == [(s.start_char, s.end_char) for s in chosen]


def test_corpus_with_no_submitted_annotation_writes_empty_loadable_splits(tmp_path, scheme):
    t = task("[[Astana|GPE]] talks.", annotations=[])
    out = tmp_path / "corpus"
    converted = convert([write(tmp_path, [t])], out, scheme.names)
    assert converted.report["counts"]["tasks_without_submitted_annotation"] == 1
    for split in ("train", "dev", "test"):
        assert len(DocBin().from_disk(out / f"{split}.spacy")) == 0
