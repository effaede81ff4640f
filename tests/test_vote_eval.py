"""scripts/vote_eval.py counts an entity when more than half of the models
predict exactly that span and label, and never drops a span silently."""
import importlib.util

import pytest
import spacy

from conftest import REPO

_spec = importlib.util.spec_from_file_location("vote_eval", REPO / "scripts" / "vote_eval.py")
vote_eval = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(vote_eval)


def test_an_entity_counts_when_more_than_half_of_the_models_predict_it():
    a = [(0, 5, "GPE"), (10, 14, "ORG")]
    b = [(0, 5, "GPE"), (10, 14, "GOV_ORG")]
    c = [(0, 5, "LOC"), (10, 14, "ORG"), (20, 25, "DATE")]
    assert vote_eval.majority([a, b, c]) == [(0, 5, "GPE"), (10, 14, "ORG")]
    assert vote_eval.majority([a, b]) == [(0, 5, "GPE")]  # two models: both must agree
    assert vote_eval.majority([a, a + a]) == a  # a model's duplicate is one vote


def test_a_span_off_the_token_edges_is_an_error_not_a_drop():
    doc = spacy.blank("en")("Talks in Geneva ended.")
    assert vote_eval.offsets(vote_eval.as_spans(doc, [(9, 15, "GPE")])) == [(9, 15, "GPE")]
    with pytest.raises(ValueError, match="'Gene'"):
        vote_eval.as_spans(doc, [(9, 13, "GPE")])
