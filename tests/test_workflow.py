"""`attache parallel` runs project.yml commands side by side, as weasel would
run each one: skipped when nothing changed, project.lock updated on success,
the others stopped when one fails."""
import io
import json
import subprocess
import sys
import time

import pytest
import srsly

from attache.workflow import DONE, RUNNING, Job, describe

from conftest import REPO

# Each of a and b waits (up to 20 s) for the other to have started, and
# writes whether it saw it: "together" only if they ran side by side.
WAIT_FOR = """
import pathlib, sys, time
me, other = sys.argv[1:]
pathlib.Path(me + ".started").touch()
began = time.time()
while not pathlib.Path(other + ".started").exists() and time.time() - began < 20:
    time.sleep(0.05)
pathlib.Path(me + ".out").write_text("together" if pathlib.Path(other + ".started").exists() else "alone")
"""

PROJECT = {
    "title": "side by side",
    "commands": [
        {"name": "a", "help": "a", "script": ["python wait.py a b", "python -c \"print('a finished')\""], "outputs": ["a.out"]},
        {"name": "b", "help": "b", "script": ["python wait.py b a"], "deps": ["input.txt"], "outputs": ["b.out"]},
        {"name": "fails", "help": "fails", "script": ["python -c \"import sys; print('boom'); sys.exit(4)\""], "outputs": ["fails.out"]},
        {"name": "slow", "help": "slow", "script": ["python -c \"import time, pathlib; time.sleep(60); pathlib.Path('slow.out').touch()\""], "outputs": ["slow.out"]},
        {"name": "needs", "help": "needs", "script": ["python -c pass"], "deps": ["missing.txt"], "outputs": ["needs.out"]},
    ],
    "workflows": {"all": ["a", "b"]},
}


@pytest.fixture
def project(tmp_path):
    srsly.write_yaml(tmp_path / "project.yml", PROJECT)
    (tmp_path / "input.txt").write_text("v1")
    (tmp_path / "wait.py").write_text(WAIT_FOR)
    return tmp_path


def parallel(project, *names, check=None):
    result = subprocess.run([sys.executable, "-m", "attache", "parallel", *names, "--project-dir", str(project), "--log-dir", "logs"],
                            capture_output=True, text=True, timeout=120, cwd=project.parent)  # the log folder is the project's
    if check is not None:
        assert result.returncode == check, result.stdout + result.stderr
    return result


def lock(project):
    path = project / "project.lock"
    return srsly.read_yaml(path) if path.exists() else {}


def test_parallel_runs_the_commands_side_by_side(project):
    result = parallel(project, "a", "b", check=0)
    assert (project / "a.out").read_text() == "together" and (project / "b.out").read_text() == "together"
    assert "a: a finished" in result.stdout  # each job's last line of output
    assert (project / "logs" / "a.log").read_text().splitlines()[-1] == "a finished"


def test_parallel_records_each_command_as_weasel_run_does(project):
    from weasel.cli.run import check_rerun
    from weasel.util import load_project_config

    parallel(project, "a", "b", check=0)
    assert set(lock(project)) == {"a", "b"}
    commands = {c["name"]: c for c in load_project_config(project)["commands"]}
    assert not check_rerun(project, commands["a"]) and not check_rerun(project, commands["b"])
    weasel = subprocess.run([sys.executable, "-m", "weasel", "run", "b", str(project)], capture_output=True, text=True, cwd=project)
    assert "Skipping 'b': nothing changed" in weasel.stdout


def test_parallel_skips_what_did_not_change_and_reruns_what_did(project):
    parallel(project, "a", "b", check=0)
    before = (project / "a.out").stat().st_mtime_ns
    again = parallel(project, "a", "b", check=0)
    assert again.stdout.count("skipped: nothing changed") == 2
    b_before = (project / "b.out").stat().st_mtime_ns
    (project / "input.txt").write_text("v2")  # b's dependency
    third = parallel(project, "a", "b", check=0)
    assert "a  skipped" in third.stdout and "b  ✔ done" in third.stdout
    assert (project / "a.out").stat().st_mtime_ns == before and (project / "b.out").stat().st_mtime_ns != b_before


def test_parallel_stops_the_others_when_one_fails(project):
    began = time.monotonic()
    result = parallel(project, "fails", "slow", check=1)
    assert time.monotonic() - began < 50  # slow sleeps 60 s unless stopped
    assert not (project / "slow.out").exists()
    assert "fails failed (exit 4)" in result.stderr and "| boom" in result.stderr and "fails.log" in result.stderr
    assert "stopped" in result.stdout
    assert lock(project) == {}  # neither is recorded as run


@pytest.mark.parametrize("names, code, words", [
    (["a", "nope"], "E130", "no command 'nope'"),
    (["all", "b"], "E130", "'all' is a workflow; name its commands instead (a, b)"),
    (["a", "a"], "E130", "Name each command once"),
    (["a", "needs"], "E131", "depends on missing.txt"),
])
def test_parallel_names_what_it_cannot_run(project, names, code, words):
    result = parallel(project, *names, check=1)
    assert code in result.stderr and words in result.stderr
    assert not (project / "a.out").exists()


def job(tmp_path, state=RUNNING, progress=None, seconds=75):
    j = Job("train", {"script": ["python -m attache train configs/ner_trf.cfg"]}, tmp_path / "train.log", tmp_path / "train.progress.json", state=state)
    j.started, j.ended = 0.0, (seconds if state == DONE else None)
    j.progress.unlink(missing_ok=True)
    if progress is not None:
        j.progress.write_text(json.dumps(progress))
    return j


def test_describe_says_where_a_training_is(tmp_path):
    progress = {"step": 300, "max_steps": 1200, "ents_f": 0.861, "seconds": 300.0, "finished": False}
    assert describe(job(tmp_path, progress=progress), now=75) == "1:15 · step 300/1,200 · dev ents_f 0.861 · about 15:00 left"
    assert describe(job(tmp_path, progress={**progress, "max_steps": 0}), now=75) == "1:15 · step 300 · dev ents_f 0.861"
    assert describe(job(tmp_path), now=75) == "1:15 · attache train configs/ner_trf.cfg"  # not training (yet)
    assert describe(job(tmp_path, state=DONE, seconds=1210), now=2000) == "✔ done in 20:10"


def test_describe_estimates_the_time_left_at_the_recent_pace(tmp_path):
    slow = {"step": 15, "max_steps": 1200, "ents_f": None, "seconds": 60.0, "finished": False}  # 4 s a step beside another job
    j = job(tmp_path, progress=slow)
    assert describe(j, now=60).endswith("about 79:00 left")  # 1,185 steps at 4 s
    j.progress.write_text(json.dumps({**slow, "step": 135, "seconds": 180.0}))  # then 1 s a step, alone
    assert describe(j, now=180).endswith("about 17:45 left")  # 1,065 steps at 1 s (from the start on average: 23:40)


def test_live_display_rewrites_its_lines_in_place(tmp_path, monkeypatch):
    from attache.cli.workflow import LiveLines

    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    display = LiveLines(width=5)
    jobs = [job(tmp_path), job(tmp_path, state=DONE)]
    display.show(jobs)
    display.show(jobs)
    first, second = out.getvalue().split("\n", 2)[:2], out.getvalue().split("\n")[2]
    assert first[0].startswith("\x1b[2K  train  ") and "✔ done" in first[1]
    assert second.startswith("\x1b[2F\x1b[2K  train  ")  # back up two lines, then redraw


def test_jobs_side_by_side_wait_without_spinning(project, monkeypatch):
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    srsly.write_yaml(project / "project.yml", {"title": "env", "commands": [
        {"name": n, "help": n, "script": ["python -c \"import os; print(os.environ.get('OMP_WAIT_POLICY'))\""]} for n in ("x", "y")]})
    parallel(project, "x", "y", check=0)
    assert (project / "logs" / "x.log").read_text().splitlines()[-1] == "PASSIVE"
    parallel(project, "x", check=0)  # alone: as it is
    assert (project / "logs" / "x.log").read_text().splitlines()[-1] == "None"


@pytest.mark.slow
def test_parallel_trainings_write_their_progress(tmp_path, tiny_corpus):
    train = "python -m attache train {config} --output {out} --train {train} --dev {dev} --training.max_steps 30 --training.eval_frequency 10 --system.seed {seed}"
    commands = [{"name": f"train-{seed}", "help": "smoke", "outputs": [f"training-{seed}/model-best"],
                 "script": [train.format(config=REPO / "configs" / "ner_smoke.cfg", out=tmp_path / f"training-{seed}", train=tiny_corpus[0], dev=tiny_corpus[1], seed=seed)]}
                for seed in (0, 1)]
    srsly.write_yaml(tmp_path / "project.yml", {"title": "smoke", "commands": commands})
    result = parallel(tmp_path, "train-0", "train-1", check=0)
    for seed in (0, 1):
        progress = json.loads((tmp_path / "logs" / f"train-{seed}.progress.json").read_text())
        assert progress["step"] == progress["max_steps"] == 30 and progress["finished"] and progress["ents_f"] is not None
        assert (tmp_path / f"training-{seed}" / "model-best" / "meta.json").exists()
        assert f"train-{seed}: ✔ run " in result.stdout  # `attache train`'s last line


def test_project_demo_trains_the_two_ners_side_by_side():
    project = srsly.read_yaml(REPO / "project.yml")
    commands = {c["name"]: c for c in project["commands"]}
    assert "train-both" in project["workflows"]["all"] and "train-both" in project["workflows"]["round"]
    assert commands["train-both"]["script"][0].startswith("python -m attache parallel train train-cnn")
