"""`attache studio serve | push | pull`."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..labels import load_scheme
from .main import app, handle_errors

studio_app = typer.Typer(help="Drive a Label Studio server: run one locally, push tasks, pull snapshots.", no_args_is_help=True)
app.add_typer(studio_app, name="studio")

PROJECT_HELP = "Title of the Label Studio project."
DEFAULT_PROJECT = "attache diplomatic NER"


@studio_app.command("serve")
@handle_errors
def serve_cli(
    port: int = typer.Option(8080, help="Port to listen on (always on 127.0.0.1 unless --host)."),
    host: str = typer.Option("127.0.0.1", help="Interface to bind. Anything but loopback exposes the server to your network."),
    state_dir: Path = typer.Option(Path(".studio"), help="Folder for the server's data, generated secret key, admin password and API token (mode 0700)."),
    venv: Path = typer.Option(Path(".venv-studio"), help="Virtual environment of the server; created with label-studio pinned if missing."),
) -> None:
    """Run a local Label Studio server for annotators until Ctrl-C.

    Signup without an invite link is disabled, local files are not served,
    organisation webhooks are off. The API token is written to
    STATE_DIR/api_key and never printed.
    """
    import time

    from ..studio.server import LocalServer, ServerSpec, api_key_path, install_studio

    install_studio(venv, log=typer.echo)
    spec = ServerSpec(state_dir=state_dir, host=host, port=port, venv=venv)
    with LocalServer(spec) as server:
        typer.echo(
            f"✔ Label Studio is up at {spec.url} (data in {state_dir}/data, log {server.log_path})\n"
            f"  admin: {spec.admin_email}, password in {state_dir}/admin_password\n"
            f"  for push/pull: export LABEL_STUDIO_URL={spec.url} LABEL_STUDIO_API_KEY=$(cat {api_key_path(state_dir)})\n"
            "  Ctrl-C stops it."
        )
        try:
            while server.process.poll() is None:
                time.sleep(1)
        except KeyboardInterrupt:
            typer.echo("stopping")


@studio_app.command("push")
@handle_errors
def push_cli(
    tasks: Path = typer.Argument(..., help="Task file from `attache preannotate` (JSON array or JSONL)."),
    project: str = typer.Option(DEFAULT_PROJECT, "--project", "-p", help=PROJECT_HELP),
    labels: Optional[Path] = typer.Option(None, help="Label scheme (default configs/labels.yml): becomes the labeling config."),
    guidelines: Path = typer.Option(Path("annotation/GUIDELINES.md"), help="Annotation guidelines, shown as the project instructions."),
    batch_size: int = typer.Option(50, min=1, max=5000, help="Tasks per import request."),
    review: Optional[str] = typer.Option(None, help="Push these tasks as review tasks with this tag (e.g. 'disagreement', 'model-error')."),
    allow_label_changes: bool = typer.Option(False, help="Update a project whose labels differ from the scheme."),
    url: Optional[str] = typer.Option(None, help="Server address (default: $LABEL_STUDIO_URL, then http://127.0.0.1:8080). The key is read from $LABEL_STUDIO_API_KEY only."),
) -> None:
    """Create or update the project and import tasks with their predictions.

    Idempotent: tasks already in the project (same article id and text hash)
    are skipped; tasks whose text changed are reported, not sent. After a
    failed batch it reconciles with the server before sending again.
    """
    from ..studio.connection import StudioSettings
    from ..studio.push import push, read_tasks

    result = push(
        read_tasks(tasks), StudioSettings.from_env(url), project, load_scheme(labels),
        guidelines=guidelines, batch_size=batch_size, allow_label_changes=allow_label_changes, review_tag=review,
    )
    typer.echo(f"✔ {result.summary()}")
    for key in result.changed:
        typer.secho(f"⚠ task {key}: text differs from the task in the project; not sent (push it as a review task, or start a new project)", fg=typer.colors.YELLOW, err=True)
    for key, ids in result.duplicates_on_server.items():
        typer.secho(f"⚠ task {key} exists {len(ids)} times in the project (ids {ids}); delete the extra copies", fg=typer.colors.YELLOW, err=True)


@studio_app.command("pull")
@handle_errors
def pull_cli(
    project: str = typer.Option(DEFAULT_PROJECT, "--project", "-p", help=PROJECT_HELP),
    out_dir: Path = typer.Option(Path("annotation/exports"), help="Folder for the snapshot; each pull writes a new dated file and never overwrites."),
    url: Optional[str] = typer.Option(None, help="Server address (default: $LABEL_STUDIO_URL, then http://127.0.0.1:8080). The key is read from $LABEL_STUDIO_API_KEY only."),
) -> None:
    """Download a full snapshot export (annotations and full predictions)."""
    from ..studio.connection import StudioSettings
    from ..studio.pull import pull

    result = pull(StudioSettings.from_env(url), project, out_dir)
    typer.echo(
        f"✔ snapshot {result.snapshot_id} -> {result.path}\n"
        f"  {result.tasks} tasks, {result.annotations} annotations ({result.cancelled} skipped), "
        f"{result.predictions} predictions, {result.annotators} annotators; label config {result.label_config_hash}"
    )
