"""Load a YAML settings file into a pydantic model, with coded errors that
name the file and each invalid field as "[location] message" (weasel's way)."""
from __future__ import annotations

from pathlib import Path
from typing import Tuple, Type, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import AttacheError

M = TypeVar("M", bound=BaseModel)


def format_validation_error(err: ValidationError) -> str:
    lines = []
    for item in err.errors():
        loc = " -> ".join(str(part) for part in item["loc"]) or "root"
        lines.append(f"[{loc}] {item['msg']}")
    return "\n".join(lines)


def load_yaml_model(path: Path, model: Type[M], codes: Tuple[str, str, str], what: str, missing_fix: str) -> M:
    """``codes``: (file missing, not YAML, invalid content)."""
    missing, not_yaml, invalid = codes
    if not path.exists():
        raise AttacheError(missing, f"{what.capitalize()} not found: {path}", missing_fix)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf8")) or {}
    except yaml.YAMLError as err:
        raise AttacheError(not_yaml, f"{path} is not valid YAML: {err}", "Fix the syntax error at the position shown.") from None
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise AttacheError(invalid, f"{path} is not a valid {what}:\n{format_validation_error(err)}", "Fix the fields named above.") from None
