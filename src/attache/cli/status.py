"""`attache status`: where the results of the workflow are, and their numbers."""
from __future__ import annotations

import json
from pathlib import Path

import typer

from .main import app, handle_errors


def _load(path: Path):
    return json.loads(path.read_text(encoding="utf8")) if path.exists() else None


@app.command("status")
@handle_errors
def status_cli(root: Path = typer.Option(Path("."), help="Project folder.")) -> None:
    """List the outputs of the workflow (corpus, model, report, wheel) with their key numbers."""
    lines = []
    ingest = _load(root / "corpus" / "ingested" / "report.json")
    if ingest:
        lines.append(f"ingested articles   {root / 'corpus/ingested'}  ({ingest['articles']} articles, {len(ingest['near_duplicate_groups'])} near-duplicate groups, {len(ingest['problems'])} problems)")
    tasks = root / "corpus" / "tasks" / "tasks.json"
    if tasks.exists():
        lines.append(f"pre-annotated tasks {tasks}")
    corpus = _load(root / "corpus" / "reports" / "corpus.json")
    if corpus:
        docs = {k: v["documents"] for k, v in corpus["splits"].items()}
        lines.append(f"training corpus     {root / 'corpus'}/{{train,dev,test}}.spacy  ({docs}, {corpus['spans']['quarantined']} spans quarantined)")
    for label, name, what in (("model (NER)", "model-best", ""), ("model (CNN NER)", "cnn", ""), ("model (vote)", "model-vote", "  (both NERs, the entities they agree on)")):
        if (root / "training" / name).exists():
            lines.append(f"{label:<19} {root / 'training' / name}{what}")
    if (root / "training" / "model-rules").exists():
        lines.append(f"model (shipped)     {root / 'training' / 'model-rules'}  (NERs + gazetteer rules)")
    for label, folder, cnn in (("evaluation", root / "metrics", root / "metrics" / "cnn"), ("held-out articles", root / "metrics" / "heldout", root / "metrics" / "heldout" / "cnn")):
        metrics = _load(folder / "evaluation.json")
        if metrics:
            m = metrics["model"]["micro"]
            line = f"{label:<19} {folder / 'report.html'}  (micro F1 {m['f']:.3f}, P {m['p']:.3f}, R {m['r']:.3f}"
            for part, path in (("vote alone", folder / "vote-only"), ("NER alone", folder / "ner-only"), ("CNN alone", cnn)):
                scores = _load(path / "evaluation.json")
                if scores:
                    line += f"; {part} {scores['model']['micro']['f']:.3f}"
            if metrics.get("preannotator"):
                line += f"; pre-annotator {metrics['preannotator']['micro']['f']:.3f}"
            lines.append(line + ")")
    wheels = sorted((root / "packages").glob("*/dist/*.whl"))
    if wheels:
        lines.append(f"package             {wheels[-1]}")
    if not lines:
        typer.echo("Nothing built yet: run `make demo` (or `weasel run all`).")
        return
    typer.echo("Results:\n  " + "\n  ".join(lines))
