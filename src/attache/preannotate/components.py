"""spaCy components of the pre-annotator.

Each source of suggestions writes its spans into a span group of its own
(``doc.spans[key]``), with the provenance in ``span.id_``:

- ``attache_collect_ents`` moves the entities of an NER component (the base
  model, or the workbench's own model) into a span group, mapping its labels
  to the scheme, splitting titles off PERSON spans ("President Tokayev" ->
  ROLE + PERSON) and dropping leading determiners ("the UN" -> "UN");
- spaCy's ``span_ruler`` writes rule matches (configs/patterns) to its group;
- ``attache_merge_ents`` sets ``doc.ents`` from the groups by precedence: a
  span is taken unless it overlaps a span already taken from a group earlier
  in the list; within one group longer spans win.

All settings and word lists are saved with the pipeline, so a saved
pre-annotator loads with plain ``spacy.load`` and no workbench code beyond
these registered factories.
"""
from __future__ import annotations

from typing import Callable, Dict, List, Optional, Sequence

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path, filter_spans

DETERMINERS = ("the", "The", "a", "an")


class CollectEnts:
    """Move ``doc.ents`` into ``doc.spans[spans_key]`` in the scheme's labels."""

    def __init__(self, nlp: Language, name: str, spans_key: str, source: str, label_map: Dict[str, str], split_titles: bool, strip_determiners: bool) -> None:
        self.name = name
        self.spans_key = spans_key
        self.source = source
        self.label_map = dict(label_map)
        self.split_titles = split_titles
        self.strip_determiners = strip_determiners
        self.titles: List[List[str]] = []  # token sequences, longest first

    def initialize(self, get_examples: Optional[Callable] = None, *, nlp: Optional[Language] = None, titles: Optional[List[str]] = None) -> None:
        titles = titles or []
        tokenizer = nlp.tokenizer if nlp is not None else None
        sequences = {tuple(t.text for t in tokenizer(title)) if tokenizer else tuple(title.split()) for title in titles}
        self.titles = sorted((list(s) for s in sequences if s), key=len, reverse=True)

    def __call__(self, doc: Doc) -> Doc:
        spans: List[Span] = []
        for ent in doc.ents:
            label = self.label_map.get(ent.label_)
            if label is None:
                continue
            start, end = ent.start, ent.end
            if self.strip_determiners and label != "DATE":
                while start < end and doc[start].text in DETERMINERS:
                    start += 1
                if end - start > 0 and doc[end - 1].text in ("'s", "’s"):
                    end -= 1
            if start >= end:
                continue
            if self.split_titles and label == "PERSON":
                title_end = self._title_end(doc, start, end)
                if title_end is not None:
                    spans.append(Span(doc, start, title_end, label="ROLE", span_id=f"{self.source}#title-split"))
                    start = title_end
            spans.append(Span(doc, start, end, label=label, span_id=f"{self.source}#{ent.label_}"))
        doc.spans[self.spans_key] = spans
        doc.ents = []
        return doc

    def _title_end(self, doc: Doc, start: int, end: int) -> Optional[int]:
        words = [t.text for t in doc[start:end]]
        for title in self.titles:
            if len(title) < len(words) and words[: len(title)] == title:
                return start + len(title)
        return None

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps(self._state())

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "CollectEnts":
        self._load(srsly.msgpack_loads(data))
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "collect.json", self._state())

    def from_disk(self, path, *, exclude=tuple()) -> "CollectEnts":
        self._load(srsly.read_json(ensure_path(path) / "collect.json"))
        return self

    def _state(self) -> dict:
        return {"titles": self.titles, "label_map": self.label_map}

    def _load(self, state: dict) -> None:
        self.titles = [list(t) for t in state.get("titles", [])]
        self.label_map = dict(state.get("label_map", self.label_map))


@Language.factory(
    "attache_collect_ents",
    default_config={"spans_key": "attache_base", "source": "model", "label_map": {}, "split_titles": True, "strip_determiners": True},
)
def make_collect_ents(nlp: Language, name: str, spans_key: str, source: str, label_map: Dict[str, str], split_titles: bool, strip_determiners: bool) -> CollectEnts:
    return CollectEnts(nlp, name, spans_key, source, label_map, split_titles, strip_determiners)


class MergeEnts:
    """Set ``doc.ents`` from span groups, earlier groups first."""

    def __init__(self, name: str, precedence: Sequence[str]) -> None:
        self.name = name
        self.precedence = list(precedence)

    def __call__(self, doc: Doc) -> Doc:
        taken: List[Span] = []
        occupied = bytearray(len(doc))
        for key in self.precedence:
            for span in filter_spans(doc.spans.get(key, [])):
                if any(occupied[span.start : span.end]):
                    continue
                taken.append(span)
                occupied[span.start : span.end] = b"\x01" * (span.end - span.start)
        doc.ents = sorted(taken, key=lambda s: s.start)
        return doc


@Language.factory("attache_merge_ents", default_config={"precedence": ["attache_rules", "attache_model", "attache_base"]})
def make_merge_ents(nlp: Language, name: str, precedence: List[str]) -> MergeEnts:
    return MergeEnts(name, precedence)
