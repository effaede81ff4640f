"""Aligning character spans to tokens: every span exact, or each one accounted for."""
from attache.corpus.align import TokenIndex, align
from attache.corpus.tasks import Result
from attache.tokenizer import make_nlp

TEXT = "Kazakhstan and Finland met in Astana on Monday."


def spans(*offsets):
    return [Result(f"r{i}", start, end, label, None) for i, (start, end, label) in enumerate(offsets)]


def run(text, results):
    return align(TokenIndex(make_nlp().make_doc(text)), text, 1, results)


def test_spans_on_token_boundaries_become_entities_with_nothing_to_report():
    ents, missing, outcomes, exact = run(TEXT, spans((0, 10, "GPE"), (30, 36, "GPE"), (15, 22, "GPE")))
    assert ents == [(0, 1, "GPE"), (5, 6, "GPE"), (2, 3, "GPE")]  # input order
    assert (missing, outcomes, exact) == ([], [], 3)


def test_one_span_that_needs_trimming_leaves_the_others_exact():
    ents, missing, outcomes, exact = run(TEXT, spans((0, 10, "GPE"), (29, 36, "GPE")))
    assert ents == [(0, 1, "GPE"), (5, 6, "GPE")] and exact == 1
    assert [(o.result_id, o.status, o.new_start) for o in outcomes] == [("r1", "trimmed", 30)]


def test_a_span_ending_inside_a_token_is_quarantined_and_its_tokens_marked_missing():
    ents, missing, outcomes, exact = run(TEXT, spans((0, 10, "GPE"), (30, 34, "GPE")))
    assert ents == [(0, 1, "GPE")] and exact == 1
    assert missing == [(5, 6)] and [o.status for o in outcomes] == ["quarantined"]


def test_two_exact_spans_sharing_a_token_keep_the_first():
    # parse_task refuses overlaps within one annotation; align still never writes two entities on a token
    ents, missing, outcomes, exact = run(TEXT, spans((0, 22, "ORG"), (15, 22, "GPE")))
    assert ents == [(0, 3, "ORG")] and exact == 1
    assert [(o.result_id, o.status, o.reason) for o in outcomes] == [("r1", "quarantined", "its tokens 'Finland' overlap another span")]


def test_invisible_characters_at_a_spans_edges_are_trimmed_like_whitespace():
    text = "Kazakhstan\u200b and Finland met in \ufeffAstana."
    ents, missing, outcomes, exact = run(text, spans((0, 11, "GPE"), (16, 23, "GPE"), (31, 38, "GPE")))
    assert ents == [(0, 1, "GPE"), (3, 4, "GPE"), (7, 8, "GPE")] and exact == 1 and missing == []
    assert [(o.result_id, o.status, o.new_start, o.new_end) for o in outcomes] == [("r0", "trimmed", 0, 10), ("r2", "trimmed", 32, 38)]


def test_a_span_of_invisible_characters_only_is_quarantined():
    text = "Kazakhstan\u200b and Finland."
    ents, missing, outcomes, exact = run(text, spans((0, 10, "GPE"), (10, 11, "GPE")))
    assert ents == [(0, 1, "GPE")] and exact == 1
    assert [(o.result_id, o.status, o.reason) for o in outcomes] == [("r1", "quarantined", "span is only whitespace or invisible characters")]
