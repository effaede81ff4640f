"""The workbench's tokenizer rules: news shapes that spaCy's English
tokenizer keeps in one token are split, so annotated entities align."""
import pytest
import spacy

from attache.tokenizer import make_nlp

from conftest import REPO


def tokens(text):
    return [t.text for t in make_nlp("en")(text)]


@pytest.mark.parametrize("text, expected", [
    ("U.S.-led talks", ["U.S.", "-", "led", "talks"]),
    ("(MENAFN-Xinhua) Beijing", ["(", "MENAFN", "-", "Xinhua", ")", "Beijing"]),
    ("met Marcos Jr.. Then", ["met", "Marcos", "Jr.", ".", "Then"]),
    ("posted on X. Then", ["posted", "on", "X", ".", "Then"]),
    ("a grant of £1m. The", ["a", "grant", "of", "£", "1", "m", ".", "The"]),
    ("it cost $2.5m. The", ["it", "cost", "$", "2.5", "m", ".", "The"]),
    ("under the JCPoA. The", ["under", "the", "JCPoA", ".", "The"]),
    ("MOSCOW, May 5. /TASS/. The", ["MOSCOW", ",", "May", "5", ".", "/", "TASS", "/", ".", "The"]),
])
def test_news_shapes_split_where_an_entity_ends(text, expected):
    assert tokens(text) == expected


@pytest.mark.parametrize("text", ["posted on X. Then", "a grant of £1m. The", "under the JCPoA. The", "May 5. /TASS/. The"])
def test_spacys_own_tokenizer_keeps_these_in_one_token(text):
    """The reason for the rules: without them the entity cannot align."""
    assert len(spacy.blank("en")(text)) < len(tokens(text))


@pytest.mark.parametrize("text, expected", [
    ("the U.S. said", ["the", "U.S.", "said"]),
    ("Mr. Smith", ["Mr.", "Smith"]),
    ("at 5 p.m. on", ["at", "5", "p.m.", "on"]),
    ("e.g. this", ["e.g.", "this"]),
    ("a Ph.D. student", ["a", "Ph.D.", "student"]),
    ("wait... then", ["wait", "...", "then"]),
    ("and/or 24/7", ["and/or", "24/7"]),
    ("see https://tass.com/world now", ["see", "https://tass.com/world", "now"]),
])
def test_abbreviations_and_ellipses_stay_whole(text, expected):
    assert tokens(text) == expected


def test_an_initial_and_its_full_stop_are_two_tokens_inside_a_name():
    assert tokens("President J. Smith") == ["President", "J", ".", "Smith"]


def test_the_conversion_tokenizer_gives_the_pipelines_tokens():
    """Corpus conversion tokenises with a faster copy (no lexical attributes,
    a larger cache): on the shipped articles, tokens and spaces are the same,
    also on a second pass, when chunks come from its cache."""
    from attache.tokenizer import conversion_nlp

    texts = [p.read_text(encoding="utf8") for p in sorted((REPO / "corpus" / "raw").glob("*.txt"))[:80]]
    texts += ["Mr. Smith met the U.S. envoy (MENAFN-Xinhua)... on X. £1m. /TASS/. JCPoA."] * 2
    assert len(texts) > 50
    fast, pipeline = conversion_nlp("en"), make_nlp("en")
    for _ in range(2):
        for text in texts:
            assert [(t.text, t.whitespace_) for t in fast.make_doc(text)] == [(t.text, t.whitespace_) for t in pipeline.make_doc(text)]
    assert not fast.vocab.lex_attr_getters and fast.tokenizer.max_cache_size > pipeline.tokenizer.max_cache_size


@pytest.mark.parametrize("text, expected", [
    ("Minister\u200b Lavrov", ["Minister", "\u200b", "Lavrov"]),  # a zero-width space before the space (scraped HTML)
    ("Minister\u200bLavrov", ["Minister", "\u200b", "Lavrov"]),  # ... or instead of it: a break between words
    ("\ufeffAstana (UN)", ["\ufeff", "Astana", "(", "UN", ")"]),  # a byte-order mark at the start of a text
    ("in Astana\u200e, Kazakhstan", ["in", "Astana", "\u200e", ",", "Kazakhstan"]),  # a direction mark
    ("Kazakh\u00adstan and \u2060Astana", ["Kazakh\u00adstan", "and", "\u2060", "Astana"]),  # a soft hyphen inside a word stays
])
def test_invisible_characters_are_split_off_a_words_edges(text, expected):
    """So an entity's edges fall on the word itself; ``attache_respace``
    reads what is left inside a word ("Kazakh\\u00adstan") without them."""
    assert tokens(text) == expected
    assert len(spacy.blank("en")(text)) < len(expected)  # spaCy's own keeps them on the word
