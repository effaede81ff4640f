"""attache_respace / attache_unrespace: the components between them read a
document's odd spaces and hard wraps as single spaces, and the entities come
back on the document's own text (attache.training.respace)."""
import pytest
import spacy
from spacy.language import Language

from attache.tokenizer import customize_tokenizer
from attache.training.respace import wrapped_breaks

PATTERNS = [{"label": "ROLE", "pattern": "Foreign Minister"}, {"label": "PERSON", "pattern": "Murat Nurtleu"}]
SEEN = []


@Language.component("test_respace_seen")
def seen(doc):
    SEEN.append(doc.text)
    return doc


def pipeline(line_breaks="wrapped", respace=True):
    """A blank pipeline whose spaCy span_ruler (which matches only on single
    spaces) sets entities and a span group, bracketed by the pair."""
    nlp = customize_tokenizer(spacy.blank("en"))
    if respace:
        nlp.add_pipe("attache_respace", config={"line_breaks": line_breaks})
    nlp.add_pipe("test_respace_seen")
    nlp.add_pipe("span_ruler", config={"annotate_ents": True, "spans_key": "found"}).add_patterns(PATTERNS)
    if respace:
        nlp.add_pipe("attache_unrespace")
    return nlp


WRAPPED = ("Kazakhstan's Foreign Minister Murat Nurtleu met his counterpart in\n"
           "Astana on Monday to discuss the transit corridor, the Foreign\n"
           "Minister said, adding that talks with Murat Nurtleu would resume\n"
           "in May.")
# a heading on a line of its own above lines wrapped at 64 columns
HEADED = ("Talks with the Foreign\n"
          "Minister Murat Nurtleu met his counterpart in Astana on Monday\n"
          "to discuss the transit corridor and the talks held in May in the\n"
          "capital.")


@pytest.mark.parametrize("space", ["\u00a0", "  ", "\t", "\u202f", "\u00a0 "])
def test_a_name_split_by_an_odd_space_is_found_on_the_text_as_given(space):
    text = f"The Foreign{space}Minister, Murat{space}Nurtleu, spoke."
    doc = pipeline()(text)
    assert doc.text == text
    assert [(e.text, e.label_) for e in doc.ents] == [(f"Foreign{space}Minister", "ROLE"), (f"Murat{space}Nurtleu", "PERSON")]
    assert [(s.start_char, s.end_char, s.label_) for s in doc.spans["found"]] == [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    assert pipeline(respace=False)(text).ents == ()


def test_the_components_between_read_single_spaces():
    nlp = pipeline()
    SEEN.clear()  # the span_ruler ran its phrase patterns through the components before it
    nlp("The Foreign\u00a0Minister  spoke.")
    assert SEEN == ["The Foreign Minister spoke."]


def test_a_clean_document_passes_through_untouched():
    nlp = pipeline()
    doc = nlp.make_doc("The Foreign Minister, Murat Nurtleu, spoke.\n\nTalks ended.")
    assert nlp(doc) is doc
    assert [e.text for e in doc.ents] == ["Foreign Minister", "Murat Nurtleu"]


def test_hard_wrapped_lines_are_joined_and_headings_are_not():
    doc = pipeline()(WRAPPED)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Foreign Minister", "ROLE"), ("Murat Nurtleu", "PERSON"), ("Foreign\nMinister", "ROLE"), ("Murat Nurtleu", "PERSON")]
    assert [e.text for e in pipeline()(HEADED).ents] == ["Murat Nurtleu"]
    assert [e.text for e in pipeline("always")(HEADED).ents] == ["Foreign\nMinister", "Murat Nurtleu"]
    assert [e.text for e in pipeline("never")(WRAPPED).ents] == ["Foreign Minister", "Murat Nurtleu", "Murat Nurtleu"]


def test_a_paragraph_break_is_never_joined():
    assert [e.text for e in pipeline("always")("He met the Foreign\n\nMinister Murat Nurtleu.").ents] == ["Murat Nurtleu"]


def test_which_line_breaks_a_hard_wrap_made():
    assert wrapped_breaks(WRAPPED) == {i for i, char in enumerate(WRAPPED) if char == "\n"}
    assert wrapped_breaks(HEADED) == {i for i, char in enumerate(HEADED) if char == "\n"} - {HEADED.index("\n")}
    # lines of their own that the next word would have fitted after
    assert wrapped_breaks("ASTANA\nKazakhstan's Foreign Minister met his counterpart.\nTalks ended.") == set()
    # paragraphs on single lines
    long = "Kazakhstan's Foreign Minister met his counterpart in Astana on Monday. " * 3
    assert wrapped_breaks(f"{long}\n{long}\n{long}") == set()
    assert wrapped_breaks("no line breaks") == set()


def test_context_and_entities_set_beforehand_are_kept():
    nlp = pipeline()
    (doc, context), = nlp.pipe([("The Foreign\u00a0Minister spoke.", {"id": 7})], as_tuples=True)
    assert context == {"id": 7} and [e.text for e in doc.ents] == ["Foreign\u00a0Minister"]
    preset = nlp.make_doc("Murat\u00a0Nurtleu spoke.")
    preset.ents = [preset.char_span(0, 5, label="PERSON")]
    SEEN.clear()
    assert nlp(preset) is preset and SEEN == ["Murat\u00a0Nurtleu spoke."]


def test_an_unknown_line_break_setting_is_refused():
    with pytest.raises(ValueError, match="line_breaks must be one of never, wrapped, always"):
        pipeline("sometimes")


@pytest.mark.parametrize("text, ents, without", [
    ("The Foreign\u200b Minister, Murat\u200bNurtleu, spoke.", [("Foreign\u200b Minister", "ROLE"), ("Murat\u200bNurtleu", "PERSON")], 0),
    ("The Foreign Minister, Mu\u00adrat Nurt\u00adleu, spoke.", [("Foreign Minister", "ROLE"), ("Mu\u00adrat Nurt\u00adleu", "PERSON")], 1),
])
def test_invisible_characters_are_read_as_a_space_or_as_nothing(text, ents, without):
    doc = pipeline()(text)
    assert doc.text == text
    assert [(e.text, e.label_) for e in doc.ents] == ents
    assert [(e.text, e.label_) for e in pipeline(respace=False)(text).ents] == ents[:without]  # not found without the pair


def test_a_joiner_between_two_tokens_adds_no_space():
    nlp = pipeline()
    SEEN.clear()
    nlp("\ufeffThe Foreign Minister\u200e, Mu\u00adrat\u200bNurtleu\u2060 spoke.")
    assert SEEN == ["The Foreign Minister, Murat Nurtleu spoke."]
