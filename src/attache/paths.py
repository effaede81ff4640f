"""Where the workbench finds its project files (configs/, annotation/).

Commands run from a project folder (as weasel runs them). A file is looked
up there first, then in the checkout the package was installed from, so
`attache` also works from another folder after `pip install -e .`.
"""
from __future__ import annotations

from pathlib import Path

CHECKOUT_ROOT = Path(__file__).resolve().parents[2]


def project_file(relative: str) -> Path:
    here = Path.cwd() / relative
    if here.exists():
        return here
    installed = CHECKOUT_ROOT / relative
    return installed if installed.exists() else here
