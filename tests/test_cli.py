import json

import pytest
from typer.testing import CliRunner

from attache.cli import app

runner = CliRunner()


def _commands(group, prefix=()):
    import typer.main

    click_group = typer.main.get_command(group)
    stack = [(prefix, click_group)]
    while stack:
        path, command = stack.pop()
        yield path
        for name, sub in getattr(command, "commands", {}).items():
            stack.append((path + (name,), sub))


@pytest.mark.parametrize("path", list(_commands(app)))
def test_cli_every_command_documents_every_option(path):
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    import typer.main

    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    for param in command.params:
        assert param.help or getattr(param, "name", None) == "help", f"{' '.join(path)}: {param.name} has no help"


def test_cli_ingest_writes_corpus_and_reports(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("GENEVA (Reuters) - The OSCE met on Monday.", encoding="utf8")
    (raw / "bad.jsonl").write_text("{nope\n", encoding="utf8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["ingest", str(raw), str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "1 articles from 2 files" in result.output
    assert "bad.jsonl:1: [W104]" in result.output
    assert json.loads((out / "report.json").read_text())["articles"] == 1
    strict = runner.invoke(app, ["ingest", str(raw), str(out), "--no-progress", "--strict"])
    assert strict.exit_code == 2


def test_cli_errors_are_one_coded_line_without_traceback(tmp_path):
    result = runner.invoke(app, ["ingest", str(tmp_path / "missing"), str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "[E023] Input folder not found" in result.output
    assert "Traceback" not in result.output


def test_cli_runs_as_python_module_as_weasel_calls_it():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "attache", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "ingest" in out.stdout and "studio" in out.stdout


def test_cli_status_names_the_shipped_model_and_the_heldout_scores(tmp_path):
    def scores(folder, f, pre=None):
        folder.mkdir(parents=True)
        data = {"model": {"micro": {"f": f, "p": f, "r": f}}}
        if pre is not None:
            data["preannotator"] = {"micro": {"f": pre}}
        (folder / "evaluation.json").write_text(json.dumps(data))

    (tmp_path / "training" / "model-rules").mkdir(parents=True)
    scores(tmp_path / "metrics", 0.9, pre=0.8)
    scores(tmp_path / "metrics" / "heldout", 0.85, pre=0.86)
    scores(tmp_path / "metrics" / "heldout" / "ner-only", 0.84)
    scores(tmp_path / "metrics" / "heldout" / "vote-only", 0.845)
    scores(tmp_path / "metrics" / "heldout" / "cnn", 0.83)
    result = runner.invoke(app, ["status", "--root", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "model (shipped)" in result.output
    heldout = next(line for line in result.output.splitlines() if line.strip().startswith("held-out articles"))
    assert "micro F1 0.850" in heldout and "pre-annotator 0.860" in heldout
    assert "vote alone 0.845; NER alone 0.840; CNN alone 0.830" in heldout
