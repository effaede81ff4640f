"""Settings and a connection to a Label Studio server, with coded errors.

The API key comes only from the environment (LABEL_STUDIO_API_KEY): never
from the command line, never printed. Both legacy tokens and personal access
tokens (JWT refresh tokens, exchanged by the SDK) work.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator, Optional

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from ..errors import AttacheError

URL_ENV = "LABEL_STUDIO_URL"
KEY_ENV = "LABEL_STUDIO_API_KEY"
DEFAULT_URL = "http://127.0.0.1:8080"


class StudioSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str = Field(DEFAULT_URL, pattern=r"^https?://")
    api_key: SecretStr
    timeout: float = Field(120.0, gt=0)

    @classmethod
    def from_env(cls, url: Optional[str] = None) -> "StudioSettings":
        key = os.environ.get(KEY_ENV, "").strip()
        if not key:
            raise AttacheError(
                "E050",
                f"No API key: {KEY_ENV} is not set",
                f"Export {KEY_ENV} with your Label Studio token (Account & Settings > Access Token, "
                "or `.studio/api_key` for a server started by `attache studio serve`). It is never read from the command line.",
            )
        return cls(url=(url or os.environ.get(URL_ENV) or DEFAULT_URL).rstrip("/"), api_key=SecretStr(key))


def connect(settings: StudioSettings):
    """An SDK client whose credentials were checked against the server."""
    from label_studio_sdk import LabelStudio

    client = LabelStudio(base_url=settings.url, api_key=settings.api_key.get_secret_value(), timeout=settings.timeout)
    with api_errors(settings, "checking the API key"):
        client.users.whoami()
    return client


@contextmanager
def api_errors(settings: StudioSettings, doing: str, task: Optional[str] = None) -> Iterator[None]:
    """Turn transport and HTTP errors into coded errors that say what to do.
    The API key never appears in them."""
    import httpx
    from label_studio_sdk.core.api_error import ApiError

    where = f" (task {task})" if task else ""
    try:
        yield
    except httpx.TransportError as err:
        raise StudioUnreachable(
            "E051",
            f"Label Studio is not reachable at {settings.url} while {doing}{where}: {type(err).__name__}",
            f"Start it (`attache studio serve`) or set {URL_ENV} to the right address; then run the command again: it picks up where it stopped.",
        ) from None
    except ApiError as err:
        status = err.status_code
        if status == 401:
            raise AttacheError("E052", f"Label Studio refused the API key (401) while {doing}", f"Check {KEY_ENV}: it must be a valid legacy token or personal access token for {settings.url}.") from None
        if status == 403:
            raise AttacheError("E053", f"Label Studio forbids this (403) while {doing}", "The key's user needs access to this project, or legacy tokens are disabled for the organisation: use a personal access token.") from None
        if status == 404:
            raise AttacheError("E054", f"Not found (404) while {doing}{where}", "Check the project id or title; `attache studio push` creates the project.") from None
        detail = _detail(err.body)
        raise AttacheError("E055", f"Label Studio rejected the request ({status}) while {doing}{where}: {detail}", "Fix the input named above and run again.") from None


class StudioUnreachable(AttacheError):
    """The server did not answer; safe to retry after reconciling."""


def _detail(body) -> str:
    if isinstance(body, dict):
        errors = body.get("validation_errors") or body.get("detail") or body
        return str(errors)[:500]
    return str(body)[:500]
