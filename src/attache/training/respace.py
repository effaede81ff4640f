"""Run a pipeline's models on a document as if its odd whitespace were single spaces.

spaCy keeps one space after a token as its trailing whitespace and makes any
other whitespace a token of its own: a no-break space, a second space, a
line break of hard-wrapped text. The NERs were trained on text with almost
none inside a sentence, so they cut "Foreign\\u00a0Minister" or a name
wrapped over two lines at the whitespace token, or drop it.

``attache_respace``, first in a pipeline, hands the components after it a
compact copy of the document without those whitespace tokens (each token
before one keeps a single trailing space); ``attache_unrespace``, last,
puts the entities and span groups found on the copy back on the document's
own tokens (whitespace inside them included) and returns the document, so
``doc.text`` and every offset are the text's as given. A document without
such whitespace is passed through untouched: on it the pipeline gives what
it gave without the pair. A document that arrives with entities or span
groups already set is passed through too (they would have to be carried
over and back).

Invisible characters of scraped text go too: a zero-width space is read
as a space between words, and soft hyphens, word joiners, byte-order marks
and direction marks as nothing ("Kazakh\\u00adstan" is "Kazakhstan" in the
copy). The workbench's tokenizer splits them off a word's edges (and a
zero-width space off both its sides inside one), so no entity starts or
ends with one.

Which whitespace goes: odd spaces always, a paragraph break never, and a
single line break where the lines look hard-wrapped (``wrapped_breaks``,
the rule ``attache ingest`` reflows with): in a document whose paragraphs'
lines mostly come close to one width, a break the next word would not have
fitted before, not after a sentence's end. A heading, a dateline, a list
item or a signature on a line of its own keeps its line break, so a name
at its end does not run on into the next line.

What the components in between add to the copy's own tokens or to
``doc._`` (a transformer's ``doc._.trf_data``) is not carried back.

This module is copied into packaged pipelines (``spacy package --code``, see
``attache.package``) so that they load without the workbench: it imports
nothing from attache.
"""
from __future__ import annotations

import re
from typing import List, Optional, Sequence, Set

from spacy.language import Language
from spacy.tokens import Doc, Span

KEY = "attache_respaced"  # the copy's user_data: (the document, the copy's token indices in it)
LINE_BREAKS = ("never", "wrapped", "always")
MIN_WIDTH, MAX_WIDTH = 40, 120  # narrower: a letterhead or a signature block; wider: paragraphs on lines of their own
SENTENCE_END = re.compile(r"[.!?;:][\"'”’)\]]*$")
SPACERS = "\u200b"  # zero-width space: a break between words
JOINERS = "\u00ad\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Soft hyphen, word joiner, byte-order mark (zero-width no-break space), direction marks and embeddings: read as nothing."""
INVISIBLE = SPACERS + JOINERS
_INVISIBLE = re.compile(f"[{INVISIBLE}]")


def wrap_width(inner: Sequence[int], min_width: int = MIN_WIDTH, max_width: int = MAX_WIDTH) -> Optional[int]:
    """The column a text was hard-wrapped at, from the lengths of the lines
    that are not the last of their paragraph: the longest, when there are at
    least three, it is between ``min_width`` and ``max_width``, and most of
    them (60%) come close to it (70% of it). None if not wrapped."""
    if len(inner) < 3:
        return None
    width = max(inner)
    if not min_width <= width <= max_width:
        return None
    close = sum(1 for length in inner if length >= width * 0.7)
    return width if close >= 0.6 * len(inner) else None


def is_soft_break(line: str, next_word: str, width: Optional[int]) -> bool:
    """Whether the line break after ``line`` (followed by ``next_word``) is a
    wrap at ``width``: the word would not have fitted on the line. Breaks
    after sentence-final punctuation stay line breaks (lists, sign-offs)."""
    line = line.rstrip()
    return width is not None and bool(next_word) and not SENTENCE_END.search(line) and len(line) + 1 + len(next_word) > width


def wrapped_breaks(text: str) -> Set[int]:
    """Character offsets of the line breaks in ``text`` that a hard wrap
    made (``wrap_width``, ``is_soft_break``; the rule with which ``attache
    ingest`` joins such lines): empty for a text that is not wrapped."""
    paragraphs, current, offset = [], [], 0
    for line in text.split("\n"):
        if line.strip():
            current.append((line, offset + len(line)))
        elif current:
            paragraphs.append(current)
            current = []
        offset += len(line) + 1
    if current:
        paragraphs.append(current)
    width = wrap_width([len(line.rstrip()) for para in paragraphs for line, _ in para[:-1]])
    if width is None:
        return set()
    return {end for para in paragraphs for (line, end), (following, _) in zip(para, para[1:]) if is_soft_break(line, following.split()[0], width)}


def checked(line_breaks: str) -> str:
    if line_breaks not in LINE_BREAKS:
        raise ValueError(f"attache_respace: line_breaks must be one of {', '.join(LINE_BREAKS)}, not {line_breaks!r}")
    return line_breaks


def visible(text: str) -> str:
    """``text`` without its invisible characters (``INVISIBLE``)."""
    return _INVISIBLE.sub("", text) if _INVISIBLE.search(text) else text


def skipped(doc: Doc, line_breaks: str) -> List[bool]:
    """For each token of ``doc``: whether the copy leaves it out (odd
    spaces, line breaks that ``line_breaks`` joins, invisible characters)."""
    checked(line_breaks)
    wraps = wrapped_breaks(doc.text) if line_breaks == "wrapped" and any(t.is_space and "\n" in t.text for t in doc) else set()
    invisible = bool(_INVISIBLE.search(doc.text))
    out = []
    for token in doc:
        breaks = token.text.count("\n") if token.is_space else -1
        if breaks == 0:
            out.append(True)
        elif breaks == 1 and line_breaks != "never":
            out.append(line_breaks == "always" or token.idx + token.text.index("\n") in wraps)
        else:
            out.append(breaks < 0 and invisible and not visible(token.text))
    return out


def _spaced(doc: Doc, skip: List[bool], kept: List[int]) -> List[bool]:
    """Whether each kept token is followed by a space in the copy: its own,
    or that of whitespace or a zero-width space left out after it. A joiner
    left out between two tokens adds none ("Astana\\u200e," is "Astana,")."""
    spaces = []
    for i, following in zip(kept, kept[1:] + [len(doc)]):
        gap = doc[i + 1:following]
        spaces.append(bool(doc[i].whitespace_) or any(t.is_space or t.whitespace_ or SPACERS in t.text for t in gap))
    if kept:
        spaces[-1] = bool(doc[kept[-1]].whitespace_)
    return spaces


def compact(doc: Doc, line_breaks: str) -> Optional[Doc]:
    """The copy of ``doc`` without its skipped whitespace tokens and
    invisible characters, or None when it has none (or ``doc`` already has
    entities or span groups)."""
    if doc.has_annotation("ENT_IOB") or len(doc.spans) or KEY in doc.user_data:
        return None
    skip = skipped(doc, line_breaks)
    kept = [i for i, gone in enumerate(skip) if not gone]
    if not kept or (len(kept) == len(doc) and not _INVISIBLE.search(doc.text)):
        return None
    words = [visible(doc[i].text) for i in kept]
    copy = Doc(doc.vocab, words=words, spaces=_spaced(doc, skip, kept))
    copy.user_data[KEY] = (doc, kept)
    copy._context = doc._context
    return copy


def restore(copy: Doc) -> Doc:
    """The document ``copy`` was made from, with ``copy``'s entities and
    span groups on its own tokens; ``copy`` itself if it is not a copy."""
    found = copy.user_data.pop(KEY, None)
    if found is None:
        return copy
    doc, kept = found

    def back(span: Span) -> Span:
        return Span(doc, kept[span.start], kept[span.end - 1] + 1, label=span.label, kb_id=span.kb_id, span_id=span.id)

    if copy.has_annotation("ENT_IOB"):
        doc.set_ents([back(ent) for ent in copy.ents], default="outside")
    for key, group in copy.spans.items():
        doc.spans[key] = [back(span) for span in group]
        doc.spans[key].attrs.update(group.attrs)
    doc._context = copy._context
    return doc


class Respace:
    def __init__(self, name: str, line_breaks: str) -> None:
        self.name = name
        self.line_breaks = checked(line_breaks)

    def __call__(self, doc: Doc) -> Doc:
        copy = compact(doc, self.line_breaks)
        return doc if copy is None else copy


class Unrespace:
    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        return restore(doc)


FACTORIES = ("attache_respace", "attache_unrespace")


def in_pipeline(nlp: Language) -> Sequence[str]:
    """Names of ``nlp``'s respace/unrespace components."""
    return [name for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory in FACTORIES]


def bracket(nlp: Language, line_breaks: Optional[str]) -> Language:
    """Put the pair around ``nlp``'s components, first and last, replacing
    any there; with ``line_breaks`` None, take them out."""
    for name in in_pipeline(nlp):
        nlp.remove_pipe(name)
    if line_breaks is not None:
        nlp.add_pipe("attache_respace", name="respace", first=True, config={"line_breaks": line_breaks})
        nlp.add_pipe("attache_unrespace", name="unrespace", last=True)
    return nlp


@Language.factory("attache_respace", default_config={"line_breaks": "wrapped"})
def make_respace(nlp: Language, name: str, line_breaks: str) -> Respace:
    return Respace(name, line_breaks)


@Language.factory("attache_unrespace")
def make_unrespace(nlp: Language, name: str) -> Unrespace:
    return Unrespace(name)
