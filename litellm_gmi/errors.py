"""GMI's error shapes, turned into LiteLLM's typed exceptions.

GMI's edge wraps engine errors as ``{"error": {"message": "<banner>", "details": "<JSON string>"}}``; the
useful reason is inside ``details``, which has to be parsed a second time (gmi_api_facts.md §1.7, [V]).
An unknown model answers a plain-text 404 ``No matching target server found for model X`` ([V-live]).
The request queue answers ``{"error": "<string>"}`` and sometimes ``message`` or ``detail`` (§3.5).
Both APIs share this module so a caller sees the same exception classes for chat and media.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import httpx
import litellm
from litellm.exceptions import (
    AuthenticationError,
    BadRequestError,
    ContextWindowExceededError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    ServiceUnavailableError,
    Timeout,
    UnprocessableEntityError,
)
from litellm.llms.base_llm.chat.transformation import BaseLLMException

from litellm_gmi.constants import PROVIDER

_CONTEXT_WORDING = re.compile(
    r"context (length|window)|maximum context|too long|prompt is too long|input tokens? exceed|"
    r"reduce the length|context_length_exceeded",
    re.IGNORECASE,
)
_NO_TARGET = "No matching target server found"


class GMIError(BaseLLMException):
    """Raised by the chat config; LiteLLM's HTTP handler hands it to :func:`to_litellm_exception`."""


def extract_message(body: str | bytes | None) -> str:
    """Best human-readable reason in an error body, whichever GMI shape it has.

    Order: ``error.details`` (JSON string, itself holding ``error.message``), ``error.message``,
    ``error`` as a string, ``message``, ``detail``, then the raw text.
    """
    if body is None:
        return ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = text.strip()
    try:
        data = json.loads(text)
    except ValueError:
        return text
    return _message_from(data) or text


def _message_from(data: Any) -> str:
    if isinstance(data, str):
        return data
    if not isinstance(data, Mapping):
        return ""
    error = data.get("error")
    if isinstance(error, Mapping):
        inner = _details_message(error.get("details"))
        return inner or str(error.get("message") or "")
    if isinstance(error, str) and error:
        return error
    for key in ("message", "detail"):
        value = data.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _details_message(details: Any) -> str:
    """``details`` is usually a JSON string; fall back to it verbatim when it is not."""
    if isinstance(details, Mapping):
        return _message_from(details)
    if not isinstance(details, str) or not details.strip():
        return ""
    try:
        return _message_from(json.loads(details)) or details
    except ValueError:
        return details


def is_context_overflow(message: str) -> bool:
    """GMI publishes no overflow wording, so match the phrasings vLLM, SGLang and OpenAI use."""
    return bool(_CONTEXT_WORDING.search(message))


def to_litellm_exception(
    status_code: int,
    message: str,
    *,
    model: str,
    headers: Mapping[str, str] | httpx.Headers | None = None,
    request: httpx.Request | None = None,
) -> Exception:
    """Map a GMI status and reason to the LiteLLM exception a Router or caller expects.

    The synthetic ``httpx.Response`` carries the original headers so LiteLLM's retry logic can honour
    ``Retry-After`` on 429 and 503.
    """
    # Method and URL only: the request LiteLLM hands us still carries ``Authorization`` (and the
    # organisation), and whatever is attached here is reachable as ``exc.response.request.headers``.
    request = (
        httpx.Request(request.method, request.url)
        if request is not None
        else httpx.Request("POST", "https://api.gmi-serving.com/v1/chat/completions")
    )
    text = message or f"GMI returned HTTP {status_code}"
    if status_code == 408:
        timeout: Exception = Timeout(message=text, model=model, llm_provider=PROVIDER)
        return timeout
    if status_code == 404 and (_NO_TARGET in text or not text.strip()):
        text = f"GMI has no deployment for model {model!r}: {text}"
    response = httpx.Response(status_code, headers=dict(headers or {}), request=request)
    error: Exception = _exception_class(status_code, text)(
        message=text, model=model, llm_provider=PROVIDER, response=response
    )
    if getattr(error, "status_code", None) != status_code:
        # 1.81.1's BadRequestError says 400 for any 4xx it stands for (a 402 with no PaymentRequiredError,
        # a 409); GMI's own status is what retry policies and callers need.
        error.status_code = status_code  # type: ignore[attr-defined]
    return error


def _exception_class(status_code: int, text: str) -> Any:
    """The LiteLLM exception class for a GMI status (and, for 400s, its wording)."""
    if status_code in (401, 403):
        return AuthenticationError
    if status_code == 404:
        return NotFoundError
    if status_code == 429:
        return RateLimitError
    if status_code == 402:
        return getattr(litellm, "PaymentRequiredError", BadRequestError)  # added after 1.81.1
    if status_code in (400, 413, 422) and is_context_overflow(text):
        return ContextWindowExceededError
    if status_code == 422:
        return UnprocessableEntityError
    if 400 <= status_code < 500:
        return BadRequestError
    if status_code in (502, 503, 504):
        return ServiceUnavailableError
    return InternalServerError


def from_base_exception(exc: BaseLLMException, *, model: str) -> Exception:
    """Translate LiteLLM's status-coded provider exception (raised inside its HTTP handler)."""
    headers = exc.headers if exc.headers is not None else None
    request = getattr(exc, "request", None)
    return to_litellm_exception(
        exc.status_code,
        extract_message(exc.message),
        model=model,
        headers=headers,
        request=request if isinstance(request, httpx.Request) else None,
    )
