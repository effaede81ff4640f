"""The `attache` command line: thin typer commands over library functions."""
from __future__ import annotations

from .main import app

__all__ = ["app"]
