"""Find, create or update the Label Studio project of the workbench."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..errors import AttacheError
from ..labels import LabelScheme
from .connection import StudioSettings, api_errors
from .labeling import config_hash, config_labels, label_changes, labeling_config


@dataclass
class ProjectInfo:
    id: int
    title: str
    created: bool
    config_hash: str


def instructions_html(guidelines: Optional[Path]) -> str:
    """The annotation guidelines as project instructions (shown before labelling)."""
    if guidelines is None or not Path(guidelines).exists():
        return ""
    from html import escape

    text = Path(guidelines).read_text(encoding="utf8")
    return f'<div style="white-space: pre-wrap; font-family: inherit">{escape(text)}</div>'


def find_project(client, settings: StudioSettings, title: str):
    with api_errors(settings, f"looking up project {title!r}"):
        for project in client.projects.list(title=title):
            if project.title == title:
                return project
    return None


def ensure_project(
    client,
    settings: StudioSettings,
    title: str,
    scheme: LabelScheme,
    *,
    model_version: Optional[str] = None,
    guidelines: Optional[Path] = None,
    allow_label_changes: bool = False,
) -> ProjectInfo:
    """Create the project, or bring an existing one up to date.

    The labeling config comes from the scheme. If the project's labels differ
    from the scheme's, nothing is changed unless ``allow_label_changes``.
    The project's model version is set to ``model_version`` so that Label
    Studio shows those predictions to annotators.
    """
    config = labeling_config(scheme)
    fields = dict(
        label_config=config,
        expert_instruction=instructions_html(guidelines),
        show_instruction=True,
        show_collab_predictions=True,
        show_skip_button=True,
        enable_empty_annotation=True,
    )
    if model_version:
        fields["model_version"] = model_version
    existing = find_project(client, settings, title)
    if existing is None:
        with api_errors(settings, f"creating project {title!r}"):
            created = client.projects.create(title=title, description=f"attache NER project, scheme {scheme.name} v{scheme.version}", **fields)
        return ProjectInfo(created.id, title, True, config_hash(config))
    removed, added = label_changes(config_labels(existing.label_config or ""), scheme.names)
    if (removed or added) and not allow_label_changes:
        raise AttacheError(
            "E045",
            f"Project {title!r} (id {existing.id}) has other labels than configs/labels.yml: "
            f"removed {sorted(removed) or 'none'}, added {sorted(added) or 'none'}",
            "If the scheme change is intended, run again with --allow-label-changes (Label Studio refuses to drop labels "
            "that annotations use: map them with the corpus alias table first); otherwise restore configs/labels.yml.",
        )
    with api_errors(settings, f"updating project {title!r}"):
        client.projects.update(existing.id, **fields)
    return ProjectInfo(existing.id, title, False, config_hash(config))
