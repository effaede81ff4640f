"""`attache vote`: one pipeline from several trained NER pipelines, their
entities decided by a vote (``attache.training.vote``).

The first pipeline is the base: its tokenizer, embedder and ``ner`` stay as
they are. Each other pipeline's ``ner`` is made self-contained (spaCy's
``replace_listeners`` copies the embedder it listens to into it) and added
as ``ner_2``, ``ner_3``...; every NER is followed by a component that moves
its entities into a span group, and a last component sets ``doc.ents`` from
the spans enough of them agree on (labelled as most of them label them, a
tie going to the first pipeline). ``attache add-rules`` then merges the
gazetteer rules with the result as it does with a single NER.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional, Sequence

from ..errors import AttacheError
from ..outputs import atomic_dir
from .run import copy_run_record
from .vote import needed_votes

NER = "ner"
VOTER = "vote"


def listener_paths(config: dict, prefix: str = "model") -> List[str]:
    """Dotted config paths (as ``Language.replace_listeners`` takes them) of
    the listener layers inside a component's ``model`` config."""
    found = []
    for key, value in config.items():
        if not isinstance(value, dict):
            continue
        path = f"{prefix}.{key}"
        if "Listener" in str(value.get("@architectures", "")):
            found.append(path)
        else:
            found.extend(listener_paths(value, path))
    return found


def self_contained_ner(nlp, model: Path) -> None:
    """Copy into ``nlp``'s ``ner`` the embedders it listens to."""
    for embedder in list(nlp.pipe_names):
        pipe = nlp.get_pipe(embedder)
        if NER not in getattr(pipe, "listening_components", []):
            continue
        paths = listener_paths(nlp.config["components"][NER]["model"])
        if len(paths) != 1:
            raise AttacheError("E122", f"{model}: its '{NER}' has {len(paths)} listener layers ({', '.join(paths) or 'none found in its config'}); a vote takes NERs that listen to one embedder",
                               "Train it with one of configs/ner_*.cfg.")
        nlp.replace_listeners(embedder, NER, paths)


def warm_start(meta: dict, name: str) -> Optional[dict]:
    """A member's warm-start record (``attache.warm_start.v1``), naming the
    component it now has in the vote's pipeline. The warm start copies into
    the embedder, which ``replace_listeners`` moves into the NER."""
    warm = meta.get("attache_warm_start")
    return {**warm, "component": name} if warm else None


def assemble_vote(models: Sequence[Path], out: Path, *, min_votes: Optional[int] = None, same_label: bool = False) -> Dict:
    """Save to ``out`` the first of ``models`` with the NERs of the others
    added and a vote over all of them (``min_votes`` agreeing on a span, by
    default more than half; with ``same_label`` on its label too); return
    what was built."""
    import spacy

    if len(models) < 2:
        raise AttacheError("E121", f"A vote needs at least two models, got {len(models)}", "Pass the trained pipelines: training/model-best training/cnn")
    try:
        needed = needed_votes(len(models), min_votes)
    except ValueError as err:
        raise AttacheError("E121", str(err), f"Pass --min-votes between 1 and {len(models)}.") from None
    pipelines = []
    for model in models:
        nlp = spacy.load(model)
        if NER not in nlp.pipe_names:
            raise AttacheError("E110", f"{model} has no '{NER}' component (pipeline: {nlp.pipe_names})", "Pass a pipeline trained with configs/ner_*.cfg.")
        extra = [name for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory not in ("transformer", "tok2vec", "ner")]
        if extra:
            raise AttacheError("E111", f"{model} has components besides its embedder and NER: {', '.join(extra)}",
                               "Pass each model as trained (training/model-best, training/cnn), not one with rules or a vote added.")
        pipelines.append((Path(model), nlp))
    base_path, base = pipelines[0]
    labels = sorted(base.get_pipe(NER).labels)
    for model, nlp in pipelines[1:]:
        if sorted(nlp.get_pipe(NER).labels) != labels:
            raise AttacheError("E123", f"{model}'s NER predicts other labels than {base_path}'s: {sorted(set(nlp.get_pipe(NER).labels) ^ set(labels))}",
                               "Train every model on the same corpus and label scheme (configs/labels.yml).")
    names = [NER] + [f"{NER}_{i}" for i in range(2, len(models) + 1)]
    base.add_pipe("attache_stash_ents", name=f"stash_{NER}", after=NER, config={"spans_key": NER})
    last = f"stash_{NER}"
    for name, (model, nlp) in zip(names[1:], pipelines[1:]):
        self_contained_ner(nlp, model)
        base.add_pipe(NER, name=name, source=nlp, after=last)
        base.add_pipe("attache_stash_ents", name=f"stash_{name}", after=name, config={"spans_key": name})
        last = f"stash_{name}"
    base.add_pipe("attache_vote_ents", name=VOTER, after=last, config={"spans_keys": names, "min_votes": min_votes, "same_label": same_label})
    members = [{"model": str(model), "component": name, "name": nlp.meta.get("name"),
                "dev_ents_f": nlp.meta.get("performance", {}).get("ents_f"), "warm_start": warm_start(nlp.meta, name)}
               for name, (model, nlp) in zip(names, pipelines)]
    agree = "span and label" if same_label else f"span (the label most of them give, a tie going to '{NER}')"
    base.meta["attache_vote"] = {"members": members, "min_votes": needed, "same_label": same_label,
                                 "placed": f"each NER's entities into doc.spans[<its name>], doc.ents set by '{VOTER}' from the spans {needed} of {len(names)} agree on: {agree}"}
    with atomic_dir(Path(out)) as tmp:
        base.to_disk(tmp)
        copy_run_record(base_path, tmp)  # the base model's training record and curve
    return {"pipeline": base.pipe_names, "members": members, "min_votes": needed, "same_label": same_label}
