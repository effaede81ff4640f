"""Hard wrapping breaks the lines of some training articles the way plain-text
wires and PDF extractions do, keeping every entity, its offsets and the
missing annotations."""
import spacy
import pytest
from spacy.tokens import Doc
from spacy.training import Example

from attache.errors import AttacheError
from attache.training.wrap import make_hard_wrap, wrap_example, wrap_text

TEXT = "ABUJA - In late May the European Union and Ghana signed the Accra Accord on trade."


@pytest.fixture()
def nlp():
    return spacy.blank("en")


def example(nlp):
    words = ["ABUJA", "-", "In", "late", "May", "the", "European", "Union", "and", "Ghana", "signed", "the", "Accra", "Accord", "on", "trade", "."]
    spaces = [True, True, True, True, True, True, True, True, True, True, True, True, True, True, True, False, False]
    tags = ["B-GPE", "O", "O", "B-DATE", "I-DATE", "O", "B-INTL_ORG", "I-INTL_ORG", "O", "B-GPE", "", "O", "B-AGREEMENT", "I-AGREEMENT", "O", "O", "O"]
    ref = Doc(nlp.vocab, words=words, spaces=spaces, ents=tags)  # "signed": not annotated
    assert ref.text == TEXT
    return Example(nlp.make_doc(ref.text), ref)


def test_lines_break_at_the_last_space_before_the_column_and_the_length_is_kept():
    wrapped = wrap_text(TEXT, 20)
    assert wrapped == "ABUJA - In late May\nthe European Union\nand Ghana signed the\nAccra Accord on\ntrade."
    assert max(len(line) for line in wrapped.split("\n")) == 20
    assert len(wrapped) == len(TEXT) and wrapped.replace("\n", " ") == TEXT


def test_existing_breaks_double_spaces_and_short_lines_are_left_alone():
    text = "Title\n\nA  long  line with words"
    assert wrap_text(text, 10) == "Title\n\nA  long  line\nwith words"  # double spaces are never a break
    assert wrap_text(TEXT, 200) == TEXT


def test_entities_keep_their_offsets_and_a_newline_inside_one_belongs_to_it(nlp):
    original = example(nlp)
    wrapped = wrap_example(nlp, original, 16).reference
    assert wrapped.text == "ABUJA - In late\nMay the European\nUnion and Ghana\nsigned the Accra\nAccord on trade."
    before = [(e.start_char, e.end_char, e.label_) for e in original.reference.ents]
    assert [(e.start_char, e.end_char, e.label_) for e in wrapped.ents] == before
    newlines = [t for t in wrapped if t.text == "\n"]
    assert {t.nbor(-1).text: t.ent_iob_ + t.ent_type_ for t in newlines} == {"late": "IDATE", "European": "IINTL_ORG", "Ghana": "", "Accra": "IAGREEMENT"}
    assert wrap_example(nlp, original, 12).reference.text.startswith("ABUJA - In\nlate")
    assert wrap_example(nlp, original, 12).reference[3].ent_iob_ == "O"  # the newline after "In", outside any entity
    assert [t.ent_iob_ for t in wrapped if t.text == "signed"] == [""]  # still missing, not "O"


def test_level_decides_how_many_examples_change_and_a_seed_repeats_the_widths(nlp):
    original = example(nlp)
    assert [e.reference.text for e in make_hard_wrap(0.0)(nlp, original)] == [TEXT]
    always = make_hard_wrap(1.0, min_width=10, max_width=30, seed=3)
    texts = [next(always(nlp, original)).reference.text for _ in range(5)]
    assert all("\n" in t and t.replace("\n", " ") == TEXT for t in texts)
    again = make_hard_wrap(1.0, min_width=10, max_width=30, seed=3)
    assert [next(again(nlp, original)).reference.text for _ in range(5)] == texts


def test_it_is_registered_for_training_configs_and_bad_settings_are_coded_errors():
    assert spacy.registry.augmenters.get("attache.hard_wrap.v1") is make_hard_wrap
    for settings in ({"level": 1.5}, {"level": 0.5, "min_width": 50, "max_width": 40}, {"level": 0.5, "min_width": 0}):
        with pytest.raises(AttacheError) as err:
            make_hard_wrap(**settings)
        assert err.value.code == "E116"
