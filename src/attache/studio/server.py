"""Run a local Label Studio server for annotators, safely by default.

The server lives in its own venv (.venv-studio, `make studio-install`), binds
to 127.0.0.1, refuses signup without an invite link, serves no local files,
allows no organisation webhooks, and keeps its data, generated secret key and
API token under one folder (default `.studio/`, mode 0700).
"""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Optional

from ..errors import AttacheError

DEFAULT_STUDIO_VENV = Path(".venv-studio")
LABEL_STUDIO_REQUIREMENT = "label-studio==1.23.2"  # as in requirements/studio.txt
DEFAULT_STATE_DIR = Path(".studio")


@dataclass
class ServerSpec:
    state_dir: Path = DEFAULT_STATE_DIR
    host: str = "127.0.0.1"
    port: int = 8080
    venv: Path = DEFAULT_STUDIO_VENV
    admin_email: str = "admin@attache.local"
    extra_env: Dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def executable(self) -> Path:
        return self.venv / "bin" / "label-studio"


def _secret(path: Path, length: int = 32) -> str:
    """Read a generated secret, creating it (mode 0600) on first use."""
    if path.exists():
        return path.read_text(encoding="utf8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(length // 2)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value


def server_env(spec: ServerSpec) -> Dict[str, str]:
    """The environment of the server process: secrets from the state folder,
    HOME and XDG folders inside it, and the safe settings."""
    state = spec.state_dir.resolve()
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o700)
    home = state / "home"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LABEL_STUDIO_", "DJANGO_"))}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        SECRET_KEY=_secret(state / "secret_key", 64),
        LABEL_STUDIO_USERNAME=spec.admin_email,
        LABEL_STUDIO_PASSWORD=_secret(state / "admin_password", 24),
        LABEL_STUDIO_USER_TOKEN=_secret(state / "api_key", 40),
        LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN="true",
        LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK="true",
        LABEL_STUDIO_LOCAL_FILES_SERVING_ENABLED="false",
        LABEL_STUDIO_ENABLE_LOCAL_FILES_STORAGE="false",
        LABEL_STUDIO_ALLOW_ORGANIZATION_WEBHOOKS="false",
        LABEL_STUDIO_SSRF_PROTECTION_ENABLED="true",
        COLLECT_ANALYTICS="false",
        LABEL_STUDIO_COLLECT_ANALYTICS="false",
        SENTRY_DSN="",
        FRONTEND_SENTRY_DSN="",
    )
    env.update(spec.extra_env)
    return env


def api_key_path(state_dir: Path = DEFAULT_STATE_DIR) -> Path:
    return Path(state_dir) / "api_key"


def install_studio(venv: Path, *, log=print) -> Path:
    """Create ``venv`` with Label Studio pinned (about a minute, ~1 GB): the
    server never shares the workbench's environment (it pins its own SDK)."""
    import sys

    venv = Path(venv)
    if (venv / "bin" / "label-studio").exists():
        return venv
    log(f"installing {LABEL_STUDIO_REQUIREMENT} into {venv} (once; about a minute)")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", LABEL_STUDIO_REQUIREMENT])
    if done.returncode != 0:
        raise AttacheError("E039", f"Installing {LABEL_STUDIO_REQUIREMENT} into {venv} failed", "See pip's output above; `make studio-install` does the same.")
    return venv


class LocalServer:
    """A Label Studio server process, started and stopped by the workbench."""

    def __init__(self, spec: ServerSpec) -> None:
        self.spec = spec
        self.process: Optional[subprocess.Popen] = None
        self.log_path = spec.state_dir / "server.log"

    def start(self, timeout: float = 180.0) -> "LocalServer":
        spec = self.spec
        if not spec.executable.exists():
            raise AttacheError(
                "E040",
                f"Label Studio is not installed at {spec.executable}",
                "Run `make studio-install` (it creates .venv-studio with label-studio pinned), or pass --venv.",
            )
        if _healthy(spec.url):
            raise AttacheError("E041", f"Something already answers at {spec.url}", "Stop it, or pass another --port.")
        env = server_env(spec)
        data_dir = (spec.state_dir / "data").resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        command = [
            str(spec.executable), "start", "--no-browser",
            "--internal-host", spec.host, "--host", spec.url,
            "--port", str(spec.port), "--data-dir", str(data_dir),
        ]
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise AttacheError("E042", f"Label Studio exited with code {self.process.returncode} while starting", f"See its log: {self.log_path}")
            if _healthy(self.spec.url):
                return
            time.sleep(0.5)
        self.stop()
        raise AttacheError("E043", f"Label Studio did not become ready at {self.spec.url} within {timeout:.0f} s", f"See its log: {self.log_path}")

    def stop(self, kill: bool = False) -> None:
        """Stop the server (and its child processes); ``kill`` simulates a crash."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def __enter__(self) -> "LocalServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False
