"""Tokenizer rules for news text, shared by the corpus converter and every
pipeline the workbench trains or assembles.

spaCy's English tokenizer leaves a few shapes of news text in one token,
so annotated entities inside them cannot align: "U.S.-led", "(MENAFN-
Xinhua)", "Marcos Jr..", a sentence-final "X." (the platform), "£1m." (the
money ends before the full stop), "JCPoA." or TASS's "/TASS/.". The callback
``attache.tokenizer_rules.v1`` runs under ``[initialize.before_init]``: the
rules are saved in the pipeline's tokenizer, so a trained or packaged model
loads without the workbench.

Invisible characters of scraped text (``attache.training.respace.INVISIBLE``:
zero-width spaces, soft hyphens, byte-order and direction marks) are split
off a word's edges, and a zero-width space off both its sides inside a
word, so an entity's edges fall on the word; ``attache_respace`` reads them
as a space or as nothing.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

from .training.respace import INVISIBLE, SPACERS

EXTRA_INFIXES = [
    r"(?<=[A-Za-z]\.)-(?=[A-Za-z])",  # U.S.-led, U.K.-based
    f"[{SPACERS}]",  # Minister\u200bLavrov
]
EXTRA_PREFIXES = [
    r"/(?=[A-Z])",  # /TASS/. (TASS datelines)
    f"[{INVISIBLE}]",  # \ufeffAstana
]
EXTRA_SUFFIXES = [
    r"(?<=[A-Z])/",  # /TASS/.
    r"(?<=[A-Z]/)\.",  # ... and its full stop
    r"(?<=[A-Z]{2})-",  # MENAFN- (agency tags)
    r"(?<=\.)\.",  # Jr.. -> Jr. + .
    r"(?<=^[A-Z])\.",  # X. -> X + . (a one-letter name at a sentence end)
    r"(?<=[a-z][A-Z])\.",  # JCPoA. -> JCPoA + . (spaCy splits only after two capitals or a lower-case letter)
    r"\.\.\.+",  # an ellipsis stays one suffix ...
    f"[{INVISIBLE}]",  # Astana\u200e,
]
_TWO_DOTS = r"\.\.+"  # ... replacing spaCy's "..+", which would swallow "Jr.."
_SINGLE_LETTER = re.compile(r"^[A-Za-z]\.$")


def customize_tokenizer(nlp: Language) -> Language:
    tokenizer = nlp.tokenizer
    tokenizer.prefix_search = compile_prefix_regex(list(nlp.Defaults.prefixes) + EXTRA_PREFIXES).search
    tokenizer.infix_finditer = compile_infix_regex(list(nlp.Defaults.infixes) + EXTRA_INFIXES).finditer
    suffixes = [s for s in nlp.Defaults.suffixes if s != _TWO_DOTS] + EXTRA_SUFFIXES
    tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    # "X." at the end of a sentence is the platform X and a full stop, and
    # "m." after "£1" is the unit of "£1m" and a full stop: no one-letter
    # abbreviations. Initials still split as "J" + "." which aligns the same names.
    tokenizer.rules = {text: value for text, value in tokenizer.rules.items() if not _SINGLE_LETTER.match(text)}
    return nlp


@lru_cache(maxsize=4)
def make_nlp(lang: str = "en") -> Language:
    """A blank pipeline with the workbench's tokenizer rules (shared, do not
    add components to it)."""
    return customize_tokenizer(spacy.blank(lang))


TOKENIZER_CACHE = 100_000
"""Whitespace-separated chunks whose tokens the conversion tokenizer caches.
spaCy's default, 10,000, suits a long-running service; a conversion meets
far more distinct chunks, and once the cache is full every chunk outside it
goes through the affix rules again. An entry is small (the chunk's hash
and pointers to its lexemes); ``bench/convert_bench.py`` reports the
workers' peak memory with the cache full."""


@lru_cache(maxsize=4)
def conversion_nlp(lang: str = "en") -> Language:
    """``make_nlp``'s tokenizer for turning exports into corpora, which keep
    only each token's text and whitespace: the same tokens, made faster.
    Its vocab computes no lexical attributes (shape, norm, prefix, like_num
    ...: a quarter of the tokenizer's time on text with many new words, and
    strings the corpus never stores), and its cache is larger (``TOKENIZER_CACHE``).
    Read the corpora with ``make_nlp(lang).vocab`` (or any pipeline's), not this one's."""
    nlp = customize_tokenizer(spacy.blank(lang))
    nlp.vocab.lex_attr_getters = {}
    nlp.tokenizer.max_cache_size = max(nlp.tokenizer.max_cache_size, TOKENIZER_CACHE)
    return nlp


@registry.callbacks("attache.tokenizer_rules.v1")
def make_tokenizer_rules() -> Callable[[Language], Language]:
    """``[initialize.before_init]`` callback applying the news tokenizer rules."""
    return customize_tokenizer
