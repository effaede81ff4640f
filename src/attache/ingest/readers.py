"""Read raw article files (.txt, .md, .jsonl), reporting bad input instead of failing."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, List, Optional, Sequence, Union

from .settings import IngestSettings


@dataclass
class RawDoc:
    source: str  # path as given, relative to the input folder
    text: str
    line: Optional[int] = None  # line number in a .jsonl file
    markdown: bool = False
    extra: dict = field(default_factory=dict)  # other fields of a .jsonl record


@dataclass
class Problem:
    source: str
    code: str
    message: str
    line: Optional[int] = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: [{self.code}] {self.message}"

    def to_dict(self) -> dict:
        return {"source": self.source, "line": self.line, "code": self.code, "message": self.message}


def find_files(input_dir: Path, settings: IngestSettings) -> List[Path]:
    extensions = {ext.lower() for ext in settings.extensions}
    return sorted(p for p in input_dir.rglob("*") if p.is_file() and p.suffix.lower() in extensions)


def read_file(path: Path, name: str, settings: IngestSettings) -> Iterator[Union[RawDoc, Problem]]:
    try:
        data = path.read_bytes()
    except OSError as err:
        yield Problem(name, "W101", f"cannot be read: {err.strerror}")
        return
    if b"\x00" in data[:8192]:
        yield Problem(name, "W102", "looks binary (NUL bytes); not a text article")
        return
    decoded = _decode(data, name, settings)
    if isinstance(decoded, Problem):
        yield decoded
        return
    if path.suffix.lower() == ".jsonl":
        yield from _read_jsonl(decoded, name, settings)
    else:
        yield RawDoc(name, decoded, markdown=path.suffix.lower() == ".md")


def _decode(data: bytes, name: str, settings: IngestSettings) -> Union[str, Problem]:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        first_error = err
    for encoding in settings.fallback_encodings:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    line = data[: first_error.start].count(b"\n") + 1
    return Problem(
        name,
        "W103",
        f"is not valid UTF-8 (byte 0x{data[first_error.start]:02x} at offset {first_error.start}); "
        "re-save it as UTF-8 or list its encoding under fallback_encodings in configs/ingest.yml",
        line=line,
    )


def _read_jsonl(text: str, name: str, settings: IngestSettings) -> Iterator[Union[RawDoc, Problem]]:
    field_name = settings.text_field
    for number, raw_line in enumerate(text.splitlines(), start=1):
        if not raw_line.strip():
            continue
        try:
            record = json.loads(raw_line)
        except json.JSONDecodeError as err:
            yield Problem(name, "W104", f"is not valid JSON: {err.msg} (column {err.colno})", line=number)
            continue
        if not isinstance(record, dict):
            yield Problem(name, "W105", f"is a JSON {type(record).__name__}, not an object", line=number)
            continue
        value = record.get(field_name)
        if not isinstance(value, str):
            found = "missing" if value is None else f"a {type(value).__name__}"
            yield Problem(name, "W106", f"field {field_name!r} is {found}; expected the article text as a string (set text_field in configs/ingest.yml)", line=number)
            continue
        extra = {key: val for key, val in record.items() if key != field_name}
        yield RawDoc(name, value, line=number, extra=extra)


def iter_raw(paths: Sequence[Path], root: Path, settings: IngestSettings) -> Iterator[Union[RawDoc, Problem]]:
    for path in paths:
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        yield from read_file(path, name, settings)
