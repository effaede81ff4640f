"""attache_span_ruler: spaCy's span_ruler, matching names across the
whitespace of real text (attache.training.ruler)."""
import subprocess
import sys

import pytest
import spacy
from spacy.language import Language

from attache.tokenizer import customize_tokenizer
from attache.training.ruler import DEFAULT_CONFIG

from conftest import REPO

PATTERNS = [{"label": "INTL_ORG", "pattern": "European Commission", "id": "EC"},
            {"label": "GPE", "pattern": [{"LOWER": "republic"}, {"LOWER": "of"}, {"ORTH": "Korea"}]}]


@pytest.fixture(scope="module")
def nlp():
    nlp = customize_tokenizer(spacy.blank("en"))
    nlp.add_pipe("attache_span_ruler", config={"spans_key": "rules", "annotate_ents": True}).add_patterns(PATTERNS)
    return nlp


@pytest.mark.parametrize("space", [" ", "\u00a0", "  ", "\t", "\u00a0 "])
def test_a_name_is_matched_across_an_odd_space(nlp, space):
    text = f"The European{space}Commission and the Republic of{space}Korea signed."
    doc = nlp(text)
    assert [(e.text, e.label_) for e in doc.ents] == [(f"European{space}Commission", "INTL_ORG"), (f"Republic of{space}Korea", "GPE")]
    assert doc.ents[0].id_ == "EC"
    assert [(s.start_char, s.end_char) for s in doc.spans["rules"]] == [(e.start_char, e.end_char) for e in doc.ents]


@pytest.mark.parametrize("space", ["\n", " \n", "\n\u00a0"])
def test_a_phrase_is_matched_across_a_line_break_and_a_token_pattern_is_not(nlp, space):
    doc = nlp(f"The European{space}Commission and the Republic of{space}Korea signed.")
    assert [(e.text, e.label_) for e in doc.ents] == [(f"European{space}Commission", "INTL_ORG")]


def test_an_open_ended_token_pattern_stops_at_the_end_of_a_line():
    nlp = customize_tokenizer(spacy.blank("en"))
    nlp.add_pipe("attache_span_ruler", config={"annotate_ents": True}).add_patterns([
        {"label": "AGREEMENT", "pattern": [{"ORTH": "Agreement"}, {"ORTH": "for"}, {"TEXT": {"REGEX": "^[A-Z-]"}, "OP": "+"}]},
        {"label": "GPE", "pattern": "Valparaíso"}])
    doc = nlp("Signing of the Agreement for Pacific Partnership\nValparaíso, 3 May")
    assert [(e.text, e.label_) for e in doc.ents] == [("Agreement for Pacific Partnership", "AGREEMENT"), ("Valparaíso", "GPE")]


def test_spacy_span_ruler_misses_them(nlp):
    plain = customize_tokenizer(spacy.blank("en"))
    plain.add_pipe("span_ruler", config={"annotate_ents": True}).add_patterns(PATTERNS)
    assert plain("The European\u00a0Commission met.").ents == ()
    assert [e.text for e in nlp("The European\u00a0Commission met.").ents] == ["European\u00a0Commission"]


def test_no_match_joins_two_paragraphs(nlp):
    assert nlp("Talks with the European\n\nCommission ended.").ents == ()


def test_it_saves_and_loads_as_a_span_ruler_does(nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.get_pipe_meta("attache_span_ruler").factory == "attache_span_ruler"
    assert [e.text for e in loaded("in the European\nCommission").ents] == ["European\nCommission"]


def test_its_defaults_are_the_span_rulers():
    spacy.blank("en").add_pipe("span_ruler")  # spaCy registers its own factories on first use
    assert DEFAULT_CONFIG == Language.get_factory_meta("span_ruler").default_config


def test_its_module_imports_on_its_own_as_a_packaged_pipeline_imports_it():
    """`spacy package --code` and a packaged pipeline import the module in a
    fresh process, before spaCy has registered its factories."""
    code = ("import spacy.util; spacy.util.import_file('ruler', %r); import spacy; nlp = spacy.blank('en'); "
            "nlp.add_pipe('attache_span_ruler', config={'annotate_ents': True}).add_patterns([{'label': 'GPE', 'pattern': 'New York'}]); "
            "print([e.text for e in nlp('In New\\u00a0York.').ents])") % str(REPO / "src" / "attache" / "training" / "ruler.py")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['New\\xa0York']"
