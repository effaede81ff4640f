"""`attache train`."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .main import app, handle_errors


@app.command("train", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
@handle_errors
def train_cli(
    ctx: typer.Context,
    config: Path = typer.Argument(..., help="Training config (configs/ner_trf.cfg, ner_cnn.cfg or ner_smoke.cfg)."),
    output: Path = typer.Option(Path("training"), help="Training folder: runs go to OUTPUT/runs/<name>/, the promoted model to OUTPUT/model-best."),
    train_path: Path = typer.Option(Path("corpus/train.spacy"), "--train", help="Training corpus (.spacy)."),
    dev_path: Path = typer.Option(Path("corpus/dev.spacy"), "--dev", help="Dev corpus (.spacy), used for evaluation during training and for promotion."),
    min_score: float = typer.Option(0.0, min=0.0, max=1.0, help="Promote the run's model-best only if its dev ents_f reaches this."),
    run_name: Optional[str] = typer.Option(None, help="Name of the run folder (default: <config>-<UTC time>)."),
    gpu_id: int = typer.Option(-1, help="GPU id, or -1 for CPU."),
    promote_to: str = typer.Option("model-best", help="Name of the promoted model folder inside OUTPUT."),
) -> None:
    """Train with spaCy in a run folder; promote to model-best when the run
    finished and passed. Extra options are config overrides, as for spacy
    train: --training.max_epochs 5 --components.transformer.model.name.name roberta-base
    """
    from spacy.cli._util import parse_config_overrides

    from ..training import train
    from ..training.run import Stopped

    overrides = parse_config_overrides(ctx.args)
    try:
        result = train(config, output, train_path=train_path, dev_path=dev_path, overrides=overrides,
                       run_name=run_name, min_score=min_score, use_gpu=gpu_id, promote_to=promote_to)
    except Stopped as stop:
        typer.secho(f"✘ training {stop}; nothing promoted (the run's run.json says \"stopped\")", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=128 + stop.signum) from None
    f = result.scores.get("ents_f", 0.0)
    if result.promoted:
        typer.echo(f"✔ run {result.run_dir} finished in {result.seconds:.0f} s, dev ents_f {f:.3f} -> promoted to {result.promoted}")
    else:
        typer.secho(f"✘ run {result.run_dir} not promoted: {result.reason}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=3)


@app.command("add-rules")
@handle_errors
def add_rules_cli(
    model: Path = typer.Argument(..., help="Trained pipeline with a 'ner' component (e.g. training/model-best)."),
    out: Path = typer.Option(Path("training/model-rules"), "--out", help="Folder for the pipeline with the rules added."),
    patterns: Path = typer.Option(Path("configs/patterns"), help="Pattern file or folder of *.jsonl (configs/patterns)."),
    line_breaks: str = typer.Option("wrapped", "--line-breaks", help="What the models read as a single space besides odd spaces (attache_respace): line breaks of hard-wrapped lines (wrapped), every single line break (always), none (never); off: read the text as it is."),
) -> None:
    """Add the gazetteer rules to the model (spaCy's span_ruler, patterns
    saved inside the pipeline), merged with the NER's entities by a last
    component: the longer span wins, the rule's label on the same span.
    The whole pipeline reads odd spaces and hard wraps as single spaces
    (attache_respace)."""
    from ..training.respace import LINE_BREAKS
    from ..training.rules import add_rules

    if line_breaks not in (*LINE_BREAKS, "off"):
        raise typer.BadParameter(f"{line_breaks!r}: use one of {', '.join(LINE_BREAKS)}, off", param_hint="--line-breaks")
    info = add_rules(model, out, patterns=patterns, line_breaks=None if line_breaks == "off" else line_breaks)
    typer.echo(f"✔ {info['patterns']:,} patterns added, merged with the NER's entities -> {out} (pipeline: {', '.join(info['pipeline'])})")


@app.command("vote")
@handle_errors
def vote_cli(
    models: List[Path] = typer.Argument(..., help="Trained pipelines, the first one the base (e.g. training/model-best training/cnn)."),
    out: Path = typer.Option(Path("training/model-vote"), "--out", help="Folder for the pipeline with all the NERs and the vote."),
    min_votes: Optional[int] = typer.Option(None, min=1, help="How many NERs must predict a span (same start and end); default: more than half."),
    same_label: bool = typer.Option(False, "--same-label", help="Count a NER's vote only for the same label too (default: the span counts, the label is the one most of them give, a tie going to the first model)."),
) -> None:
    """One pipeline from several trained NER pipelines: each NER's entities
    go into a span group of its own, and a last component keeps the spans
    enough of them agree on (with two NERs, both; the first one names the
    label where they differ). Add the rules after (attache add-rules)."""
    from ..training.ensemble import assemble_vote

    info = assemble_vote(models, out, min_votes=min_votes, same_label=same_label)
    what = "span and label" if info["same_label"] else "span"
    typer.echo(f"✔ {len(info['members'])} NERs, a {what} needs {info['min_votes']} votes -> {out} (pipeline: {', '.join(info['pipeline'])})")
