"""project.yml is valid, honest about its inputs, and documented in the README."""
import subprocess
import sys

import pytest
import srsly

from conftest import REPO

PROJECT = srsly.read_yaml(REPO / "project.yml")


def interpolated():
    """project.yml as weasel reads it: variables substituted."""
    from weasel.util import load_project_config

    return load_project_config(REPO)
COMMANDS = {c["name"]: c for c in PROJECT["commands"]}


def test_project_yml_passes_weasel_schema():
    from weasel.schemas import ProjectConfigSchema, validate

    assert validate(ProjectConfigSchema, PROJECT) == []


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_project_every_command_has_help(name):
    assert COMMANDS[name].get("help")


def test_project_all_workflow_covers_the_whole_loop():
    assert PROJECT["workflows"]["all"] == ["ingest", "preannotate", "corpus", "debug-data", "train-both", "vote", "add-rules",
                                           "heldout-corpus", "evaluate-both", "package"]
    assert COMMANDS["evaluate-both"]["script"] == ["python -m attache parallel evaluate evaluate-heldout --log-dir training/logs"]
    for workflow in PROJECT["workflows"].values():
        assert set(workflow) <= set(COMMANDS)


def test_project_paths_survive_weasel_interpolation():
    """Each dep and output is one existing path or an output of an earlier
    step, as weasel sees them after substituting variables."""
    config = interpolated()
    outputs = set()
    for command in config["commands"]:
        for dep in command.get("deps", []):
            assert ", " not in dep, (command["name"], dep)
            assert (REPO / dep).exists() or any(dep.startswith(o) for o in outputs) or dep.startswith(("training/", "corpus/", "metrics/")), (command["name"], dep)
        outputs.update(command.get("outputs", []))


def test_project_each_step_depends_on_what_the_previous_one_writes():
    outputs = {o for c in PROJECT["commands"] for o in c.get("outputs", [])}
    inputs = {d for c in PROJECT["commands"] for d in c.get("deps", [])}
    resolved = lambda p: p.replace("${vars.ingested_dir}", PROJECT["vars"]["ingested_dir"]).replace("${vars.tasks}", PROJECT["vars"]["tasks"])
    assert resolved("${vars.ingested_dir}/articles.jsonl") in {resolved(d) for d in COMMANDS["preannotate"]["deps"]}
    assert {"corpus/train.spacy", "corpus/dev.spacy"} <= set(COMMANDS["train"]["deps"])
    assert {"training/model-best", "training/cnn"} <= set(COMMANDS["vote"]["deps"]) and "training/model-vote" in COMMANDS["vote"]["outputs"]
    assert "training/model-vote" in COMMANDS["add-rules"]["deps"] and "training/model-rules" in COMMANDS["add-rules"]["outputs"]
    assert {"training/model-rules", "training/model-vote", "training/model-best", "corpus/test.spacy"} <= set(COMMANDS["evaluate"]["deps"])
    assert {"training/model-rules", "corpus/heldout.spacy"} <= set(COMMANDS["evaluate-heldout"]["deps"])
    assert "corpus/heldout.spacy" in COMMANDS["heldout-corpus"]["outputs"]
    assert "training/model-rules" in COMMANDS["package"]["deps"]  # what is shipped: the NERs' vote with the rules merged
    static = [d for d in inputs - outputs if "${" not in d]
    for dep in static:
        if not any(dep.startswith(o) or o.startswith(dep) for o in outputs):
            assert (REPO / dep).exists(), dep


def test_project_readme_command_table_is_generated_and_current():
    readme = (REPO / "README.md").read_text()
    generated = subprocess.run([sys.executable, "-m", "weasel", "document", str(REPO)], check=True, capture_output=True, text=True).stdout
    for row in [line for line in generated.splitlines() if line.startswith("| `")]:
        assert row in readme, f"README is stale, run `weasel document --output README.md`: {row}"


def test_project_studio_pin_is_the_same_everywhere():
    from attache.studio.server import LABEL_STUDIO_REQUIREMENT

    pins = [line.strip() for line in (REPO / "requirements" / "studio.txt").read_text().splitlines() if line.strip() and not line.startswith("#")]
    assert pins == [LABEL_STUDIO_REQUIREMENT]
