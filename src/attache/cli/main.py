"""Entry point of the `attache` console script."""
from __future__ import annotations

import sys
from functools import wraps
from typing import Callable

import typer

from ..errors import AttacheError

app = typer.Typer(
    name="attache",
    help="Annotation and fine-tuning workbench for custom spaCy NER models (diplomatic news by default).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Annotation and fine-tuning workbench for custom spaCy NER models."""


def handle_errors(func: Callable) -> Callable:
    """Print coded errors as one readable message and exit 1, without a traceback."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except AttacheError as err:
            typer.secho(f"✘ {err}", fg=typer.colors.RED, err=True)
            raise typer.Exit(code=1) from None

    return wrapper


def register_commands() -> None:
    from . import corpus, evaluate, ingest, package, preannotate, status, studio, train, workflow  # noqa: F401  (commands register themselves on import)


register_commands()


def main() -> None:
    app(prog_name="attache")


if __name__ == "__main__":
    sys.exit(main())
