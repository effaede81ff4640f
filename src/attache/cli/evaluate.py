"""`attache evaluate`."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .main import app, handle_errors


@app.command("evaluate")
@handle_errors
def evaluate_cli(
    model: Optional[Path] = typer.Argument(None, help="Trained pipeline to evaluate (e.g. training/model-best). Leave out with --preannotator to score only the pre-annotator."),
    gold: Path = typer.Option(Path("corpus/test.spacy"), help="Gold corpus (.spacy) to score on."),
    out: Path = typer.Option(Path("metrics"), help="Folder for evaluation.json, report.html and the PNG plots."),
    preannotator: Optional[Path] = typer.Option(None, help="Also score the pre-annotator on the same documents: a saved pipeline folder, or a config (configs/preannotator.cfg) to build it."),
    training_log: Optional[Path] = typer.Option(None, help="training-log.jsonl of the run, for the training curve (default: the one next to the model, if any)."),
    labels: Optional[Path] = typer.Option(None, help="Label scheme (default configs/labels.yml)."),
) -> None:
    """Score per label (P/R/F, micro, macro), break errors down into label,
    boundary, missed and spurious, and write an HTML report with displaCy
    renderings of gold vs predicted, side by side with the pre-annotator."""

    import spacy

    from ..errors import AttacheError
    from ..evaluate.report import write_report
    from ..evaluate.run import evaluate, read_gold
    from ..evaluate.scores import format_table
    from ..labels import load_scheme
    from ..preannotate import build_preannotator

    scheme = load_scheme(labels)
    if model is None and preannotator is None:
        raise AttacheError("E092", "Nothing to evaluate", "Pass a model folder, --preannotator, or both.")
    pre_nlp = None
    if preannotator is not None:
        pre_nlp = build_preannotator(preannotator) if preannotator.suffix == ".cfg" else spacy.load(preannotator)
    nlp = spacy.load(model) if model is not None else pre_nlp
    docs = read_gold(gold, nlp)
    if model is None:
        name = "preannotator"
    elif nlp.meta.get("name", "pipeline") == "pipeline":  # spaCy's default: say which folder instead
        name = str(model)
    else:
        name = f"{nlp.meta['name']}-{nlp.meta.get('version', '')}"
    main, pre = evaluate(nlp, docs, scheme.names, model_name=name, preannotator=pre_nlp if model is not None else None)
    log = training_log or _find_log(model)
    extra = {"gold": str(gold), "model_path": str(model) if model else None}
    paths = write_report(out, main, pre, docs, {l.name: l.color for l in scheme.labels}, training_log=log, extra=extra)
    typer.echo(format_table(main.scores, f"{main.name} on {gold} ({main.scores.documents} documents)"))
    if pre:
        typer.echo(format_table(pre.scores, "\npre-annotator on the same documents"))
        typer.echo(f"\ngain in micro F1: {main.scores.micro.f1 - pre.scores.micro.f1:+.3f}")
    typer.echo(f"\n✔ report: {paths['html']} · numbers: {paths['json']}")


def _find_log(model: Optional[Path]) -> Optional[Path]:
    if model is None:
        return None
    for candidate in (model.parent / "training-log.jsonl", model / "training-log.jsonl"):
        if candidate.exists():
            return candidate
    return None
