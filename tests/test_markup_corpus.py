"""Gold markup -> .spacy (the held-out evaluation set): nothing lost, errors name the file and span."""
import pytest
from spacy.tokens import DocBin

from attache.corpus.markup import markup_corpus, markup_files
from attache.errors import AttacheError
from attache.ingest import load_ingest_settings
from attache.markup import check_files
from attache.tokenizer import make_nlp

from conftest import REPO

HELDOUT = REPO / "annotation" / "heldout-markup"


def test_every_heldout_span_reaches_the_corpus(tmp_path, scheme):
    paths = markup_files(HELDOUT)
    problems, authored = check_files(paths, scheme.names)
    assert not problems
    counts = markup_corpus(paths, tmp_path / "heldout.spacy", load_ingest_settings())
    assert counts == dict(authored)
    docs = list(DocBin().from_disk(tmp_path / "heldout.spacy").get_docs(make_nlp().vocab))
    assert len(docs) == len(paths) >= 40
    assert sum(len(d.ents) for d in docs) == sum(authored.values())
    assert {d.user_data["source"] for d in docs} == {p.name for p in paths}
    assert not any(d.text.startswith("date ") for d in docs)  # normalised as ingest does: the date header is gone


def test_a_span_that_cuts_a_token_is_an_error_naming_file_and_span(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("date 2025-01-02\nTalks on pre-[[1971|DATE]] assets in [[Dhaka|GPE]].\n")
    with pytest.raises(AttacheError) as err:
        markup_corpus([path], tmp_path / "out.spacy", load_ingest_settings())
    assert err.value.code == "E075" and str(path) in str(err.value) and "'1971'" in str(err.value) and "pre-1971" in str(err.value)
    assert not (tmp_path / "out.spacy").exists()
