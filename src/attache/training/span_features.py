"""Span groups as NER features: what the rules (and a base model) found,
given to the NER as an input instead of imposed on its output.

``attache.SpanFeatures.v1`` embeds, for each token, the label of the span it
falls in within each span group (``B-GPE``, ``I-GPE`` ... or nothing), one
hashed embedding table per group. Put it beside the transformer in the NER's
``tok2vec`` and run the components that fill the groups (a ``span_ruler``
with ``spans_key``, ``attache_collect_ents``) before the NER, listed under
``[training] annotating_components`` so that training sees what prediction
will see. The NER then learns where a gazetteer match is right, not only
that it exists.

This module is copied into packaged pipelines (``spacy package --code``, see
``attache.package``) so that they load without the workbench: it imports
nothing from attache.
"""
from __future__ import annotations

from typing import List, Tuple

import numpy
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.util import filter_spans, registry
from thinc.api import HashEmbed, Model, chain, concatenate, with_array
from thinc.types import Floats2d, Ints2d

OUTSIDE = get_string_id("O")


def span_feature_ids(doc: Doc, keys: List[str]) -> numpy.ndarray:
    """One column per span group: the hash of ``B-LABEL``/``I-LABEL`` for
    tokens inside a span of that group, of ``O`` outside. Overlapping spans
    of one group are resolved as ``filter_spans`` does (longest first)."""
    ids = numpy.full((len(doc), len(keys)), OUTSIDE, dtype="uint64")
    for column, key in enumerate(keys):
        for span in filter_spans(doc.spans.get(key, [])):
            ids[span.start, column] = get_string_id(f"B-{span.label_}")
            ids[span.start + 1:span.end, column] = get_string_id(f"I-{span.label_}")
    return ids


def _forward(model: Model, docs: List[Doc], is_train: bool) -> Tuple[List[Ints2d], object]:
    keys = model.attrs["spans_keys"]
    return [model.ops.asarray2i(span_feature_ids(doc, keys), dtype="uint64") for doc in docs], lambda d_ids: []


@registry.architectures("attache.SpanFeatures.v1")
def make_span_features(spans_keys: List[str], width: int = 16, rows: int = 128) -> Model[List[Doc], List[Floats2d]]:
    """Per token, ``width`` numbers per span group in ``spans_keys``."""
    if not spans_keys:
        raise ValueError('[E115] attache.SpanFeatures.v1 needs at least one span group in spans_keys. '
                         'Name the groups its components fill, e.g. spans_keys = ["attache_rules"].')
    ids = Model("span_feature_ids", _forward, attrs={"spans_keys": list(spans_keys)})
    tables = [HashEmbed(nO=width, nV=rows, column=column, seed=11 + column) for column in range(len(spans_keys))]
    return chain(ids, with_array(concatenate(*tables)))
