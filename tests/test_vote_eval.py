"""scripts/vote_eval.py never drops a span silently (the vote itself is
``attache.training.vote.voted``, tests/test_vote.py)."""
import importlib.util

import pytest
import spacy

from conftest import REPO

_spec = importlib.util.spec_from_file_location("vote_eval", REPO / "scripts" / "vote_eval.py")
vote_eval = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(vote_eval)


def test_a_span_off_the_token_edges_is_an_error_not_a_drop():
    doc = spacy.blank("en")("Talks in Geneva ended.")
    assert vote_eval.offsets(vote_eval.as_spans(doc, [(9, 15, "GPE")])) == [(9, 15, "GPE")]
    with pytest.raises(ValueError, match="'Gene'"):
        vote_eval.as_spans(doc, [(9, 13, "GPE")])
