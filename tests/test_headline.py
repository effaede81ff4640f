"""Headline case (attache.training.headline): a training augmenter that puts
some articles' first line in Title Case or in capitals, the tokens, offsets
and entities unchanged."""
import pytest
from spacy.tokens import DocBin, Span
from spacy.training import Corpus
from spacy.util import registry

from attache.errors import AttacheError
from attache.tokenizer import make_nlp
from attache.training.headline import make_headline_case, recase, recase_headline

HEADLINE = "UN council approves Kenyan-led force to fight gangs in Haiti"
BODY = "NEW YORK – The Security Council on Monday approved the mission."
ENTS = [("UN", "INTL_ORG"), ("Kenyan", "NORP"), ("Haiti", "GPE"), ("NEW YORK", "GPE"), ("Security Council", "INTL_ORG"), ("Monday", "DATE")]


@pytest.fixture
def gold():
    nlp = make_nlp()
    text = f"{HEADLINE}\n{BODY}"
    doc = nlp.make_doc(text)
    starts, spans = {}, []
    for words, label in ENTS:
        start = text.index(words, starts.get(words, 0))
        spans.append(doc.char_span(start, start + len(words), label=label))
    doc.ents = spans
    return doc


def ents(doc):
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


@pytest.mark.parametrize("word, style, first, expected", [
    ("council", "title", False, "Council"),
    ("in", "title", False, "in"),
    ("in", "title", True, "In"),
    ("Kenyan-led", "title", False, "Kenyan-Led"),
    ("iPhone", "title", False, "IPhone"),
    ("Straße", "upper", False, "STRAßE"),  # "ß".upper() is "SS": kept, so offsets hold
    ("Kenyan-led", "upper", False, "KENYAN-LED"),
])
def test_a_word_is_recased_without_changing_its_length(word, style, first, expected):
    assert recase(word, style, first) == expected and len(expected) == len(word)


@pytest.mark.parametrize("style, headline", [
    ("title", "UN Council Approves Kenyan-Led Force to Fight Gangs in Haiti"),
    ("upper", "UN COUNCIL APPROVES KENYAN-LED FORCE TO FIGHT GANGS IN HAITI"),
])
def test_only_the_headline_changes_and_the_entities_stay_on_the_same_characters(gold, style, headline):
    copy = recase_headline(gold, style)
    assert copy.text == f"{headline}\n{BODY}"
    assert [t.whitespace_ for t in copy] == [t.whitespace_ for t in gold]
    assert ents(copy) == ents(gold)


def test_missing_annotation_stays_missing(gold):
    gold.set_ents([], missing=[Span(gold, 4, 5)], default="unmodified")
    copy = recase_headline(gold, "upper")
    assert copy[4].ent_iob_ == "" and copy[3].ent_iob_ == gold[3].ent_iob_


@pytest.mark.parametrize("text", [
    "Kenya leads the force.",  # one line: no headline
    "Kenya leads\nthe force.",  # two words: not a headline
    " ".join(["word"] * 31) + "\nThe force.",  # a paragraph, not a headline
    "UN COUNCIL APPROVES FORCE\nThe force.",  # already in capitals: nothing changes
])
def test_documents_without_a_headline_to_change_give_none(text):
    assert recase_headline(make_nlp().make_doc(text), "upper") is None


def test_the_augmenter_replaces_a_share_of_the_examples_reproducibly(gold, tmp_path):
    DocBin(docs=[gold] * 40).to_disk(tmp_path / "train.spacy")
    nlp = make_nlp()

    def headlines(level, upper, seed=0):
        augmenter = registry.augmenters.get("attache.headline_case.v1")(level=level, upper=upper, seed=seed)
        return [eg.reference.text.split("\n")[0] for eg in Corpus(tmp_path / "train.spacy", augmenter=augmenter)(nlp)]

    assert set(headlines(0.0, 0.5)) == {HEADLINE}
    assert set(headlines(1.0, 1.0)) == {HEADLINE.upper()}
    mixed = headlines(0.5, 0.5)
    assert mixed == headlines(0.5, 0.5) and len(set(mixed)) == 3  # as it was, Title Case, capitals
    for eg in Corpus(tmp_path / "train.spacy", augmenter=make_headline_case(1.0, 0.5))(nlp):
        assert ents(eg.reference) == ents(gold) and eg.predicted.text == eg.reference.text


def test_a_share_outside_0_and_1_is_refused():
    with pytest.raises(AttacheError) as err:
        make_headline_case(1.5)
    assert err.value.code == "E114" and "level=1.5" in str(err.value)
