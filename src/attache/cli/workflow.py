"""`attache parallel`."""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Dict, List, Sequence

import typer

from .main import app, handle_errors


@app.command("parallel")
@handle_errors
def parallel_cli(
    names: List[str] = typer.Argument(..., help="Commands of project.yml to run side by side (e.g. train train-cnn)."),
    project_dir: Path = typer.Option(Path("."), help="Folder of the project.yml."),
    log_dir: Path = typer.Option(Path("training/logs"), help="Each command's output goes to LOG_DIR/<command>.log (relative to the project folder)."),
    force: bool = typer.Option(False, "--force", "-F", help="Run them even when nothing changed since they last ran."),
    every: float = typer.Option(60.0, help="Seconds between progress lines when the output is not a terminal."),
) -> None:
    """Run commands of project.yml side by side, each as `weasel run` would
    (skipped when nothing changed, project.lock updated when it succeeds),
    with one progress display and a log file per command. If one fails, the
    others are stopped and its log's last lines are shown. Side by side
    they run with OMP_WAIT_POLICY=PASSIVE unless it is set: threads that
    wait sleep instead of spinning on a core another command needs."""
    from ..workflow import DONE, FAILED, SKIPPED, plan, run_jobs

    jobs = plan(project_dir, names, log_dir, force=force)
    width = max(len(job.name) for job in jobs)
    display = LiveLines(width) if sys.stdout.isatty() else PeriodicLines(width, every)
    typer.echo(f"Running side by side: {', '.join(job.name for job in jobs)} (logs: {jobs[0].log.parent}/<command>.log)")
    run_jobs(project_dir, jobs, on_tick=display.show)
    for job in jobs:
        if job.state == DONE:
            last = job.tail(1, commands=False)
            typer.echo(f"  {job.name}: {last[0] if last else 'done'}")
        elif job.state == FAILED:
            typer.secho(f"✘ {job.name} failed (exit {job.returncode}); the end of {job.log}:", fg=typer.colors.RED, err=True)
            for line in job.tail():
                typer.echo(f"  | {line}", err=True)
    if any(job.state not in (DONE, SKIPPED) for job in jobs):
        raise typer.Exit(code=1)


class LiveLines:
    """One line per job, rewritten in place on a terminal."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.drawn = 0

    def show(self, jobs: Sequence) -> None:
        from ..workflow import describe

        now = time.monotonic()
        out = sys.stdout
        if self.drawn:
            out.write(f"\x1b[{self.drawn}F")  # back to the first line drawn
        for job in jobs:
            out.write(f"\x1b[2K  {job.name:<{self.width}}  {describe(job, now)}\n")
        out.flush()
        self.drawn = len(jobs)


class PeriodicLines:
    """In a log file: a job's line when it changes state, and every
    ``every`` seconds while it runs."""

    def __init__(self, width: int, every: float) -> None:
        self.width = width
        self.every = every
        self.seen: Dict[str, str] = {}
        self.last = 0.0

    def show(self, jobs: Sequence) -> None:
        from ..workflow import RUNNING, describe

        now = time.monotonic()
        due = now - self.last >= self.every
        for job in jobs:
            if self.seen.get(job.name) != job.state or (due and job.state == RUNNING):
                typer.echo(f"  {job.name:<{self.width}}  {describe(job, now)}")
                self.seen[job.name] = job.state
        if due:
            self.last = now
