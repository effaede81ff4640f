"""Re-spaced gold documents (`attache.evaluate.variants`, used by
scripts/robustness_eval.py) carry every entity to its new offsets."""
import random

import pytest
from spacy.tokens import Doc, Span

from attache.evaluate.variants import respaced
from attache.tokenizer import make_nlp

TEXT = "Foreign Minister Wang Yi met Antony Blinken in Beijing on 12 March."
ENTS = [("Foreign Minister", "ROLE"), ("Wang Yi", "PERSON"), ("Antony Blinken", "PERSON"), ("Beijing", "GPE"), ("12 March", "DATE")]


@pytest.fixture(scope="module")
def nlp():
    return make_nlp()


@pytest.fixture
def gold(nlp):
    doc = nlp.make_doc(TEXT)
    doc.ents = [doc.char_span(TEXT.index(text), TEXT.index(text) + len(text), label=label) for text, label in ENTS]
    return doc


def ents(doc):
    return [(e.text, e.label_) for e in doc.ents]


def test_every_space_between_words_can_become_a_no_break_space(gold, nlp):
    new = respaced(gold, "nbsp", 1.0, random.Random(0), nlp)
    assert new.text == TEXT.replace(" ", "\u00a0")
    assert ents(new) == [(text.replace(" ", "\u00a0"), label) for text, label in ENTS]
    assert [(e.start_char, e.end_char) for e in new.ents] == [(e.start_char, e.end_char) for e in gold.ents]
    assert any(token.is_space for token in new.ents[0])  # spaCy makes the no-break space a token of its own


def test_doubled_spaces_move_the_entities_after_them(gold, nlp):
    new = respaced(gold, "double", 1.0, random.Random(0), nlp)
    assert new.text == TEXT.replace(" ", "  ")
    assert ents(new) == [(text.replace(" ", "  "), label) for text, label in ENTS]


def test_a_share_of_the_spaces_is_drawn_from_the_seed(gold, nlp):
    first, again = (respaced(gold, "double", 0.3, random.Random(7), nlp) for _ in range(2))
    assert first.text == again.text and ents(first) == ents(again)
    assert 0 < first.text.count("  ") < TEXT.count(" ")
    assert [label for _, label in ents(first)] == [label for _, label in ENTS]
    assert respaced(gold, "nbsp", 0.0, random.Random(0), nlp).text == TEXT


def test_spaces_next_to_other_whitespace_stay_as_they_are(nlp):
    doc = nlp.make_doc("Astana \nsaid  so.")
    assert respaced(doc, "nbsp", 1.0, random.Random(0), nlp).text == "Astana \nsaid  so."


def test_an_entity_that_would_not_fall_on_token_edges_is_an_error(nlp):
    doc = nlp.make_doc("The Astana talks")
    doc.ents = [Span(doc, 1, 2, label="GPE")]
    assert ents(respaced(doc, "nbsp", 1.0, random.Random(0), nlp)) == [("Astana", "GPE")]

    class WholeText:  # a tokenizer that makes the whole text one token: spaCy's never does
        vocab = nlp.vocab

        def make_doc(self, text):
            return Doc(self.vocab, words=[text], spaces=[False])

    with pytest.raises(ValueError, match="'Astana'.*does not fall on token edges"):
        respaced(doc, "nbsp", 1.0, random.Random(0), WholeText())


def test_unknown_spacing_or_share_is_refused(gold, nlp):
    with pytest.raises(ValueError, match="'tab'.*double.*nbsp"):
        respaced(gold, "tab", 0.5, random.Random(0), nlp)
    with pytest.raises(ValueError, match="between 0 and 1"):
        respaced(gold, "nbsp", 1.5, random.Random(0), nlp)


def test_soft_hyphens_go_inside_long_words_and_entities_keep_them(gold, nlp):
    new = respaced(gold, "shy", 1.0, random.Random(0), nlp)
    assert new.text == TEXT.replace("Minister", "Mini\u00adster")  # the only word of eight letters or more
    assert ents(new) == [("Foreign Mini\u00adster", "ROLE")] + ENTS[1:]


def test_zero_width_spaces_go_after_words_outside_the_entities(gold, nlp):
    new = respaced(gold, "zwsp", 1.0, random.Random(0), nlp)
    assert new.text == TEXT.replace(" ", "\u200b ")
    assert ents(new) == [(text.replace(" ", "\u200b "), label) for text, label in ENTS]
    assert all(not e.text.endswith("\u200b") for e in new.ents)
