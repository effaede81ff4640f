"""`attache ingest`."""
from __future__ import annotations

from pathlib import Path

import typer

from ..ingest import ingest, load_ingest_settings
from .main import app, handle_errors


@app.command("ingest")
@handle_errors
def ingest_cli(
    input_dir: Path = typer.Argument(..., help="Folder of raw articles: .txt, .md and .jsonl files (searched recursively)."),
    output_dir: Path = typer.Argument(Path("corpus/ingested"), help="Folder to write: articles.jsonl, dataset/ (HF datasets, save_to_disk) and report.json. Replaced whole, only when ingest succeeds."),
    config: Path = typer.Option(None, "--config", "-c", help="Ingest settings (boilerplate patterns, re-flow, dedup). Default: configs/ingest.yml."),
    strict: bool = typer.Option(False, "--strict", help="Exit with code 2 if any file or line was reported as a problem (after writing the rest)."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
) -> None:
    """Normalise raw articles into a corpus dataset with stable ids, metadata and duplicate groups.

    Bad files and lines (binary, wrong encoding, bad JSON, empty text) are
    reported with file and line; the rest of the batch still goes through.
    """
    settings = load_ingest_settings(config)
    result = ingest(input_dir, output_dir, settings, progress=progress)
    for problem in result.problems:
        typer.secho(f"⚠ {problem}", fg=typer.colors.YELLOW, err=True)
    report = result.report()
    typer.echo(
        f"✔ {len(result.articles)} articles from {result.files_read} files -> {output_dir}\n"
        f"  problems: {len(result.problems)} · exact duplicates merged: {sum(len(v) for v in result.exact_duplicates.values())} · "
        f"near-duplicate groups: {len(result.near_duplicate_groups)} · boilerplate lines removed: {report['boilerplate_lines_removed']}"
    )
    for group in report["near_duplicate_groups"]:
        typer.echo("  near-duplicates: " + " ~ ".join(member["source"] for member in group))
    if strict and result.problems:
        raise typer.Exit(code=2)
