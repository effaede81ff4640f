"""Several NERs in one pipeline, and a vote over their entities."""
import pytest
import spacy
from spacy.tokens import Span

from attache.errors import AttacheError
from attache.markup import parse
from attache.training.ensemble import assemble_vote, listener_paths
from attache.training.vote import needed_votes, voted

from conftest import SENTENCES

TEXTS = [
    "Kazakh Foreign Minister Murat Nurtleu met OSCE officials in Vienna on Monday.",
    "Finnish Ambassador Elina Valtonen visited Astana in June 2024 with the World Bank.",
    "Reuters said the Ministry of Foreign Affairs of Uzbekistan hosted the SCO Summit.",
]


def test_a_span_needs_more_than_half_of_the_votes_unless_told_otherwise():
    assert needed_votes(2, None) == 2 and needed_votes(3, None) == 2 and needed_votes(4, None) == 3
    for n, min_votes in ((2, 3), (2, 0), (0, None)):
        with pytest.raises(ValueError):
            needed_votes(n, min_votes)


def test_the_span_is_voted_on_and_the_label_goes_to_most_votes_then_to_the_first_group():
    a, b, c = [(0, 1, "GPE"), (2, 4, "PERSON")], [(0, 1, "GPE"), (2, 4, "ROLE")], [(0, 1, "NORP"), (2, 4, "ROLE"), (5, 6, "DATE")]
    assert voted([a, b], 2) == [(0, 1, "GPE"), (2, 4, "PERSON")]  # two NERs: both hold the span, the first names it
    assert voted([b, a], 2) == [(0, 1, "GPE"), (2, 4, "ROLE")]
    assert voted([a, b, c], 2) == [(0, 1, "GPE"), (2, 4, "ROLE")]  # three: two of them name it ROLE
    assert voted([a, b, c], 1) == [(0, 1, "GPE"), (2, 4, "ROLE"), (5, 6, "DATE")]
    assert voted([a + a, []], 2) == []  # a group repeating a span still counts once


def test_with_same_label_a_span_counts_only_with_the_same_label():
    a, b, c = [(0, 1, "GPE"), (2, 4, "PERSON")], [(0, 1, "GPE"), (2, 4, "ROLE")], [(0, 1, "NORP"), (2, 4, "PERSON"), (5, 6, "DATE")]
    assert voted([a, b], 2, same_label=True) == [(0, 1, "GPE")]
    assert voted([a, b, c], 2, same_label=True) == [(0, 1, "GPE"), (2, 4, "PERSON")]
    assert voted([a, b, c], 1, same_label=True) == sorted({*a, *b, *c})


def test_the_vote_component_sets_the_agreed_entities_and_the_longer_of_overlapping_ones():
    nlp = spacy.blank("en")
    vote = nlp.add_pipe("attache_vote_ents", config={"spans_keys": ["a", "b", "c"], "same_label": True})
    doc = nlp.make_doc("The Bank of China lent Kenya money")
    doc.spans["a"] = [Span(doc, 1, 4, "ORG"), Span(doc, 5, 6, "GPE")]
    doc.spans["b"] = [Span(doc, 3, 4, "GPE"), Span(doc, 5, 6, "GPE")]
    doc.spans["c"] = [Span(doc, 1, 4, "ORG"), Span(doc, 3, 4, "GPE"), Span(doc, 5, 6, "NORP")]
    assert [(e.text, e.label_) for e in vote(doc).ents] == [("Bank of China", "ORG"), ("Kenya", "GPE")]


def test_listeners_are_found_where_the_config_puts_them():
    cnn = {"@architectures": "spacy.TransitionBasedParser.v2", "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 96}}
    trf = {"tok2vec": {"@layers": "concatenate.v1", "*": {"transformer": {"@architectures": "spacy-transformers.TransformerListener.v1"},
                                                          "cased": {"@architectures": "spacy.Tok2Vec.v2"}}}}
    assert listener_paths(cnn) == ["model.tok2vec"]
    assert listener_paths(trf) == ["model.tok2vec.*.transformer"]


@pytest.mark.slow
def test_each_ner_keeps_its_own_predictions_and_the_entities_are_their_vote(tmp_path, smoke_model, second_smoke_model):
    first, second = spacy.load(smoke_model.promoted), spacy.load(second_smoke_model.promoted)
    for min_votes, same_label in ((None, False), (None, True), (1, False)):
        out = tmp_path / f"vote-{min_votes}-{same_label}"
        info = assemble_vote([smoke_model.promoted, second_smoke_model.promoted], out, min_votes=min_votes, same_label=same_label)
        assert info["pipeline"] == ["tok2vec", "ner", "stash_ner", "ner_2", "stash_ner_2", "vote"]
        nlp = spacy.load(out)  # saved and loaded again: the second NER carries its own copy of its tok2vec
        assert nlp.get_pipe("vote").needed == (2 if min_votes is None else 1)
        for text in TEXTS + [parse(marked)[0] for marked in SENTENCES]:
            doc = nlp(text)
            ents = {name: [(e.start, e.end, e.label_) for e in model(text).ents] for name, model in (("ner", first), ("ner_2", second))}
            assert [(s.start, s.end, s.label_) for s in doc.spans["ner"]] == ents["ner"]
            assert [(s.start, s.end, s.label_) for s in doc.spans["ner_2"]] == ents["ner_2"]
            expected = voted(list(ents.values()), info["min_votes"], same_label)
            if min_votes is None:
                assert [(e.start, e.end, e.label_) for e in doc.ents] == expected
            else:  # the union, overlaps resolved longest first
                assert {(e.start, e.end, e.label_) for e in doc.ents} <= set(expected)
                assert all(any(e.start < s[1] and s[0] < e.end for e in doc.ents) for s in expected)
    meta = spacy.load(tmp_path / "vote-None-False").meta["attache_vote"]
    assert [m["component"] for m in meta["members"]] == ["ner", "ner_2"] and meta["min_votes"] == 2 and meta["same_label"] is False


@pytest.mark.slow
def test_the_rules_merge_with_the_vote_as_with_one_ner(smoke_vote_with_rules):
    nlp = spacy.load(smoke_vote_with_rules)
    assert nlp.pipe_names[:2] == ["respace", "rules"] and nlp.pipe_names[-3:] == ["vote", "merge_rules", "unrespace"]
    text = "Kazakh Foreign Minister Murat Nurtleu met the Economic Community of West African States in Ouagadougou on Monday."
    found = [(e.text, e.label_) for e in nlp(text).ents]
    assert ("Ouagadougou", "GPE") in found and ("Economic Community of West African States", "INTL_ORG") in found


@pytest.mark.slow
def test_a_vote_is_refused_for_one_model_for_a_model_with_rules_or_for_too_many_votes(tmp_path, smoke_model, smoke_model_with_rules, second_smoke_model):
    models = [smoke_model.promoted, second_smoke_model.promoted]
    with pytest.raises(AttacheError, match="E121"):
        assemble_vote(models[:1], tmp_path / "one")
    with pytest.raises(AttacheError, match="E121"):
        assemble_vote(models, tmp_path / "three", min_votes=3)
    with pytest.raises(AttacheError, match="E111") as err:
        assemble_vote([smoke_model.promoted, smoke_model_with_rules], tmp_path / "rules")
    assert str(smoke_model_with_rules) in str(err.value) and "merge_rules" in str(err.value)
    assert not (tmp_path / "rules").exists()


@pytest.mark.slow
def test_models_with_other_labels_are_refused(tmp_path, smoke_model, tiny_corpus):
    """A pipeline initialised (not trained) on a corpus of two labels."""
    from spacy.training.initialize import init_nlp
    from spacy.util import load_config

    from conftest import REPO, make_docbin

    corpus = make_docbin([s for s in SENTENCES if "EVENT" not in s and "MONEY" not in s], tmp_path / "fewer.spacy")
    config = load_config(REPO / "configs" / "ner_smoke.cfg", overrides={"paths.train": str(corpus), "paths.dev": str(corpus)})
    init_nlp(config).to_disk(tmp_path / "fewer")
    with pytest.raises(AttacheError, match="E123") as err:
        assemble_vote([smoke_model.promoted, tmp_path / "fewer"], tmp_path / "out")
    assert "EVENT" in str(err.value) and "MONEY" in str(err.value)


def test_the_cli_refuses_a_vote_it_cannot_hold_in_one_coded_line(tmp_path):
    from typer.testing import CliRunner

    from attache.cli import app

    runner = CliRunner()
    one = runner.invoke(app, ["vote", str(tmp_path / "model-best"), "--out", str(tmp_path / "out")])
    assert one.exit_code == 1 and "[E121] A vote needs at least two models, got 1" in one.output and "Traceback" not in one.output
    three = runner.invoke(app, ["vote", str(tmp_path / "a"), str(tmp_path / "b"), "--min-votes", "3", "--out", str(tmp_path / "out")])
    assert three.exit_code == 1 and "[E121]" in three.output and "between 1 and 2" in three.output
    assert not (tmp_path / "out").exists()
