"""Put the gazetteer rules into a trained pipeline, merged with its NER.

An ``attache_span_ruler`` (spaCy's ``span_ruler``, patterns saved inside the
pipeline, matching across line breaks and odd spaces: ``attache.training.ruler``)
runs first and writes its matches to a span group; ``attache_merge_rules``
(``attache.training.merge``, shipped as code with a packaged model) runs last
and sets the entities from the NER's and the rules' spans: the longer span
wins where they overlap, the rule's label where they are the same span.
Chosen on dev over the two plain orders, also here for comparison
(``scripts/rules_ablation.py``): rules in front of the NER (spaCy's NER keeps
preset entities, so a rule's "China" blocks the NER's "Bank of China"), and
rules after it with spaCy's own filter (the NER wins every tie).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

from ..errors import AttacheError
from ..outputs import atomic_dir
from ..patterns import DEFAULT_PATTERNS_DIR, load_patterns, with_caps_variants
from .respace import bracket
from .run import copy_run_record

RULER = "rules"
MERGER = "merge_rules"
RULES_KEY = "rules"
EMBEDDERS = ("transformer", "tok2vec")


def rules_merged(nlp, patterns: list, line_breaks: Optional[str] = "wrapped") -> None:
    """The shipped arrangement: the rules first, into ``doc.spans["rules"]``
    (they need only the tokens, and spaCy runs phrase patterns through the
    components before a ruler when it loads them), merged with the NER's
    entities by a last component; all of it between ``attache_respace``
    and ``attache_unrespace`` with ``line_breaks`` (None: without them)."""
    _add_ruler(nlp, patterns, place={"first": True}, spans_key=RULES_KEY, annotate_ents=False, overwrite=True)
    nlp.add_pipe("attache_merge_rules", name=MERGER, last=True, config={"spans_key": RULES_KEY})
    bracket(nlp, line_breaks)


def rules_in_front(nlp, patterns: list) -> None:
    """Add ``patterns`` to ``nlp`` as a span_ruler that sets entities, in
    front of the NER and of the layers it reads: first in the pipeline, as it
    needs only the tokens and spaCy runs phrase patterns through the
    components before a ruler when it loads them (a transformer in front
    would make loading take seconds). Where other components precede the
    NER (those of ``ner_trf_features.cfg`` collect a base model's entities
    and clear them), the rules go after the last of them, or they would be
    cleared too."""
    before_ner = nlp.pipe_names[: nlp.pipe_names.index("ner")] if "ner" in nlp.pipe_names else []
    others = [name for name in before_ner if nlp.get_pipe_meta(name).factory not in EMBEDDERS]
    _add_ruler(nlp, patterns, place={"after": others[-1]} if others else {"first": True}, spans_key=None, annotate_ents=True, overwrite=True)


def rules_after(nlp, patterns: list) -> None:
    """The other order, for comparison (``scripts/rules_ablation.py``): the
    rules last, their matches merged with the NER's entities (the longest
    span wins where two overlap)."""
    _add_ruler(nlp, patterns, place={"last": True}, spans_key=None, annotate_ents=True, overwrite=False)


def _add_ruler(nlp, patterns: list, *, place: dict, **config) -> None:
    ruler = nlp.add_pipe("attache_span_ruler", name=RULER, **place, config={**config, "validate": True, "phrase_matcher_attr": None})
    ruler.add_patterns(patterns)


def add_rules(model: Path, out: Path, *, patterns: Path = DEFAULT_PATTERNS_DIR, labels: Optional[Iterable[str]] = None,
              caps_labels: Iterable[str] = ("GPE",), line_breaks: Optional[str] = "wrapped") -> dict:
    """Save ``model`` with the rules merged with its ``ner`` (``rules_merged``,
    ``line_breaks`` for ``attache_respace``) to ``out``; return what was added."""
    import spacy

    nlp = spacy.load(model)
    if "ner" not in nlp.pipe_names:
        raise AttacheError("E110", f"{model} has no 'ner' component (pipeline: {nlp.pipe_names})", "Pass a pipeline trained with configs/ner_*.cfg.")
    if RULER in nlp.pipe_names or MERGER in nlp.pipe_names:
        raise AttacheError("E111", f"{model} already has a '{RULER}' or '{MERGER}' component", "Pass the model as trained (training/model-best), not one with rules added.")
    ner_labels = set(nlp.get_pipe("ner").labels)
    found = with_caps_variants(load_patterns(patterns), caps_labels)
    unknown = sorted({p["label"] for p in found} - ner_labels)
    if unknown or (labels is not None and set(labels) != ner_labels):
        raise AttacheError("E112", f"The patterns use labels the model's NER does not predict: {', '.join(unknown) or '-'}",
                           "Train on the same label scheme as the patterns (configs/labels.yml).")
    rules_merged(nlp, found, line_breaks)
    nlp.meta["attache_rules"] = {"patterns": len(found), "source": str(patterns), "pipeline": nlp.pipe_names, "line_breaks": line_breaks,
                                 "placed": f"'{RULER}' first into doc.spans['{RULES_KEY}'], merged with the NER's entities by '{MERGER}' (longer span wins, the rule's label on the same span)"}
    with atomic_dir(Path(out)) as tmp:
        nlp.to_disk(tmp)
        copy_run_record(model, tmp)
    return {"patterns": len(found), "pipeline": nlp.pipe_names}
