"""The text hash that ties a task to its text, from ingest to the corpus."""
from __future__ import annotations

import hashlib


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf8")).hexdigest()
