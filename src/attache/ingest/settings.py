"""Ingest settings: one validated object, loaded from configs/ingest.yml."""
from __future__ import annotations

import re
from pathlib import Path
from typing import List

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..paths import project_file
from ..yamlconf import load_yaml_model



class DedupSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shingle_words: int = Field(3, ge=1, le=10, description="Words per shingle.")
    threshold: float = Field(0.5, gt=0, le=1, description="Jaccard similarity from which two articles are near-duplicates.")
    num_perm: int = Field(128, ge=16, le=1024, description="MinHash permutations.")
    seed: int = 1


class IngestSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    extensions: List[str] = Field(default_factory=lambda: [".txt", ".md", ".jsonl"])
    text_field: str = Field("text", description="Field holding the article text in .jsonl input.")
    fallback_encodings: List[str] = Field(default_factory=list, description="Tried in order when a file is not UTF-8.")
    boilerplate: List[str] = Field(default_factory=list, description="Regexes; a line that fully matches one is removed.")
    reflow: bool = Field(True, description="Join hard-wrapped lines of a paragraph with a space.")
    min_wrap_width: int = Field(40, ge=10, description="Narrowest line width taken for hard wrapping.")
    max_wrap_width: int = Field(120, ge=20, description="Widest line width taken for hard wrapping.")
    max_chars: int = Field(2_000_000, ge=1, description="Longer articles are reported and skipped.")
    dedup: DedupSettings = Field(default_factory=DedupSettings)

    @field_validator("boilerplate")
    @classmethod
    def _compiles(cls, patterns: List[str]) -> List[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as err:
                raise ValueError(f"boilerplate pattern {pattern!r} does not compile: {err}") from None
        return patterns

    def boilerplate_regex(self) -> re.Pattern:
        if not self.boilerplate:
            return re.compile(r"(?!)")
        return re.compile("|".join(f"(?:{p})" for p in self.boilerplate), re.IGNORECASE)


def load_ingest_settings(path: Path | str | None = None) -> IngestSettings:
    path = Path(path) if path is not None else project_file("configs/ingest.yml")
    return load_yaml_model(path, IngestSettings, ("E020", "E021", "E022"), "ingest settings file",
                           "Pass --config with the path of an ingest.yml, or restore configs/ingest.yml.")
