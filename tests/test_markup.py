import pytest
from hypothesis import given, strategies as st

from attache.errors import AttacheError
from attache.markup import parse, render
from attache.spans import Span, validate_spans


def test_markup_parse_gives_text_and_offsets():
    text, spans = parse("[[Kazakh|NORP]] [[Foreign Minister|ROLE]] met [[Kao\nKim Hourn|PERSON]].")
    assert text == "Kazakh Foreign Minister met Kao\nKim Hourn."
    assert [(s.text(text), s.label) for s in spans] == [
        ("Kazakh", "NORP"), ("Foreign Minister", "ROLE"), ("Kao\nKim Hourn", "PERSON")]


@pytest.mark.parametrize("bad", ["[[Astana|GPE] said", "x ]] y", "[[a [[b|GPE]]|GPE]]", "[[Astana|gpe]]"])
def test_markup_malformed_is_an_error_with_line(bad):
    with pytest.raises(AttacheError, match=r"E010.*doc.txt:1"):
        parse(bad, source="doc.txt")


@pytest.mark.parametrize(
    "marked, problem",
    [
        ("[[ Astana|GPE]]", "whitespace"),
        ("[[Astana\u200b|GPE]] said", "an invisible character"),
        ("[[Astana,|GPE]]", "ends with punctuation ','"),
        ("([[(Astana|GPE]]", "starts with punctuation"),
        ("As[[tana|GPE]]", "starts inside a word"),
        ("[[Astana|CITY]]", "unknown label"),
    ],
)
def test_spans_validation_names_each_problem(marked, problem, scheme):
    text, spans = parse(marked)
    problems = validate_spans(text, spans, scheme.names)
    assert any(problem in p for p in problems), problems


def test_spans_abbreviation_dot_is_allowed(scheme):
    text, spans = parse("the [[U.S.|GPE]] and [[Acme Co.|ORG]]")
    assert validate_spans(text, spans, scheme.names) == []


def test_spans_overlap_is_reported(scheme):
    text = "Astana"
    problems = validate_spans(text, [Span(0, 6, "GPE"), Span(0, 3, "GPE")], scheme.names)
    assert any("overlaps" in p for p in problems)


_plain = st.text(alphabet=st.characters(blacklist_characters="[]|", blacklist_categories=("Cs",)), max_size=30)


@given(st.lists(st.tuples(_plain, st.text(alphabet="abcXYZ é😀\u200d\n", min_size=1, max_size=12), st.sampled_from(["GPE", "DATE"])), max_size=6), _plain)
def test_markup_render_then_parse_roundtrips(pieces, tail):
    text, spans = "", []
    for before, value, label in pieces:
        text += before
        spans.append(Span(len(text), len(text) + len(value), label))
        text += value
    text += tail
    assert parse(render(text, spans)) == (text, spans)
