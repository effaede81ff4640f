"""The label scheme: one validated object loaded from configs/labels.yml."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import List

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .yamlconf import load_yaml_model
from .paths import project_file



class Label(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Z][A-Z_]*$")
    description: str = Field(min_length=1)
    examples: List[str] = Field(default_factory=list)
    color: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    hotkey: str = Field(pattern=r"^[a-z0-9]$")


class LabelScheme(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    name: str
    labels: List[Label] = Field(min_length=1)

    @field_validator("labels")
    @classmethod
    def _unique(cls, labels: List[Label]) -> List[Label]:
        for attr in ("name", "hotkey", "color"):
            seen = set()
            for label in labels:
                value = getattr(label, attr)
                if value in seen:
                    raise ValueError(f"two labels share the {attr} {value!r}")
                seen.add(value)
        return labels

    @property
    def names(self) -> List[str]:
        return [label.name for label in self.labels]

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def get(self, name: str) -> Label:
        for label in self.labels:
            if label.name == name:
                return label
        raise KeyError(name)



def load_scheme(path: Path | str | None = None) -> LabelScheme:
    path = Path(path) if path is not None else project_file("configs/labels.yml")
    return _load_scheme(path.resolve())


@lru_cache(maxsize=8)
def _load_scheme(path: Path) -> LabelScheme:
    return load_yaml_model(path, LabelScheme, ("E001", "E002", "E003"), "label scheme",
                           "Pass --labels with the path of a labels.yml, or restore configs/labels.yml.")
