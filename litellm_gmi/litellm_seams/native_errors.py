"""Credentials masked in the errors of ``/v1/messages`` and ``/v1/responses`` calls passed through to GMI.

On those routes LiteLLM, not this package, builds the exception (:mod:`litellm_gmi.native.routes`):
``BaseLLMHTTPHandler._handle_error`` (litellm/llms/custom_httpx/llm_http_handler.py) hands the upstream's
error body to the route config's ``get_error_class(error_message, status_code, headers)``, and
``litellm.exception_type`` then wraps what that returns (or raises) in the typed exception the caller, the
Router, the proxy's answer and every failure log see, keeping it chained as ``__cause__``. An upstream
that echoes the request's key or organisation put both in all of those (issue 21, item 4).

``get_error_class`` of the two pass-through configs LiteLLM picks for ``gmi/`` calls,
``OpenAILikeAnthropicMessagesConfig`` and ``OpenAILikeResponsesConfig`` (LiteLLM 1.106 and later), is the
one place every such error passes through before anything logs it; the CustomLogger hooks come later
(``async_log_failure_event`` runs once the exception exists and cannot change what is raised;
``async_post_call_failure_hook`` is the proxy's alone). So each class gets a ``get_error_class`` that
masks the message first: the credentials of every ``gmi/`` call routed natively (:func:`remember`, a
small bounded set), the environment's, and any bearer token become ``****``. Other deployments that use
those configs only lose bearer tokens and GMI credentials from their error text.

Needed on LiteLLM 1.106 and later (1.81.1 has no pass-through); checked at registration
(:mod:`.registry`).
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from typing import Any, Final

from litellm_gmi.constants import API_KEY_ENVS, ORG_ID_ENV
from litellm_gmi.errors import mask_secrets

logger = logging.getLogger("litellm_gmi")

CONFIG_CLASSES: Final = (
    ("litellm.llms.openai_like.messages.transformation", "OpenAILikeAnthropicMessagesConfig"),
    ("litellm.llms.openai_like.responses.transformation", "OpenAILikeResponsesConfig"),
)
"""LiteLLM's pass-through configs whose ``get_error_class`` is wrapped (named in the module docstring)."""


@cache
def native_routes_available() -> bool:
    """True on LiteLLM releases that have both pass-through configs (1.106 and later, not 1.81.1)."""
    for module_name, class_name in CONFIG_CLASSES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            return False
        if not hasattr(module, class_name):
            return False
    return True


REMEMBERED: Final = 64
"""Credentials kept for masking: the most recently routed, enough for a proxy's deployments."""

_WRAPPED: Final = "__gmi_masking__"
_lock = threading.Lock()
_seen: OrderedDict[str, None] = OrderedDict()


def remember(*secrets: str | None) -> None:
    """Mask ``secrets`` (a routed call's key and organisation) in every later pass-through error."""
    with _lock:
        for secret in secrets:
            if secret:
                _seen[secret] = None
                _seen.move_to_end(secret)
        while len(_seen) > REMEMBERED:
            _seen.popitem(last=False)


def secrets() -> list[str]:
    """What :func:`mask` hides: the remembered credentials and the environment's."""
    with _lock:
        known = list(_seen)
    return known + [value for name in (*API_KEY_ENVS, ORG_ID_ENV) if (value := os.environ.get(name))]


def mask(text: str) -> str:
    return mask_secrets(text, secrets())


def _masking(original: Callable[..., Any], own: bool) -> Callable[..., Any]:
    def get_error_class(self: Any, error_message: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(error_message, str):
            error_message = mask(error_message)
        return original(self, error_message, *args, **kwargs)

    setattr(get_error_class, _WRAPPED, (original, own))
    return get_error_class


def install() -> None:
    """Wrap each pass-through config's ``get_error_class`` once; warn, naming it, if one is missing."""
    for module_name, class_name in CONFIG_CLASSES:
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
            current = cls.get_error_class
        except (ImportError, AttributeError):
            logger.warning(
                "litellm_gmi: %s.%s.get_error_class not found in this LiteLLM; errors of native "
                "/v1/messages and /v1/responses calls are not masked",
                module_name,
                class_name,
            )
            continue
        if not hasattr(current, _WRAPPED):
            cls.get_error_class = _masking(current, own="get_error_class" in vars(cls))


def uninstall() -> None:
    for module_name, class_name in CONFIG_CLASSES:
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError):
            continue
        saved = getattr(vars(cls).get("get_error_class"), _WRAPPED, None)
        if saved is None:
            continue
        original, own = saved
        if own:
            cls.get_error_class = original
        else:
            del cls.get_error_class  # the inherited method again
