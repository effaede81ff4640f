"""The Label Studio labeling config, generated from the label scheme, and the
check of predictions against it with label-studio-sdk's LabelInterface."""
from __future__ import annotations

import hashlib
import re
from typing import Iterable, List, Set
from xml.sax.saxutils import quoteattr

from ..errors import AttacheError
from ..labels import LabelScheme

FROM_NAME = "label"
TO_NAME = "text"


def labeling_config(scheme: LabelScheme) -> str:
    """XML for a NER project: one Labels tag with the scheme's labels, colours,
    hotkeys and descriptions (shown as hints), over a Text tag in word
    granularity off (character offsets are the exchange format)."""
    lines = [
        "<View>",
        f'  <Header value="Label every entity (guidelines: Instructions button) · scheme {scheme.name} v{scheme.version}"/>',
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}" showInline="true">',
    ]
    for label in scheme.labels:
        lines.append(
            f"    <Label value={quoteattr(label.name)} background={quoteattr(label.color)} "
            f"hotkey={quoteattr(label.hotkey)} hint={quoteattr(label.description)}/>"
        )
    lines += [
        "  </Labels>",
        f'  <Text name="{TO_NAME}" value="$text" granularity="symbol"/>',
        "</View>",
    ]
    return "\n".join(lines) + "\n"


def config_hash(config: str) -> str:
    """Hash of a labeling config, insensitive to whitespace between tags."""
    canonical = re.sub(r">\s+<", "><", config.strip())
    return hashlib.sha256(canonical.encode("utf8")).hexdigest()[:16]


def config_labels(config: str) -> List[str]:
    """Label values of the Labels tag named FROM_NAME in a labeling config."""
    from label_studio_sdk.label_interface import LabelInterface

    interface = LabelInterface(config)
    try:
        control = interface.get_control(FROM_NAME)
    except Exception:  # the SDK raises its own error types for a missing tag
        return []
    return list(control.labels or [])


def check_predictions(config: str, tasks: Iterable[dict]) -> None:
    """Raise a coded error naming the task and span of the first prediction
    LabelInterface rejects for this config."""
    from label_studio_sdk.label_interface import LabelInterface

    interface = LabelInterface(config)
    for number, task in enumerate(tasks, start=1):
        key = task.get("data", {}).get("task_key", f"#{number}")
        for prediction in task.get("predictions", []):
            if interface.validate_prediction(prediction):
                continue
            bad = [r for r in prediction.get("result", []) if not interface.validate_prediction({"result": [r]})]
            where = ", ".join(f"{r.get('value', {}).get('start')}:{r.get('value', {}).get('end')} {r.get('value', {}).get('labels')}" for r in bad[:3])
            raise AttacheError(
                "E044",
                f"Task {key}: prediction does not fit the labeling config ({where or 'structure'})",
                "Predictions must use from_name 'label', to_name 'text', type 'labels' and the scheme's labels; regenerate the tasks.",
            )


def label_changes(old: Iterable[str], new: Iterable[str]) -> tuple[Set[str], Set[str]]:
    old_set, new_set = set(old), set(new)
    return old_set - new_set, new_set - old_set
