"""One GMI base for every route: key, base URL, organisation, headers and the error class.

LiteLLM's Fireworks provider keeps its key lookup, error class and ``validate_environment`` in one mixin
for chat, embeddings, rerank and responses (``FireworksAIMixin``, litellm/llms/fireworks_ai/
common_utils.py). GMI's routes get theirs from :class:`GMIBase` the same way: chat
(:class:`~litellm_gmi.chat.transformation.GMIChatConfig`), embeddings
(:class:`~litellm_gmi.embeddings.GMIEmbeddingConfig`), the native ``/v1/messages`` and ``/v1/responses``
routes (:mod:`litellm_gmi.native.routes`), video
(:class:`~litellm_gmi.videos.transformation.GMIVideoConfig`) and
the request queue (:class:`~litellm_gmi.media.protocol.QueueProtocol`). Each call resolves one
:class:`GMICredentials` and reads everything from it, so a secret manager is asked once per call.

The order is always: explicit argument, then environment, then the documented default. A missing key is
an :class:`litellm.AuthenticationError` raised before any network call, naming the variables tried and
never the value of anything. Key variables are read through LiteLLM's ``get_secret_str``
(``litellm.secret_managers.main``), as LiteLLM's own providers read theirs, so a secret manager
configured in LiteLLM (``key_management_system`` on the proxy, or ``litellm.secret_manager_client``) is
consulted before ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx
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
from litellm_gmi.errors import GMIError, extract_message
from litellm_gmi.litellm_seams import LITELLM_VERSION


@dataclass(frozen=True)
class GMICredentials:
    """What one call sends GMI: resolved once, then read by every step of the call."""

    api_key: str = field(repr=False)
    api_base: str
    org_id: str | None = field(default=None, repr=False)

    @property
    def secrets(self) -> tuple[str, ...]:
        """The key and organisation, masked wherever an upstream echoes them."""
        return tuple(s for s in (self.api_key, self.org_id) if s)

    def headers(
        self, overrides: Mapping[str, Any] | None = None, *, content_type: str | None = "application/json"
    ) -> dict[str, str]:
        """Bearer auth, organisation, our User-Agent and ``content_type``, with the caller's headers on
        top; the ``Authorization`` header always comes from the resolved key, on every route."""
        base = {"Authorization": f"Bearer {self.api_key}", **self.identity_headers()}
        if content_type:
            base["Content-Type"] = content_type
        return merge_headers(merge_headers(base, overrides), {"Authorization": base["Authorization"]})

    def identity_headers(self, overrides: Mapping[str, Any] | None = None) -> dict[str, str]:
        """Our User-Agent and the organisation, for requests whose auth header LiteLLM itself writes."""
        headers = {"User-Agent": user_agent()}
        if self.org_id:
            headers[ORG_ID_HEADER] = self.org_id
        return merge_headers(headers, overrides)


def resolve_credentials(
    api_key: str | None = None,
    api_base: str | None = None,
    org_id: str | None = None,
    *,
    model: str = "",
    queue: bool = False,
) -> GMICredentials:
    """Resolve a call's key, base URL (the chat API's, or the request queue's) and organisation."""
    return GMICredentials(
        api_key=resolve_api_key(api_key, model=model),
        api_base=resolve_queue_api_base(api_base) if queue else resolve_api_base(api_base),
        org_id=resolve_org_id(org_id),
    )


class GMIBase:
    """The mixin every GMI route config derives from (see the module docstring)."""

    queue: ClassVar[bool] = False
    """Whether the route is on the request queue's host rather than the chat API's."""

    def gmi_credentials(
        self,
        api_key: str | None = None,
        api_base: str | None = None,
        org_id: str | None = None,
        *,
        model: str = "",
    ) -> GMICredentials:
        return resolve_credentials(api_key, api_base, org_id, model=model, queue=self.queue)

    def gmi_api_base(self, api_base: str | None = None) -> str:
        """The route's base URL alone, for a step that needs no key (LiteLLM's ``get_complete_url``)."""
        return resolve_queue_api_base(api_base) if self.queue else resolve_api_base(api_base)

    def get_error_class(
        self, error_message: str, status_code: int, headers: dict[str, Any] | httpx.Headers
    ) -> GMIError:
        """GMI's error answer as the exception LiteLLM's handler raises, with GMI's reason unwrapped."""
        return GMIError(status_code=status_code, message=extract_message(error_message), headers=headers)


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


def merge_headers(base: Mapping[str, str], overrides: Mapping[str, Any] | None) -> dict[str, str]:
    """``base`` with the caller's headers on top, names compared case-insensitively."""
    merged = dict(base)
    for name, value in (overrides or {}).items():
        for existing in [k for k in merged if k.lower() == str(name).lower()]:
            del merged[existing]
        merged[str(name)] = str(value)
    return merged
