"""What the rules found, as NER features: one hashed label per token and group."""
import json
import subprocess
import sys
from pathlib import Path

import numpy
import pytest
import spacy
from spacy.strings import get_string_id
from spacy.tokens import Span

from attache.training.span_features import OUTSIDE, make_span_features, span_feature_ids


SENTENCE = "Kazakh Foreign Minister Murat Nurtleu met OSCE officials in Vienna on Monday."


@pytest.fixture
def doc():
    doc = spacy.blank("en")("Kazakh Foreign Minister Murat Nurtleu met OSCE officials in Vienna")
    doc.spans["rules"] = [Span(doc, 1, 3, "ROLE"), Span(doc, 2, 3, "ROLE"), Span(doc, 6, 7, "INTL_ORG"), Span(doc, 9, 10, "GPE")]
    doc.spans["base"] = [Span(doc, 0, 1, "NORP"), Span(doc, 3, 5, "PERSON")]
    return doc


def test_tokens_get_begin_inside_or_outside_per_group(doc):
    ids = span_feature_ids(doc, ["rules", "base"])
    assert ids.shape == (len(doc), 2) and ids.dtype == numpy.uint64
    b, i = (lambda label: get_string_id(f"B-{label}")), (lambda label: get_string_id(f"I-{label}"))
    assert list(ids[:, 0]) == [OUTSIDE, b("ROLE"), i("ROLE"), OUTSIDE, OUTSIDE, OUTSIDE, b("INTL_ORG"), OUTSIDE, OUTSIDE, b("GPE")]
    assert list(ids[:, 1]) == [b("NORP"), OUTSIDE, OUTSIDE, b("PERSON"), i("PERSON"), OUTSIDE, OUTSIDE, OUTSIDE, OUTSIDE, OUTSIDE]


def test_the_longest_of_overlapping_spans_gives_the_feature(doc):
    """'Foreign Minister' and 'Minister' both matched: the token reads
    I-ROLE of the longer span, not B-ROLE of the shorter one."""
    assert span_feature_ids(doc, ["rules"])[2, 0] == get_string_id("I-ROLE")


def test_a_missing_group_reads_as_outside(doc):
    assert set(span_feature_ids(doc, ["not-filled"])[:, 0]) == {OUTSIDE}


def test_the_layer_gives_width_numbers_per_group_for_each_token(doc):
    model = make_span_features(["rules", "base"], width=8, rows=64)
    model.initialize()
    vectors = model.predict([doc, doc[:4].as_doc()])
    assert [v.shape for v in vectors] == [(len(doc), 16), (4, 16)]
    same_label_tokens = vectors[0][6], vectors[0][9]  # B-INTL_ORG vs B-GPE in group 1, O in group 2
    assert not numpy.allclose(same_label_tokens[0][:8], same_label_tokens[1][:8])
    assert numpy.allclose(same_label_tokens[0][8:], same_label_tokens[1][8:])


def test_no_group_is_a_coded_error():
    with pytest.raises(ValueError, match="E115"):
        make_span_features([])


@pytest.mark.slow
def test_the_groups_are_filled_before_the_ner_in_training_and_prediction(features_model):
    nlp = spacy.load(features_model)
    config = nlp.config
    assert config["training"]["annotating_components"] == nlp.pipe_names[: nlp.pipe_names.index("ner") - 1] == ["base_ner", "base_collect", "rule_spans"]
    doc = nlp(SENTENCE)
    assert [(s.text, s.label_) for s in doc.spans["attache_rules"] if s.text == "OSCE"] == [("OSCE", "INTL_ORG")]
    assert "attache_base" in doc.spans
    assert ("Vienna", "GPE") in [(e.text, e.label_) for e in doc.ents]


@pytest.mark.slow
def test_a_packaged_features_model_loads_without_the_workbench(tmp_path, features_model, scheme):
    """The wheel carries the modules of the feature layer and the collecting
    component; with attache made unimportable it loads and tags the same."""
    from attache.package import package

    wheel = package(features_model, tmp_path / "packages", scheme, name="features_ner", version="0.0.1")
    assert sorted(p.name for p in (wheel.package_dir / "en_features_ner").glob("*.py")) == ["__init__.py", "components.py", "ruler.py", "span_features.py"]
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel.wheel)], check=True)
    # this venv's packages without the workbench (no module, no entry points)
    clean = tmp_path / "clean-site"
    clean.mkdir()
    for entry in Path(spacy.__file__).parents[1].iterdir():
        if not entry.name.startswith(("attache", "__editable__")):
            (clean / entry.name).symlink_to(entry)
    script = (
        "import json, sys\n"
        f"sys.path[:0] = [{str(target)!r}, {str(clean)!r}]\n"
        "sys.modules['attache'] = None  # any import of the workbench fails\n"
        "import spacy\n"
        "nlp = spacy.load('en_features_ner')\n"
        f"print(json.dumps([[e.text, e.label_] for e in nlp({SENTENCE!r}).ents]))\n"
    )
    out = subprocess.run([sys.executable, "-S", "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [[e.text, e.label_] for e in spacy.load(features_model)(SENTENCE).ents]
