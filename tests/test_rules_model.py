"""The shipped model: gazetteer rules merged with the fine-tuned NER."""
import pytest
import spacy
from spacy.tokens import Span

from attache.errors import AttacheError
from attache.training.merge import longest_then_rules
from attache.training.rules import MERGER, RULER, RULES_KEY, add_rules


def test_rules_match_first_and_are_merged_last_and_saved_inside_the_pipeline(smoke_model_with_rules):
    nlp = spacy.load(smoke_model_with_rules)
    # the rules need only tokens (they load without running the other components over their patterns);
    # all of it reads odd spaces and hard wraps as single spaces
    assert nlp.pipe_names[:2] == ["respace", RULER] and nlp.pipe_names[-2:] == [MERGER, "unrespace"]
    assert nlp.get_pipe_meta(MERGER).factory == "attache_merge_rules" and nlp.get_pipe_config("respace")["line_breaks"] == "wrapped"
    assert nlp.get_pipe_config(RULER)["annotate_ents"] is False and nlp.get_pipe_config(RULER)["spans_key"] == RULES_KEY
    assert len(nlp.get_pipe(RULER).patterns) > 7000  # the gazetteers, with upper-case GPE variants for datelines
    assert (smoke_model_with_rules / RULER / "patterns").stat().st_size > 100_000  # saved with the pipeline


def test_merge_keeps_the_longer_span_and_the_rules_label_on_the_same_span():
    doc = spacy.blank("en")("The Bank of China lent Kenya money on Monday in Nairobi")
    ner = [Span(doc, 1, 4, "ORG"), Span(doc, 5, 6, "NORP"), Span(doc, 8, 9, "DATE")]
    rules = [Span(doc, 3, 4, "GPE"), Span(doc, 5, 6, "GPE"), Span(doc, 7, 9, "EVENT"), Span(doc, 10, 11, "GPE")]
    assert [(s.text, s.label_) for s in longest_then_rules(ner, rules)] == [
        ("Bank of China", "ORG"),  # the NER's longer span over the rule's "China"
        ("Kenya", "GPE"),  # the same span: the rule's label
        ("on Monday", "EVENT"),  # the rule's longer span over the NER's "Monday"
        ("Nairobi", "GPE"),  # where the NER found nothing: the rule
    ]


def test_rules_add_what_the_ner_never_saw_and_the_ner_fills_the_rest(smoke_model, smoke_model_with_rules):
    """The smoke model was trained on ten sentences: it cannot know
    Ouagadougou or ECOWAS's full name, the gazetteers do; the person and the
    date around them still come from the NER. The entities are exactly the
    NER's own merged with the rules' matches (what a ten-sentence model
    makes of "Ouagadougou" depends on its weights, so that is not pinned)."""
    text = "Kazakh Foreign Minister Murat Nurtleu met the Economic Community of West African States in Ouagadougou on Monday."
    doc = spacy.load(smoke_model_with_rules)(text)
    matches = [(s.text, s.label_) for s in doc.spans[RULES_KEY]]
    assert ("Ouagadougou", "GPE") in matches and ("Economic Community of West African States", "INTL_ORG") in matches
    ner_alone = spacy.load(smoke_model.promoted)(text).ents
    as_here = [doc.char_span(e.start_char, e.end_char, label=e.label_) for e in ner_alone]
    assert [(e.start, e.end, e.label_) for e in doc.ents] == [(e.start, e.end, e.label_) for e in longest_then_rules(as_here, doc.spans[RULES_KEY])]
    with_rules = [(e.text, e.label_) for e in doc.ents]
    assert ("Economic Community of West African States", "INTL_ORG") in with_rules
    assert ("Economic Community of West African States", "INTL_ORG") not in [(e.text, e.label_) for e in ner_alone]
    assert ("Murat Nurtleu", "PERSON") in with_rules and ("Monday", "DATE") in with_rules


def test_the_shipped_model_reads_no_break_spaces_and_hard_wraps_as_plain_spaces(smoke_model_with_rules):
    """Same length, same offsets: whatever the model finds in the clean
    text, it finds at the same characters when the spaces are no-break
    spaces or the lines are wrapped at 40 columns (a space made a newline)."""
    import textwrap

    text = ("Kazakh Foreign Minister Murat Nurtleu met the Economic Community of West African States in Ouagadougou "
            "on Monday, and the Foreign Minister of Kenya flew to Vienna on Tuesday for talks with OSCE officials.")
    wrapped = textwrap.fill(text, 40)
    assert len(wrapped) == len(text) and wrapped.count("\n") > 3
    nlp = spacy.load(smoke_model_with_rules)
    found = [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]
    assert found and [(e.start_char, e.end_char, e.label_) for e in nlp(text.replace(" ", "\u00a0")).ents] == found
    assert [(e.start_char, e.end_char, e.label_) for e in nlp(wrapped).ents] == found


@pytest.mark.parametrize("kind", ["zwsp", "shy"])
def test_the_shipped_model_reads_invisible_characters_as_a_space_or_nothing(smoke_model_with_rules, kind):
    """What the model finds in clean text it finds on the same words when a
    zero-width space follows every word, or a soft hyphen splits every long
    one (the entities carried to the new offsets by ``attache.evaluate.variants``)."""
    import random

    from attache.evaluate.variants import respaced

    nlp = spacy.load(smoke_model_with_rules)
    clean = nlp("Kazakh Foreign Minister Murat Nurtleu met the Economic Community of West African States in Ouagadougou "
                "on Monday, and the Foreign Minister of Kenya flew to Vienna on Tuesday for talks with OSCE officials.")
    assert len(clean.ents) > 3
    expected = respaced(clean, kind, 1.0, random.Random(0), nlp)
    assert expected.text != clean.text
    assert [(e.start_char, e.end_char, e.label_) for e in nlp(expected.text).ents] == [(e.start_char, e.end_char, e.label_) for e in expected.ents]


def test_rules_are_not_added_twice(tmp_path, smoke_model_with_rules):
    with pytest.raises(AttacheError) as err:
        add_rules(smoke_model_with_rules, tmp_path / "again")
    assert err.value.code == "E111"


def test_rules_placed_after_the_ner_merge_with_its_entities_and_the_longer_span_wins(smoke_model):
    """The other order, which scripts/rules_ablation.py compares with the shipped one."""
    from attache.training.rules import rules_after

    nlp = spacy.load(smoke_model.promoted)
    text = "Kazakh Foreign Minister Murat Nurtleu arrived in Ouagadougou on Monday."
    ner = [(e.text, e.label_) for e in nlp(text).ents]
    assert ("Monday", "DATE") in ner and ("Ouagadougou on Monday", "EVENT") not in ner
    rules_after(nlp, [{"label": "ORG", "pattern": "Monday"}, {"label": "EVENT", "pattern": "Ouagadougou on Monday"}])
    assert nlp.pipe_names[-1] == RULER
    merged = [(e.text, e.label_) for e in nlp(text).ents]
    assert ("Ouagadougou on Monday", "EVENT") in merged  # longer than the NER's entities there
    assert ("Murat Nurtleu", "PERSON") in merged  # the NER's entities elsewhere stay
    nlp.remove_pipe(RULER)
    rules_after(nlp, [{"label": "ORG", "pattern": "Monday"}])
    assert ("Monday", "DATE") in [(e.text, e.label_) for e in nlp(text).ents]  # same length: the NER's entity stays


def test_rules_go_after_components_that_would_clear_their_entities(features_model):
    """A model of ner_trf_features.cfg collects its base model's entities
    into a span group and clears doc.ents before the NER: rules put first
    would be erased, so they go after those components, still in front of
    the transformer and the NER."""
    from attache.training.rules import rules_in_front

    nlp = spacy.load(features_model)
    rules_in_front(nlp, [{"label": "EVENT", "pattern": "Vienna on Monday"}])
    assert nlp.pipe_names == ["base_ner", "base_collect", "rule_spans", RULER, "tok2vec", "ner"]
    assert ("Vienna on Monday", "EVENT") in [(e.text, e.label_) for e in nlp("Murat Nurtleu met OSCE officials in Vienna on Monday.").ents]
