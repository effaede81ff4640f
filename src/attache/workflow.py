"""`attache parallel`: run commands of project.yml side by side.

Weasel runs a workflow's steps one after another. On a machine whose cores
one training does not keep busy (a CNN and a transformer on 2 CPU cores),
two trainings take less time side by side. This runs named commands of
project.yml at the same time, as weasel would run each one: its script lines
in order, skipped when its deps and outputs have not changed since it last
ran (weasel's project.lock, which is updated as each command succeeds). Each
command's output goes to a log file of its own; the caller gets a snapshot
of every job while they run (for a progress display) and their results.
If one command fails, the others are stopped.

Jobs run side by side with ``OMP_WAIT_POLICY=PASSIVE`` (unless it is set
already): torch's threads then sleep while they wait for each other instead
of spinning on a core another job needs (README, "Side by side"). Unlike
changing the number of threads, this leaves a training's numbers as they
are.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

from .errors import AttacheError

PROGRESS_ENV = "ATTACHE_PROGRESS"  # `attache.curve_logger.v1` writes a training's progress to the file it names
WAITING, RUNNING, DONE, SKIPPED, FAILED, STOPPED = "waiting", "running", "done", "skipped", "failed", "stopped"


@dataclass
class Job:
    """One project.yml command run as a job, and where it is."""

    name: str
    command: Dict
    log: Path
    progress: Path
    state: str = WAITING
    line: int = 0  # index of the script line running (or that failed)
    returncode: Optional[int] = None
    started: Optional[float] = None
    ended: Optional[float] = None
    process: Optional[subprocess.Popen] = field(default=None, repr=False)
    pace: deque = field(default_factory=lambda: deque(maxlen=600), repr=False)  # (training seconds, step) as displayed

    @property
    def script(self) -> List[str]:
        return list(self.command.get("script", []))

    def seconds(self, now: Optional[float] = None) -> float:
        if self.started is None:
            return 0.0
        return (self.ended or now or time.monotonic()) - self.started

    def training(self) -> Optional[Dict]:
        """The running training's progress (`attache train` writes it), if
        the script line running now is one."""
        try:
            return json.loads(self.progress.read_text(encoding="utf8"))
        except (OSError, ValueError):
            return None

    def left(self, training: Dict, window: float = 300.0) -> Optional[float]:
        """Seconds the training has left to its step limit, at the pace of
        its last ``window`` seconds (a run's pace changes: the first steps
        include loading, and a job beside it may finish)."""
        step, limit, seconds = training.get("step", 0), training.get("max_steps", 0), training.get("seconds", 0.0)
        if not limit or not step or training.get("finished"):
            return None
        if not self.pace or self.pace[-1] != (seconds, step):
            self.pace.append((seconds, step))
        then, before = next((s, n) for s, n in self.pace if s >= seconds - window)
        if seconds - then >= min(window, 20.0) and step > before:
            return (limit - step) * (seconds - then) / (step - before)
        return (limit - step) * seconds / step

    def tail(self, lines: int = 15, commands: bool = True) -> List[str]:
        """The last lines of the log (``commands``: with the "$ <script
        line>" lines that start each script line's output)."""
        if not self.log.exists():
            return []
        text = self.log.read_text(encoding="utf8", errors="replace").replace("\r", "\n")
        kept = [line for line in text.splitlines() if line.strip() and (commands or not line.startswith("$ "))]
        return kept[-lines:]


def plan(project_dir: Path, names: Sequence[str], log_dir: Path, *, force: bool = False) -> List[Job]:
    """The jobs for ``names`` (commands of ``project_dir``'s project.yml, as
    weasel reads it), each marked skipped when weasel would skip it; their
    logs go to ``log_dir`` (relative to ``project_dir`` unless absolute)."""
    from weasel.cli.run import check_rerun
    from weasel.util import load_project_config

    project_dir = Path(project_dir)
    if not (project_dir / "project.yml").exists():
        raise AttacheError("E130", f"No project.yml in {project_dir}", "Run it in the project folder or pass --project-dir.")
    config = load_project_config(project_dir)
    log_dir = Path(log_dir) if Path(log_dir).is_absolute() else project_dir / log_dir
    commands = {c["name"]: c for c in config.get("commands", [])}
    workflows = config.get("workflows", {})
    if len(set(names)) != len(names) or not names:
        raise AttacheError("E130", f"Name each command once: {' '.join(names) or '(none)'}", "Pass the names of the commands to run, e.g. `attache parallel train train-cnn`.")
    jobs = []
    for name in names:
        if name not in commands:
            hint = f"'{name}' is a workflow; name its commands instead ({', '.join(workflows[name])})" if name in workflows else f"Commands: {', '.join(commands)}"
            raise AttacheError("E130", f"project.yml in {project_dir} has no command '{name}'", hint)
        command = commands[name]
        missing = [dep for dep in command.get("deps", []) if not (project_dir / dep).exists()]
        if missing:
            raise AttacheError("E131", f"Command '{name}' depends on {', '.join(missing)}, which does not exist", "Run the steps that make it first (`weasel run all` runs them in order).")
        job = Job(name, command, log_dir / f"{name}.log", log_dir / f"{name}.progress.json")
        if not force and not check_rerun(project_dir, command):
            job.state = SKIPPED
        jobs.append(job)
    return jobs


def run_jobs(project_dir: Path, jobs: Sequence[Job], *, on_tick: Optional[Callable[[Sequence[Job]], None]] = None,
             every: float = 1.0) -> List[Job]:
    """Run the jobs that are not skipped side by side; call ``on_tick`` with
    all of them every ``every`` seconds and once at the end. Return them with
    their states: done, skipped, failed, or stopped (because another failed).
    Ctrl-C stops them all."""
    project_dir = Path(project_dir)
    lock = threading.Lock()
    stop = threading.Event()
    threads = []
    running = [job for job in jobs if job.state != SKIPPED]
    env = dict(os.environ)
    if len(running) > 1:
        env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    for job in running:
        job.log.parent.mkdir(parents=True, exist_ok=True)
        job.state, job.started = RUNNING, time.monotonic()
        thread = threading.Thread(target=_run_job, args=(project_dir, job, env, stop, lock), daemon=True)
        threads.append(thread)
        thread.start()
    try:
        while any(thread.is_alive() for thread in threads):
            if on_tick:
                on_tick(jobs)
            if any(job.state == FAILED for job in jobs):
                stop.set()
                _terminate(jobs, lock)
            for thread in threads:
                thread.join(timeout=every / max(len(threads), 1))
    except KeyboardInterrupt:
        stop.set()
        _terminate(jobs, lock)
        for thread in threads:
            thread.join()
        raise
    if on_tick:
        on_tick(jobs)
    return list(jobs)


def _run_job(project_dir: Path, job: Job, env: Dict[str, str], stop: threading.Event, lock: threading.Lock) -> None:
    from weasel.cli.run import update_lockfile
    from weasel.util import split_command

    env = {**env, PROGRESS_ENV: str(job.progress.resolve()), "PYTHONUNBUFFERED": "1"}
    with job.log.open("w", encoding="utf8") as log:
        for job.line, line in enumerate(job.script):
            job.progress.unlink(missing_ok=True)
            job.pace.clear()
            argv = split_command(line)
            if argv and argv[0] in ("python", "python3"):  # the same interpreter, as weasel does
                argv[0] = sys.executable
            log.write(f"$ {line}\n")
            log.flush()
            with lock:
                if stop.is_set():
                    job.state = STOPPED
                    break
                try:
                    job.process = subprocess.Popen(argv, cwd=project_dir, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
                except OSError as err:
                    log.write(f"{err}\n")
                    job.returncode, job.state = 127, FAILED
                    break
            job.returncode = job.process.wait()
            if job.returncode != 0:
                job.state = STOPPED if stop.is_set() else FAILED
                break
        else:
            with lock:  # weasel reads and rewrites the whole lock file
                update_lockfile(project_dir, job.command)
            job.state = DONE
    job.ended = time.monotonic()


def _terminate(jobs: Sequence[Job], lock: threading.Lock) -> None:
    with lock:  # no job starts its next script line meanwhile
        for job in jobs:
            if job.state == RUNNING and job.process is not None and job.process.poll() is None:
                try:
                    os.killpg(job.process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass


def describe(job: Job, now: Optional[float] = None) -> str:
    """One line on where ``job`` is, for the progress display."""
    elapsed = _clock(job.seconds(now))
    if job.state == SKIPPED:
        return "skipped: nothing changed since it last ran"
    if job.state == WAITING:
        return "waiting"
    if job.state == DONE:
        return f"✔ done in {elapsed}"
    if job.state in (FAILED, STOPPED):
        what = f"exit {job.returncode}" if job.state == FAILED else "another command failed"
        return f"✘ {job.state} after {elapsed} ({what}) in: {_short(job.script[job.line])}"
    training = job.training()
    if not training:
        return f"{elapsed} · {_short(job.script[job.line])}"
    step, limit = training.get("step", 0), training.get("max_steps", 0)
    parts = [f"{elapsed} · step {step:,}" + (f"/{limit:,}" if limit else "")]
    if training.get("ents_f") is not None:
        parts.append(f"dev ents_f {training['ents_f']:.3f}")
    left = job.left(training)
    if left is not None:
        parts.append(f"about {_clock(left)} left")
    if training.get("finished"):
        parts.append("saving")
    return " · ".join(parts)


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def _short(line: str, width: int = 70) -> str:
    line = line.replace("python -m ", "")
    return line if len(line) <= width else line[: width - 1] + "…"
