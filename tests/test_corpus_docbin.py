"""The streaming .spacy writer writes what DocBin writes."""
import zlib

import pytest
import srsly
from spacy.tokens import DocBin

from attache.corpus.align import ATTRS, TokenIndex, encode
from attache.corpus.docbin import DocBinWriter, docbin_attrs
from attache.tokenizer import make_nlp


def gold_docs(nlp):
    """Docs with entities, a missing (quarantined) region, whitespace tokens, emoji."""
    one = nlp.make_doc("Kazakhstan and Finland met in Astana  on Monday.")
    one.set_ents([one.char_span(0, 10, "GPE"), one.char_span(15, 22, "GPE")], missing=[one[5:6]], default="outside")
    two = nlp.make_doc("🇰🇿 The OSCE\u00a0Chairperson-in-Office spoke.\n\nNo more.")
    two.ents = [two.char_span(7, 11, "INTL_ORG")]
    three = nlp.make_doc("")
    return [one, two, three]


def writer_bytes(docs, nlp, tmp_path, labels, announce=False):
    """``announce``: give the writer the total number of tokens up front, so
    it compresses the token arrays in its background thread as docs arrive."""
    n_tokens = sum(len(doc) for doc in docs) if announce else None
    writer = DocBinWriter(tmp_path / "out.spacy", docbin_attrs(ATTRS), tmp_path, n_tokens=n_tokens)
    for doc in docs:
        tokens = TokenIndex(doc)
        spans = [(e.start, e.end, e.label_) for e in doc.ents]
        missing = [(t.i, t.i + 1) for t in doc if t.ent_iob == 0]
        writer.add(encode(tokens, spans, missing, {l: nlp.vocab.strings.add(l) for l in labels}), tokens.spaces)
    return writer.close(nlp.vocab.strings, labels).read_bytes()


@pytest.mark.parametrize("announce", [False, True])
def test_streaming_writer_matches_docbin_field_by_field(tmp_path, announce):
    nlp = make_nlp()
    docs = gold_docs(nlp)
    labels = ["GPE", "INTL_ORG"]
    ours = srsly.msgpack_loads(zlib.decompress(writer_bytes(docs, nlp, tmp_path, labels, announce)))
    reference = DocBin(attrs=list(ATTRS), store_user_data=False, docs=docs)
    theirs = srsly.msgpack_loads(zlib.decompress(reference.to_bytes()))
    assert list(ours) == list(theirs)  # same keys, same order
    for key in ("version", "attrs", "tokens", "spaces", "lengths", "cats", "flags", "span_groups"):
        assert ours[key] == theirs[key], key
    # DocBin also stores the empty string and each token's NORM; we store what the columns use
    assert set(ours["strings"]) <= set(theirs["strings"]) | set(labels)
    assert {t.text for d in docs for t in d} <= set(ours["strings"])


def test_streaming_writer_output_loads_back_into_the_same_docs(tmp_path):
    nlp = make_nlp()
    docs = gold_docs(nlp)
    data = writer_bytes(docs, nlp, tmp_path, ["GPE", "INTL_ORG"])
    back = list(DocBin().from_bytes(data).get_docs(make_nlp().vocab))
    assert [d.text for d in back] == [d.text for d in docs]
    assert [[(e.text, e.label_) for e in d.ents] for d in back] == [[(e.text, e.label_) for e in d.ents] for d in docs]
    assert [[t.ent_iob_ for t in d] for d in back] == [[t.ent_iob_ for t in d] for d in docs]  # missing stays missing
    assert not list(tmp_path.glob("out-*"))  # the writer's temp files are gone
