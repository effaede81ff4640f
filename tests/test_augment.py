"""Mention replacement swaps entity mentions for others of the same label
from the training corpus, keeping context, labels and missing annotations."""
import random

import pytest
import spacy
from spacy.tokens import Doc, DocBin
from spacy.training import Example

from attache.errors import AttacheError
from attache.training.augment import make_mention_swap, mention_pool, swap_mentions


@pytest.fixture()
def nlp():
    return spacy.blank("en")


def example(nlp):
    words = ["ABUJA", ",", "Feb", "24", "-", "Ghana", "'s", "parliament", "met", "Bola", "Tinubu", "."]
    spaces = [False, True, True, True, True, False, True, True, True, True, False, False]
    tags = ["B-GPE", "O", "B-DATE", "I-DATE", "O", "B-GPE", "O", "O", "", "B-PERSON", "I-PERSON", "O"]  # "met": not annotated
    ref = Doc(nlp.vocab, words=words, spaces=spaces, ents=tags)
    return Example(nlp.make_doc(ref.text), ref)


def test_every_mention_is_swapped_for_one_of_its_label_and_the_rest_is_kept(nlp):
    pool = {"GPE": [(("Costa", "Rica"), (True,))], "PERSON": [(("Ali",), ())], "DATE": [(("Monday",), ())]}
    swapped = swap_mentions(nlp, example(nlp), pool, 1.0, random.Random(0)).reference
    assert swapped.text == "COSTA RICA, Monday - Costa Rica's parliament met Ali."  # dateline capitals kept
    assert [(e.text, e.label_) for e in swapped.ents] == [("COSTA RICA", "GPE"), ("Monday", "DATE"), ("Costa Rica", "GPE"), ("Ali", "PERSON")]
    assert swapped[9].text == "met" and swapped[9].ent_iob_ == ""  # still missing, not "O"


def test_labels_without_a_pool_and_replace_zero_leave_the_example_as_it_was(nlp):
    original = example(nlp)
    assert swap_mentions(nlp, original, {"ORG": [(("Reuters",), ())]}, 1.0, random.Random(0)).reference.to_json() == original.reference.to_json()
    assert swap_mentions(nlp, original, {"GPE": [(("Chad",), ())]}, 0.0, random.Random(0)).reference.text == original.reference.text


def test_the_pool_is_read_from_a_corpus_and_level_decides_how_many_examples_change(tmp_path, nlp):
    docs = [example(nlp).reference, Doc(nlp.vocab, words=["Kenya", "and", "Chad"], ents=["B-GPE", "O", "B-GPE"])]
    DocBin(docs=docs).to_disk(tmp_path / "train.spacy")
    pool = mention_pool(tmp_path / "train.spacy")
    assert pool["GPE"] == [(("ABUJA",), ()), (("Ghana",), ()), (("Kenya",), ()), (("Chad",), ())]
    assert mention_pool(tmp_path / "train.spacy", labels=["PERSON"]) == {"PERSON": [(("Bola", "Tinubu"), (True,))]}
    never = make_mention_swap(0.0, 1.0, tmp_path / "train.spacy")
    original = example(nlp)
    assert [e.reference.text for e in never(nlp, original)] == [original.reference.text]
    always = make_mention_swap(1.0, 1.0, tmp_path / "train.spacy", labels=["PERSON"])
    (changed,) = always(nlp, original)
    assert changed.reference.text == original.reference.text  # the only PERSON in the pool is Bola Tinubu himself


def test_bad_settings_and_a_missing_pool_are_coded_errors(tmp_path):
    with pytest.raises(AttacheError) as err:
        make_mention_swap(1.5, 0.5, tmp_path / "train.spacy")
    assert err.value.code == "E114"
    with pytest.raises(AttacheError) as err:
        make_mention_swap(0.5, 0.5, tmp_path / "missing.spacy")
    assert err.value.code == "E113" and "missing.spacy" in str(err.value)
