import pytest

from attache.errors import AttacheError
from attache.patterns import load_patterns, pattern_conflicts, read_pattern_file, with_caps_variants

from conftest import REPO

PATTERN_FILES = sorted((REPO / "configs" / "patterns").glob("*.jsonl"))


@pytest.mark.parametrize("path", PATTERN_FILES, ids=lambda p: p.name)
def test_patterns_file_parses_with_scheme_labels(path, scheme):
    patterns = read_pattern_file(path)
    assert patterns
    assert {p["label"] for p in patterns} <= set(scheme.names)


def test_patterns_have_no_duplicate_or_conflicting_phrases(scheme):
    assert pattern_conflicts(load_patterns(REPO / "configs" / "patterns", scheme.names)) == {}


def test_patterns_bad_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"label": "GPE", "pattern": "Astana"}\n{"label": "GPE"}\n')
    with pytest.raises(AttacheError, match=r"E031.*bad.jsonl:2"):
        read_pattern_file(path)


def test_patterns_unknown_label_is_refused(tmp_path, scheme):
    path = tmp_path / "p.jsonl"
    path.write_text('{"label": "CITY", "pattern": "Astana"}\n')
    with pytest.raises(AttacheError, match="CITY"):
        load_patterns(path, scheme.names)


def test_patterns_agree_with_every_example_in_the_guidelines():
    """A gazetteer phrase the guidelines give as an example span gets the
    guidelines' label: each `[phrase]{LABEL}` of annotation/GUIDELINES.md,
    run through the rules alone, is matched with that label or not at all."""
    import re

    import spacy

    from attache.tokenizer import customize_tokenizer
    from attache.training.rules import RULES_KEY, rules_merged

    examples = set(re.findall(r"\[([^\[\]{}]+)\]\{([A-Z_]+)\}", (REPO / "annotation" / "GUIDELINES.md").read_text(encoding="utf8")))
    assert len(examples) > 100
    nlp = customize_tokenizer(spacy.blank("en"))  # make_nlp()'s pipeline is shared: no components on it
    rules_merged(nlp, with_caps_variants(load_patterns(REPO / "configs" / "patterns"), ("GPE",)))
    disagree = []
    for phrase, label in sorted(examples):
        doc = nlp(phrase)
        disagree += [(phrase, label, m.label_, m.id_) for m in doc.spans[RULES_KEY] if (m.start_char, m.end_char) == (0, len(phrase)) and m.label_ != label]
    assert disagree == []
