"""`attache package`: a pip-installable wheel of a trained pipeline that
carries its scores, its data's provenance and a model card, and needs
nothing of the workbench to load."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

import srsly
from spacy.util import load_config

from .encoders import OFFLINE, hub_name
from .errors import AttacheError
from .labels import LabelScheme
from .studio.pull import read_meta

# Workbench functions a packaged pipeline keeps: their modules import nothing
# from attache and are copied into the package (`spacy package --code`).
SHIPPED_CODE = {
    "attache.SpanFeatures.v1": "attache.training.span_features",
    "attache_collect_ents": "attache.preannotate.components",
    "attache_merge_ents": "attache.preannotate.components",
    "attache_merge_rules": "attache.training.merge",
    "attache_respace": "attache.training.respace",
    "attache_span_ruler": "attache.training.ruler",
    "attache_stash_ents": "attache.training.vote",
    "attache_unrespace": "attache.training.respace",
    "attache_vote_ents": "attache.training.vote",
}


def workbench_functions(tree) -> List[str]:
    """Registered functions and factories of the workbench that a config
    (or a part of one) names: values of ``@...`` and ``factory`` keys."""
    found = []
    for key, value in (tree.items() if isinstance(tree, dict) else ()):
        if isinstance(value, dict):
            found.extend(workbench_functions(value))
        elif (key.startswith("@") or key == "factory") and str(value).startswith("attache"):
            found.append(str(value))
    return found


def shipped_code(config_path: Path) -> List[Path]:
    """The module files a pipeline's config needs from SHIPPED_CODE."""
    import importlib.util

    names = set(workbench_functions(load_config(config_path, interpolate=False))) & set(SHIPPED_CODE)
    return sorted({Path(importlib.util.find_spec(SHIPPED_CODE[name]).origin) for name in names})


@dataclass
class PackageResult:
    wheel: Path
    package_dir: Path
    meta: dict


def freeze_config(config_path: Path) -> List[str]:
    """Rewrite a trained pipeline's config so that loading it needs no
    workbench code: encoder names become plain strings (an offline encoder's
    cut to its first layers becomes ``num_hidden_layers``), the tokenizer
    callback (whose rules the tokenizer already saved) and the warm start
    (whose weights the pipeline saved), the curve logger and
    the training augmenter are dropped, and so are the initialisers of
    components (patterns, word lists) whose data the pipeline saved. Returns
    what was changed."""
    config = load_config(config_path, interpolate=False)
    changes = []
    for name, component in config.get("components", {}).items():
        model = component.get("model", {})
        encoder = model.get("name") if isinstance(model, dict) else None
        if isinstance(encoder, dict) and encoder.get("@misc") == "attache.encoder.v1":
            model["name"] = hub_name(encoder.get("name"))
            changes.append(f"components.{name}.model.name -> {model['name']!r}")
            if encoder.get("layers") is not None and encoder.get("name") in OFFLINE:  # the cut, said the Hugging Face way
                model.setdefault("transformer_config", {})["num_hidden_layers"] = encoder["layers"]
                changes.append(f"components.{name}.model.transformer_config.num_hidden_layers -> {encoder['layers']}")
    for hook, why in (("before_init", "rules saved in the tokenizer"), ("after_init", "the copied weights are saved in the pipeline")):
        callback = config.get("initialize", {}).get(hook)
        if isinstance(callback, dict) and str(callback.get("@callbacks", "")).startswith("attache."):
            config["initialize"][hook] = None
            changes.append(f"initialize.{hook} -> null ({why})")
    logger = config.get("training", {}).get("logger")
    if isinstance(logger, dict) and str(logger.get("@loggers", "")).startswith("attache."):
        config["training"]["logger"] = {"@loggers": "spacy.ConsoleLogger.v1", "progress_bar": False}
        changes.append("training.logger -> spacy.ConsoleLogger.v1")
    for name, corpus in config.get("corpora", {}).items():
        augmenter = corpus.get("augmenter") if isinstance(corpus, dict) else None
        if isinstance(augmenter, dict) and str(augmenter.get("@augmenters", "")).startswith("attache."):
            corpus["augmenter"] = None
            changes.append(f"corpora.{name}.augmenter -> null (training only)")
    init_components = config.get("initialize", {}).get("components", {})
    for name in [name for name, settings in init_components.items() if workbench_functions(settings)]:
        del init_components[name]
        changes.append(f"initialize.components.{name} -> removed (saved with the pipeline)")
    config.to_disk(config_path)
    leftover = [name for name in workbench_functions(load_config(config_path, interpolate=False)) if name not in SHIPPED_CODE]
    if leftover:
        raise AttacheError("E100", f"The pipeline still refers to workbench functions: {sorted(set(leftover))}", "Package pipelines built from the workbench's configs, or add these functions to freeze_config.")
    return changes


def guideline_version(path: Optional[Path]) -> Optional[str]:
    if path is None or not Path(path).exists():
        return None
    match = re.search(r"Guideline version:\s*([\w.\-]+)", Path(path).read_text(encoding="utf8"))
    return match.group(1) if match else None


def performance(evaluation: dict) -> Dict[str, object]:
    """Scores in spaCy's meta format (0-1), from evaluation.json."""
    model = evaluation["model"]
    return {
        "ents_p": model["micro"]["p"], "ents_r": model["micro"]["r"], "ents_f": model["micro"]["f"],
        "ents_per_type": {label: {"p": s["p"], "r": s["r"], "f": s["f"]} for label, s in model["per_label"].items()},
    }


def provenance(corpus_report: Optional[dict], scheme: LabelScheme, guidelines: Optional[Path], config_path: Path) -> dict:
    snapshots = []
    for export in (corpus_report or {}).get("exports", []):
        for path in sorted(Path(export).glob("*.json")) if Path(export).is_dir() else [Path(export)]:
            if path.name.endswith(".meta.json"):
                continue
            meta = read_meta(path) or {}
            snapshots.append({"file": path.name, "snapshot_id": meta.get("snapshot_id"), "project_id": meta.get("project_id"),
                              "label_config_hash": meta.get("label_config_hash"), "pulled_at": meta.get("pulled_at")})
    return {
        "training_config_sha256": hashlib.sha256(Path(config_path).read_bytes()).hexdigest()[:16],
        "label_scheme": {"name": scheme.name, "version": scheme.version, "labels": scheme.names},
        "guideline_version": guideline_version(guidelines),
        "label_studio_snapshots": snapshots,
        "corpus": {k: (corpus_report or {}).get(k) for k in ("policy", "splits", "spans", "agreement")},
    }


def model_card(meta: dict, scheme: LabelScheme, evaluation: Optional[dict]) -> str:
    name = f"{meta['lang']}_{meta['name']}"
    prov = meta.get("attache", {})
    lines = [
        f"# {name} {meta['version']}", "",
        meta.get("description", ""), "",
        "## Use", "",
        "```bash", f"pip install {name}-{meta['version']}-py3-none-any.whl", "```", "",
        "```python", "import spacy", f'nlp = spacy.load("{name}")',
        'print([(e.text, e.label_) for e in nlp("Kazakh Foreign Minister Murat Nurtleu met OSCE Secretary-General Feridun Sinirlioğlu in Vienna on Monday.").ents])', "```", "",
        "## Intended use", "",
        "Named-entity recognition in English news about foreign relations: visits, talks, summits, treaties,",
        "trade figures. It is meant to pre-annotate and analyse such news; check its output before acting on it.", "",
        "## Labels", "", "| label | marks | example |", "|---|---|---|",
    ]
    for label in scheme.labels:
        lines.append(f"| {label.name} | {label.description} | {label.examples[0] if label.examples else ''} |")
    corpus = prov.get("corpus") or {}
    splits = corpus.get("splits") or {}
    split_text = ", ".join(f"{split} {info.get('documents')} documents" for split, info in splits.items())
    lines += ["", "## Training data", "",
              "The attache sample corpus: news articles written for the project, modelled on wire-service and",
              "foreign-ministry reporting, annotated under the project's guidelines "
              f"(version {prov.get('guideline_version') or '?'}) in Label Studio.",
              f"Splits: {split_text or 'see meta.json'}.",
              f"Label Studio snapshots: {', '.join(str(s.get('snapshot_id')) for s in prov.get('label_studio_snapshots', [])) or 'none recorded'}.", ""]
    vote = meta.get("attache_vote")
    if vote:
        agree = ("the same span and label" if vote.get("same_label")
                 else f"the same span, labelled as most of them label it (a tie: as `{vote['members'][0]['component']}` does)")
        lines += [f"The pipeline holds {len(vote['members'])} NER components trained on that data; an entity is kept where "
                  f"{vote['min_votes']} of them predict {agree}: "
                  + ", ".join(f"`{m['component']}` (from {m['name']}, dev F1 {m['dev_ents_f']:.3f})" if m.get("dev_ents_f") is not None
                              else f"`{m['component']}` (from {m['name']})" for m in vote["members"]) + ".", ""]
    line_breaks = (meta.get("attache_rules") or {}).get("line_breaks")
    if line_breaks:
        breaks = {"never": "", "wrapped": ", and the line breaks of hard-wrapped lines,", "always": ", and every single line break,"}[line_breaks]
        lines += [f"Every component reads no-break, doubled and other odd spaces{breaks} as single spaces (`attache_respace` first, "
                  "`attache_unrespace` last); the entities come back on the text as given, offsets included.", ""]
    warm_starts = [meta.get("attache_warm_start")] + [m.get("warm_start") for m in (vote or {}).get("members", [])]
    for warm in filter(None, warm_starts):
        lines += [f"The `{warm['component']}` component started from the weights of the `{warm['source_component']}` tok2vec of "
                  f"`{warm['source']}` (spaCy's en_core_web_sm, MIT licence) and was trained on from there.", ""]
    if evaluation:
        model = evaluation["model"]
        lines += ["## Scores (test split)", "", f"Micro F1 {model['micro']['f']:.3f} (P {model['micro']['p']:.3f}, R {model['micro']['r']:.3f}), macro F1 {model['macro_f']:.3f}."]
        if evaluation.get("preannotator"):
            lines.append(f"The rule + base-model pre-annotator scores micro F1 {evaluation['preannotator']['micro']['f']:.3f} on the same documents.")
        lines += ["", "| label | P | R | F |", "|---|---:|---:|---:|"]
        for label, s in model["per_label"].items():
            lines.append(f"| {label} | {s['p']:.3f} | {s['r']:.3f} | {s['f']:.3f} |")
    lines += ["", "## Limitations", "",
              "- English only, and news about diplomacy only: other domains and registers will score lower.",
              "- The sample corpus is small (written for the project), so rare names and unseen organisation types are often missed.",
              "- The default encoder (all-MiniLM-L6-v2) is uncased; a small cased tok2vec restores case and shape cues, but all-caps or",
              "  all-lower-case text loses much of them.",
              "- Labels follow the attache scheme (ROLE, INTL_ORG, GOV_ORG, AGREEMENT ...), not OntoNotes.", ""]
    return "\n".join(lines)


def package(
    model_dir: Path,
    out_dir: Path,
    scheme: LabelScheme,
    *,
    name: str = "diplomatic_ner",
    version: str = "0.1.0",
    evaluation_path: Optional[Path] = None,
    corpus_report_path: Optional[Path] = None,
    guidelines: Optional[Path] = None,
) -> PackageResult:
    from spacy.cli.package import package as spacy_package

    model_dir, out_dir = Path(model_dir), Path(out_dir)
    if not (model_dir / "config.cfg").exists():
        raise AttacheError("E101", f"No trained pipeline at {model_dir}", "Train one first (`weasel run train`).")
    evaluation = json.loads(Path(evaluation_path).read_text(encoding="utf8")) if evaluation_path and Path(evaluation_path).exists() else None
    corpus_report = json.loads(Path(corpus_report_path).read_text(encoding="utf8")) if corpus_report_path and Path(corpus_report_path).exists() else None
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="attache-package-") as tmp:
        staged = Path(tmp) / "model"
        shutil.copytree(model_dir, staged)
        changes = freeze_config(staged / "config.cfg")
        meta = srsly.read_json(staged / "meta.json")
        meta.update(name=name, version=version, lang=meta.get("lang", "en"),
                    description="Named-entity recognition for diplomatic news (people, roles, countries, international and government bodies, agreements, events, dates, money). Trained with attache.",
                    license="MIT", author="attache", url="")
        if evaluation:
            meta["performance"] = performance(evaluation)
        meta["attache"] = provenance(corpus_report, scheme, guidelines, staged / "config.cfg")
        meta["attache"]["frozen_config"] = changes
        run = staged / "run.json"
        if run.exists():
            record = json.loads(run.read_text(encoding="utf8"))
            meta["attache"]["training_run"] = {k: record.get(k) for k in ("config", "config_sha256", "train_sha256", "dev_sha256", "started", "seconds", "overrides")}
        srsly.write_json(staged / "meta.json", meta)
        (staged / "README.md").write_text(model_card(meta, scheme, evaluation), encoding="utf8")
        package_dir = out_dir / f"{meta['lang']}_{name}-{version}"
        if package_dir.exists():
            shutil.rmtree(package_dir)
        spacy_package(staged, out_dir, name=name, version=version, code_paths=shipped_code(staged / "config.cfg"),
                      create_sdist=False, create_wheel=True, force=True, silent=True)
    wheels = sorted((package_dir / "dist").glob("*.whl"))
    if not wheels:
        raise AttacheError("E102", f"spacy package built no wheel in {package_dir / 'dist'}", "Install the 'build' package (make install does) and check the output above.")
    return PackageResult(wheels[-1], package_dir, srsly.read_json(package_dir / "meta.json"))
