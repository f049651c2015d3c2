"""Key, base URL and organisation resolution shared by the chat route and the request queue.

The order is always: explicit argument, then environment, then the documented default. A missing key is
an :class:`litellm.AuthenticationError` raised before any network call, naming the variables tried and
never the value of anything.

Key variables are read through LiteLLM's ``get_secret_str`` (``litellm.secret_managers.main``), as
LiteLLM's own providers read theirs, so a secret manager configured in LiteLLM (``key_management_system``
on the proxy, or ``litellm.secret_manager_client``) is consulted before ``os.environ``.
tests/test_credentials.py pins it with a ``CustomSecretManager``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from litellm.exceptions import AuthenticationError, BadRequestError
from litellm.secret_managers.main import get_secret_str

from litellm_gmi._version import __version__
from litellm_gmi.constants import (
    API_BASE_ENV,
    API_KEY_ENVS,
    DEFAULT_API_BASE,
    DEFAULT_QUEUE_API_BASE,
    ORG_ID_ENV,
    ORG_ID_HEADER,
    PROVIDER,
    QUEUE_API_BASE_ENV,
)
from litellm_gmi.litellm_seams import LITELLM_VERSION


def resolve_api_key(api_key: str | None = None, *, model: str = "") -> str:
    """Return the key from the argument or the first set variable of :data:`API_KEY_ENVS`.

    Each name goes through LiteLLM's ``get_secret_str``: its secret manager if one is configured for
    reading, otherwise (or when the manager fails) the environment.
    """
    if api_key:
        return api_key
    for name in API_KEY_ENVS:
        value = get_secret_str(name)
        if value:
            return value
    raise AuthenticationError(
        message=(
            "GMI API key not found: pass api_key=... or set one of "
            + ", ".join(API_KEY_ENVS)
            + " (get a key at https://console.gmicloud.ai)."
        ),
        llm_provider=PROVIDER,
        model=model,
    )


def resolve_api_base(api_base: str | None = None) -> str:
    """Chat base URL: argument, then ``GMI_API_BASE``, then GMI's public endpoint; no trailing slash.

    A ``#fragment`` is refused with :class:`litellm.BadRequestError`: no HTTP request carries one, so
    ``.../v1#x`` silently became a request to ``.../v1#x/chat/completions``, that is to ``.../v1``, and a
    404 (issue 21, item 11).
    """
    base = (api_base or os.environ.get(API_BASE_ENV) or DEFAULT_API_BASE).rstrip("/")
    if "#" in base:
        raise BadRequestError(
            message=f"GMI api_base must not contain a #fragment (it has #{base.split('#', 1)[1][:40]}): "
            "remove it, or set the path it was meant to name",
            model="",
            llm_provider=PROVIDER,
        )
    return base


def resolve_queue_api_base(api_base: str | None = None) -> str:
    """Request-queue base URL: argument, then ``GMI_QUEUE_API_BASE``, then GMI's console endpoint."""
    return (api_base or os.environ.get(QUEUE_API_BASE_ENV) or DEFAULT_QUEUE_API_BASE).rstrip("/")


def resolve_org_id(org_id: str | None = None) -> str | None:
    """Organisation for multi-org accounts: argument, then ``GMI_ORG_ID``; ``None`` sends no header."""
    return org_id or os.environ.get(ORG_ID_ENV) or None


def user_agent() -> str:
    """Names this package and the LiteLLM it runs on, so GMI can attribute traffic."""
    return f"litellm_gmi/{__version__} litellm/{LITELLM_VERSION}"


def auth_headers(api_key: str, org_id: str | None) -> dict[str, str]:
    """The headers every GMI request carries: bearer auth, organisation and our User-Agent."""
    return {"Authorization": f"Bearer {api_key}", **identity_headers(org_id)}


def identity_headers(org_id: str | None) -> dict[str, str]:
    """Our User-Agent and the organisation, for requests whose auth header LiteLLM itself writes."""
    headers = {"User-Agent": user_agent()}
    if org_id:
        headers[ORG_ID_HEADER] = org_id
    return headers


def merge_headers(base: Mapping[str, str], overrides: Mapping[str, str] | None) -> dict[str, str]:
    """``base`` with the caller's headers on top, names compared case-insensitively."""
    merged = dict(base)
    for name, value in (overrides or {}).items():
        for existing in [k for k in merged if k.lower() == name.lower()]:
            del merged[existing]
        merged[name] = value
    return merged
