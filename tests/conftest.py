from __future__ import annotations

from pathlib import Path

import pytest

from attache.ingest.settings import load_ingest_settings
from attache.labels import load_scheme

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def scheme():
    return load_scheme(REPO / "configs" / "labels.yml")


@pytest.fixture(scope="session")
def ingest_settings():
    return load_ingest_settings(REPO / "configs" / "ingest.yml")
