"""GMI's error shapes, turned into LiteLLM's typed exceptions.

GMI's edge wraps engine errors as ``{"error": {"message": "<banner>", "details": "<JSON string>"}}``; the
useful reason is inside ``details``, which has to be parsed a second time ([V]: Vercel's AI SDK GMI
provider, vercel/ai ``packages/gmicloud``, README "Error diagnostics" and ``gmicloud-error.test.ts``).
An unknown model answers a plain-text 404 ``No matching target server found for model X`` ([V-live]:
nrynss/thutapi's GMI client, ``internal/gmi/text/client.go``). The request queue answers
``{"error": "<string>"}`` and sometimes ``message`` or ``detail`` (genblaze-gmicloud 0.3.5 on PyPI,
``unwrap_error_body``).
Both APIs share this module so a caller sees the same exception classes for chat and media.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import httpx
import litellm
from litellm.exceptions import (
    APIConnectionError,
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

from litellm_gmi import json_limits
from litellm_gmi.constants import PROVIDER

_CONTEXT_WORDING = re.compile(
    r"context (length|window)|maximum context|too long|prompt is too long|input tokens? exceed|"
    r"reduce the length|context_length_exceeded",
    re.IGNORECASE,
)
_NO_TARGET = "No matching target server found"

MAX_MESSAGE_CHARS = 4096
"""Longest reason an exception carries. An upstream can answer a 50 MB error body; as the message it
cost minutes in LiteLLM's redaction regexes and stalled a proxy's other requests (issue 14)."""
PARSE_PREFIX_CHARS = 65536
"""How much of an error body is parsed for GMI's reason; a longer body is scanned, not JSON-decoded."""
MASK = "****"
_BEARER = re.compile(r"(Bearer\s+)[^\s\"',;]+", re.IGNORECASE)
_REASON_FIELD = re.compile(r'"(details|message|error|detail)"\s*:\s*("(?:[^"\\]|\\.)*")')


class GMIError(BaseLLMException):
    """Raised by the chat config; LiteLLM's HTTP handler hands it to :func:`to_litellm_exception`."""


class StreamCutError(GMIError):
    """A stream stopped before GMI said it was complete; reported as ``APIConnectionError``."""


def extract_message(body: str | bytes | None) -> str:
    """Best human-readable reason in an error body, whichever GMI shape it has.

    Order: ``error.details`` (JSON string, itself holding ``error.message``), ``error.message``,
    ``error`` as a string, ``message``, ``detail``, then the raw text.
    """
    if body is None:
        return ""
    raw = body[: PARSE_PREFIX_CHARS + 1]  # a huge body is never decoded or parsed whole
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    text = text.strip()
    if len(text) > PARSE_PREFIX_CHARS:
        return _scan_prefix(text[:PARSE_PREFIX_CHARS]) or text[:PARSE_PREFIX_CHARS]
    try:
        data = json_limits.loads(text)  # a body nested 10,000 deep raised RecursionError (issue 21)
    except ValueError:
        return text
    return _message_from(data) or text


def error_in_answer(body: Any, *, flagged: bool = False) -> GMIError | None:
    """The error a 200 answer or stream chunk carries (``{"error": {...}}``), or ``None``.

    Its ``code`` sets the status when it is an HTTP one (a 503 stays retryable), else 500. ``flagged``:
    the SSE record was announced as ``event: error``, whatever its body holds.
    """
    error = body.get("error") if isinstance(body, dict) else None
    if not (error or flagged):
        return None
    code = error.get("code") if isinstance(error, dict) else None
    status = code if isinstance(code, int) and 400 <= code < 600 else 500
    message = extract_message(json.dumps(body)) or "GMI sent an error event"
    return GMIError(status_code=status, message=message)


def _scan_prefix(prefix: str) -> str:
    """GMI's reason from the start of a body too long to parse: the first complete reason field."""
    found: dict[str, str] = {}
    for match in _REASON_FIELD.finditer(prefix):
        try:
            found.setdefault(match.group(1), json.loads(match.group(2)))
        except ValueError:
            continue
    for name in ("details", "message", "error", "detail"):
        if found.get(name):
            return _details_message(found[name]) if name == "details" else found[name]
    return ""


def cap_message(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``text`` cut to ``limit`` characters, saying how much was dropped."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... [{len(text) - limit} more characters]"


def mask_secrets(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with the call's key and organisation, and any bearer token, replaced by ``****``.

    An upstream (or a proxy in front of it) may echo the request's credentials in an error body.
    """
    for secret in sorted((s for s in secrets if s and len(s) >= 4), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return _BEARER.sub(rf"\g<1>{MASK}", text)


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
        return _message_from(json_limits.loads(details)) or details
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
    secrets: Iterable[str | None] = (),
) -> Exception:
    """Map a GMI status and reason to the LiteLLM exception a Router or caller expects.

    The synthetic ``httpx.Response`` carries the original headers so LiteLLM's retry logic can honour
    ``Retry-After`` on 429 and 503. The reason is capped (:data:`MAX_MESSAGE_CHARS`) and ``secrets``
    (the call's key and organisation) are masked in it.
    """
    # Method and URL only: the request LiteLLM hands us still carries ``Authorization`` (and the
    # organisation), and whatever is attached here is reachable as ``exc.response.request.headers``.
    request = (
        httpx.Request(request.method, request.url)
        if request is not None
        else httpx.Request("POST", "https://api.gmi-serving.com/v1/chat/completions")
    )
    text = (
        cap_message(mask_secrets(message[:PARSE_PREFIX_CHARS], secrets)) or f"GMI returned HTTP {status_code}"
    )
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


def from_base_exception(
    exc: BaseLLMException, *, model: str, secrets: Iterable[str | None] = ()
) -> Exception:
    """Translate LiteLLM's status-coded provider exception (raised inside its HTTP handler).

    ``BaseLLMHTTPHandler._handle_error`` gives a connection that failed (reset, refused, cut) the
    same made-up status 500 as GMI's own 500; the transport error it was raised from tells them apart,
    and it becomes :class:`litellm.APIConnectionError` (retryable, and not GMI's fault to report).
    """
    _mask_in_place(exc, secrets)  # it stays chained as __cause__, and tracebacks print it
    request = getattr(exc, "request", None)
    if isinstance(exc, StreamCutError):
        return connection_error(exc.message, model=model, secrets=secrets)
    transport = transport_error(exc)
    # LiteLLM raised ``exc`` while handling httpx's error, whose request carries Authorization and
    # whose response holds the whole error body: it is not kept reachable from what the caller gets.
    exc.__context__ = None
    exc.__suppress_context__ = True
    if transport is not None:
        reason = f"GMI connection failed ({type(transport).__name__}): {str(transport)[:300] or 'no detail'}"
        return connection_error(reason, model=model, secrets=secrets)
    return to_litellm_exception(
        exc.status_code,
        extract_message(exc.message),
        model=model,
        headers=exc.headers if exc.headers is not None else None,
        request=request if isinstance(request, httpx.Request) else None,
        secrets=secrets,
    )


def _mask_in_place(exc: BaseLLMException, secrets: Iterable[str | None]) -> None:
    message = exc.message if isinstance(exc.message, str) else str(exc.message)
    masked = mask_secrets(message[:PARSE_PREFIX_CHARS], secrets)
    if masked != message:
        exc.message = masked
        exc.args = (masked,)


def transport_error(exc: BaseException) -> httpx.TransportError | None:
    """The httpx transport failure (not a timeout) ``exc`` was raised from, if any."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, httpx.TransportError) and not isinstance(current, httpx.TimeoutException):
            return current
        current = current.__cause__ or current.__context__
    return None


def connection_error(reason: str, *, model: str, secrets: Iterable[str | None] = ()) -> Exception:
    """A connection to GMI that failed or was cut, as LiteLLM's retryable ``APIConnectionError``."""
    text = cap_message(mask_secrets(reason[:PARSE_PREFIX_CHARS], secrets))
    exc: Exception = APIConnectionError(
        message=text,
        llm_provider=PROVIDER,
        model=model,
        request=httpx.Request("POST", "https://api.gmi-serving.com/v1/chat/completions"),
    )
    return exc
