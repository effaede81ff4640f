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


# --- a real Label Studio server, started once per test session ------------

import socket  # noqa: E402

from attache.studio.server import LocalServer, ServerSpec  # noqa: E402

STUDIO_VENV = REPO / ".venv-studio"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def studio_spec(state_dir: Path) -> ServerSpec:
    if not (STUDIO_VENV / "bin" / "label-studio").exists():
        pytest.skip("Label Studio is not installed: `make studio-install` (the README's test command does it)")
    return ServerSpec(state_dir=state_dir, port=free_port(), venv=STUDIO_VENV)


@pytest.fixture(scope="session")
def studio(tmp_path_factory):
    """A running Label Studio server on a free loopback port, with a temp data dir."""
    spec = studio_spec(tmp_path_factory.mktemp("studio"))
    server = LocalServer(spec).start()
    yield server
    server.stop()


@pytest.fixture
def studio_env(studio, monkeypatch):
    """LABEL_STUDIO_URL / LABEL_STUDIO_API_KEY pointing at the test server."""
    key = (studio.spec.state_dir / "api_key").read_text().strip()
    monkeypatch.setenv("LABEL_STUDIO_URL", studio.spec.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", key)
    return key
