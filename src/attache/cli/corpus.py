"""`attache corpus`."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .main import app, handle_errors


@app.command("corpus")
@handle_errors
def corpus_cli(
    exports: List[Path] = typer.Argument(..., help="Label Studio JSON exports (snapshots from `attache studio pull`, or plain UI exports)."),
    out_dir: Path = typer.Option(Path("corpus"), "--out", help="Folder for train/dev/test.spacy, hf/, conll/ and reports/ (other files there are kept)."),
    labels: Optional[Path] = typer.Option(None, help="Label scheme (default configs/labels.yml)."),
    aliases: Optional[Path] = typer.Option(None, help="YAML mapping of renamed labels, old: new (e.g. ORGANIZATION: ORG)."),
    policy: str = typer.Option("ground_truth_then_latest", help="Which annotation of a task to use: ground_truth_then_latest, or majority (per span)."),
    dev: float = typer.Option(0.15, min=0.0, max=0.5, help="Fraction of documents for dev."),
    test: float = typer.Option(0.15, min=0.0, max=0.5, help="Fraction of documents for test."),
    seed: int = typer.Option(0, help="Seed of the split."),
    newest_test: bool = typer.Option(False, help="Put the newest articles (by date) in test."),
    snap: bool = typer.Option(False, help="Snap spans whose edges fall inside tokens out to token boundaries (reported as 'snapped'); without it they are quarantined."),
    lang: str = typer.Option("en", help="Language of the tokenizer (the training pipeline's)."),
    from_name: str = typer.Option("label", help="Name of the Labels tag in the labeling config."),
    workers: Optional[int] = typer.Option(None, min=1, help="Worker processes for large exports (default: one per CPU, up to 4, for exports over 16 MiB; 1 = this process only)."),
) -> None:
    """Convert Label Studio exports into spaCy corpora, with alignment checked.

    Every span is exact, trimmed, snapped (--snap) or quarantined with a
    reason; reports/corpus.json accounts for each. Malformed exports stop the
    command with an error naming the task, and nothing is written.
    """
    import yaml

    from ..corpus import convert
    from ..labels import load_scheme

    alias_table = yaml.safe_load(aliases.read_text(encoding="utf8")) if aliases else None
    result = convert(exports, out_dir, load_scheme(labels).names, lang=lang, policy=policy, dev=dev, test=test, seed=seed,
                     newest_test=newest_test, snap=snap, aliases=alias_table, from_name=from_name, workers=workers)
    spans = result.report["spans"]
    splits = result.report["splits"]
    typer.echo(
        f"✔ {sum(s['documents'] for s in splits.values())} documents -> {out_dir}/{{train,dev,test}}.spacy "
        f"({', '.join(k + ' ' + str(v['documents']) for k, v in splits.items())})\n"
        f"  spans: {spans['input']} = {spans['exact']} exact + {spans['trimmed']} trimmed + {spans['snapped']} snapped + {spans['quarantined']} quarantined\n"
        f"  report: {out_dir}/reports/corpus.json, summary: {out_dir}/reports/summary.md"
    )
    from ..corpus import summary
    from ..labels import load_scheme as _scheme

    typer.echo("\n" + summary(result.report, _scheme(labels).names))
    for item in result.report["quarantined"][:20]:
        typer.secho(f"⚠ {item['file']}: task {item['task_id']} result {item['result_id']} {item['start']}:{item['end']} {item['label']}: {item['reason']}", fg=typer.colors.YELLOW, err=True)


@app.command("markup-corpus")
@handle_errors
def markup_corpus_cli(
    sources: List[Path] = typer.Argument(..., help="Gold articles in [[text|LABEL]] markup: files, or folders of *.txt/*.md (e.g. annotation/heldout-markup)."),
    out: Path = typer.Option(Path("corpus/heldout.spacy"), "--out", help="The .spacy file to write."),
    config: Path = typer.Option(Path("configs/ingest.yml"), help="Ingest settings: the articles are normalised as `attache ingest` would."),
    lang: str = typer.Option("en", help="Language of the tokenizer (the training pipeline's)."),
) -> None:
    """Turn gold articles written as inline markup into a .spacy corpus, as
    the workbench would see them (normalised like ingest), e.g. the held-out
    evaluation set. A span that does not survive normalisation or does not
    fall on token edges stops the command with the file and span named."""
    from ..corpus.markup import markup_corpus, markup_files
    from ..ingest import load_ingest_settings

    paths = [p for source in sources for p in (markup_files(source) if source.is_dir() else [source])]
    counts = markup_corpus(paths, out, load_ingest_settings(config), lang=lang)
    typer.echo(f"✔ {len(paths)} articles, {sum(counts.values())} spans -> {out}\n  " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
