"""`attache package`."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .main import app, handle_errors


@app.command("package")
@handle_errors
def package_cli(
    model: Path = typer.Argument(Path("training/model-best"), help="Trained pipeline to package."),
    out_dir: Path = typer.Argument(Path("packages"), help="Folder for the package source and its wheel (dist/)."),
    name: str = typer.Option("diplomatic_ner", help="Package name without the language prefix (the wheel is en_<name>)."),
    version: str = typer.Option("0.1.0", help="Package version."),
    metrics: Optional[Path] = typer.Option(Path("metrics/evaluation.json"), help="evaluation.json from `attache evaluate`: scores go into meta.json and the model card."),
    corpus_report: Optional[Path] = typer.Option(Path("corpus/reports/corpus.json"), help="Corpus report: statistics and the Label Studio snapshots the data came from."),
    guidelines: Optional[Path] = typer.Option(Path("annotation/GUIDELINES.md"), help="Annotation guidelines (their version goes into meta.json)."),
    labels: Optional[Path] = typer.Option(None, help="Label scheme (default configs/labels.yml)."),
) -> None:
    """Build a pip-installable wheel (spacy package) with scores, provenance
    and a model card; the pipeline's config is frozen so it loads without the
    workbench."""
    from ..labels import load_scheme
    from ..package import package

    result = package(model, out_dir, load_scheme(labels), name=name, version=version,
                     evaluation_path=metrics, corpus_report_path=corpus_report, guidelines=guidelines)
    typer.echo(f"✔ wheel: {result.wheel}\n  pip install {result.wheel}\n  python -c \"import spacy; nlp = spacy.load('en_{name}')\"")
