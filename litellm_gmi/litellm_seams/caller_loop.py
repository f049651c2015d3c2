"""Open an async stream on the caller's loop, inside ``acompletion(stream=True)``, holding no thread.

Why: ``litellm.acompletion`` runs ``completion()`` on the loop's default executor, and ``completion()``
hands a custom provider's async stream to ``CustomLLM.astreaming`` and wraps what it returns in a
``CustomStreamWrapper`` without awaiting anything (``custom_chat_llm_router``, then
``if stream is True: return CustomStreamWrapper(...)``). An iterator opened lazily sends its request at
the caller's first ``async for``, outside ``acompletion``: a 429 or 5xx before the first byte is then
past ``num_retries``, Router and proxy retries (issue 14). Opening it from the executor thread and
waiting there for GMI's headers (issue 14's fix) held one of that pool's threads (6 on 2 cores) per
opening stream: stream opens ran 6 at a time, every other ``acompletion`` in the process waited for a
thread, and on a host name it deadlocked, as the connection's ``loop.getaddrinfo`` needs a thread of
the same pool (issue 21).

How: nothing in ``acompletion`` or the ``@client`` wrapper awaits anything after the executor for a
stream (``async_post_call_success_deployment_hook`` is skipped for streams on 1.81.1 and 1.110.2), so
the call is made awaitable before it starts. The package's ``CustomLogger``
(:class:`litellm_gmi.native.hooks.GMIHooks`) sees every call in ``async_pre_call_deployment_hook`` and, for a
``gmi/`` ``acompletion`` with ``stream=True``, returns the call's kwargs with ``stream=False``
(:func:`convert`). LiteLLM then dispatches it as a non-streamed async call: ``completion()`` returns
``GMIProvider.acompletion``'s coroutine unwrapped and ``acompletion`` awaits it on the caller's loop,
as it does for its own providers' streams. That coroutine sees the mark (:func:`take`), puts
``stream=True`` back into the kwargs the ``@client`` wrapper keeps, sends the streamed request, and
returns LiteLLM's ``CustomStreamWrapper`` once GMI answered 200, or raises the typed error inside
``acompletion``. The wait is an ``await``: no thread is held, and opens are bounded only by the
connection pool.

A call the mark does not fit opens lazily, in ``astreaming``, as before issue 14: ``gmi`` named by a
positional model, ``fallbacks`` (each fallback is its own ``acompletion`` and is converted), mock
responses, MCP tools, a configured ``litellm.cache`` (a non-streamed cache lookup would answer a
stream). When the hook itself is missing from ``litellm.callbacks`` (a proxy config replaced the list),
``astreaming`` warns once and puts it back for the next call.

LiteLLM internals relied on, each pinned by tests/litellm_seams/test_caller_loop.py on every supported
release, the last two also checked once at run time (:func:`seams_missing`; a missing one is named in a
warning and streams open lazily):
``litellm.utils.client``'s ``wrapper_async`` awaiting ``async_pre_call_deployment_hook`` inside its
``try`` and keeping the dict the hooks return for both the call and its stream check after it
(``_is_streaming_request``); ``acompletion`` awaiting a coroutine ``completion()`` returns;
``custom_chat_llm_router`` sending async non-streamed calls to ``CustomLLM.acompletion`` and async
streams to ``astreaming``.

Checked at registration (:mod:`.registry`, :func:`seams_missing`).
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import litellm

from litellm_gmi.constants import PROVIDER
from litellm_gmi.litellm_seams.wraps import names_provider

_MOCKS = ("mock_response", "mock_tool_calls", "mock_timeout")
_log = logging.getLogger(__name__)


@dataclass
class _Converted:
    call_id: str
    kwargs: dict[str, Any]
    """The dict the ``@client`` wrapper keeps for this call: ``stream`` goes back in here."""


_CONVERTED: ContextVar[_Converted | None] = ContextVar("litellm_gmi_converted_stream", default=None)


def convert(kwargs: dict[str, Any], call_type: Any) -> dict[str, Any] | None:
    """The kwargs to run a ``gmi/`` async stream with (``stream=False``, marked), else None.

    Called by :class:`litellm_gmi.native.hooks.GMIHooks` for every call, on the caller's loop.
    """
    pending = _CONVERTED.get()
    call_id = kwargs.get("litellm_call_id")
    # The same call back with stream=False: it failed before reaching GMIProvider (a retry reuses its id).
    retried = pending is not None and call_id is not None and pending.call_id == call_id
    streamed = kwargs.get("stream") is True or retried
    if not streamed or not _convertible(kwargs, call_type) or not _seams_present():
        _CONVERTED.set(None)
        return None
    converted = {**kwargs, "stream": False}
    _CONVERTED.set(_Converted(str(call_id), converted))
    return converted


def for_one_try(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The kwargs for one try of :mod:`.retries_wrap`' ``acompletion_with_retries``.

    LiteLLM retries with the undecorated ``acompletion`` (``original_function``), which no deployment
    hook sees: an async stream is converted here as the hook would have, so each try opens inside it.
    """
    return convert(kwargs, "acompletion") or kwargs


def _convertible(kwargs: Mapping[str, Any], call_type: Any) -> bool:
    return (
        getattr(call_type, "value", call_type) == "acompletion"
        and kwargs.get("litellm_call_id") is not None
        and names_provider(kwargs.get("model"), kwargs.get("custom_llm_provider"), PROVIDER)
        and not (kwargs.get("fallbacks") or litellm.model_fallbacks)
        and not any(kwargs.get(name) for name in _MOCKS)
        and not any(isinstance(t, Mapping) and t.get("type") == "mcp" for t in kwargs.get("tools") or ())
        and litellm.cache is None
    )


@functools.cache
def _seams_present() -> bool:
    """Checked once, at the first async ``gmi/`` stream; a missing seam is named in one warning."""
    missing = seams_missing()
    if missing:
        _log.warning(
            "litellm_gmi: this LiteLLM lacks %s; async gmi/ streams open at their first iteration, where"
            " num_retries, Router and proxy retries do not see a 429 or 5xx before the first byte",
            "; ".join(missing),
        )
    return not missing


def seams_missing() -> list[str]:
    """The LiteLLM internals :func:`convert` relies on that this LiteLLM does not show (see the docstring)."""
    from litellm.llms.custom_llm import CustomLLM, custom_chat_llm_router

    missing = []
    probe = CustomLLM()
    if custom_chat_llm_router(async_fn=True, stream=False, custom_llm=probe) != probe.acompletion:
        missing.append("custom_chat_llm_router sending async calls to CustomLLM.acompletion")
    try:
        awaits = "iscoroutine(init_response)" in inspect.getsource(litellm.main.acompletion)
    except (OSError, TypeError):  # no source shipped: the pinned tests vouch for the release
        awaits = True
    if not awaits:
        missing.append("litellm.main.acompletion awaiting a coroutine that completion() returns")
    return missing


@functools.cache
def warn_hook_missing() -> None:
    """Once per process, from ``GMIProvider.astreaming`` when the hook was not in ``litellm.callbacks``."""
    _log.warning(
        "litellm_gmi: litellm_gmi.native.hooks.GMIHooks was not in litellm.callbacks (its"
        " async_pre_call_deployment_hook), so this async gmi/ stream opens at its first iteration and a"
        " 429 or 5xx before its first byte is not retried"
    )


def take(call_id: Any) -> bool:
    """Whether the running ``acompletion`` is a stream :func:`convert` marked; it is a stream again."""
    pending = _CONVERTED.get()
    if pending is None or call_id is None or pending.call_id != str(call_id):
        return False
    _CONVERTED.set(None)
    pending.kwargs["stream"] = True
    return True


def mark_streamed(logging_obj: Any) -> None:
    """What LiteLLM's ``@client`` wrapper records for a stream: ``Logging.stream``, ``model_call_details``."""
    if logging_obj is None:
        return
    logging_obj.stream = True
    details = getattr(logging_obj, "model_call_details", None)
    if isinstance(details, dict):
        details["stream"] = True


def close_on_loop(loop: asyncio.AbstractEventLoop, close: Callable[[], Awaitable[None]]) -> None:
    """Schedule ``close()`` on ``loop`` from any thread (a finalizer's); a closed loop has nothing left."""
    if loop.is_closed():
        return
    try:
        loop.call_soon_threadsafe(lambda: loop.create_task(close()))  # type: ignore[arg-type]
    except RuntimeError:  # closed between the check and the call
        return
