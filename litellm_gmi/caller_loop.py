"""Open an async stream inside ``acompletion(stream=True)``, so its errors are retried like any other.

``litellm.acompletion`` runs ``completion()`` in ``loop.run_in_executor`` (``litellm/main.py`` on
every supported release), and ``completion()`` calls ``CustomLLM.astreaming`` there and wraps what it
returns in a ``CustomStreamWrapper`` without awaiting it (``custom_chat_llm_router``). An async
generator therefore sent its request only at the caller's first ``async for``: a 429 or 5xx before the
first byte surfaced outside ``acompletion``, past ``num_retries``, Router and proxy retries (issue 14).

The executor thread cannot await, but the caller's loop is idle while it waits for that thread. So
the package's ``CustomLogger`` (:class:`litellm_gmi.hooks.GMIHooks`), whose
``async_pre_call_deployment_hook`` LiteLLM awaits on the caller's loop just before the call
(``litellm.utils.async_pre_call_deployment_hook``), records that loop in a context variable
(:func:`remember_running_loop`); ``acompletion`` copies the context into the executor thread, and
:func:`run_on_caller_loop` runs the opening request on that loop and waits for it there. When no loop
was recorded (the hook removed from ``litellm.callbacks``, or a call that bypasses ``acompletion``),
the stream opens lazily as before.

LiteLLM internals relied on, pinned by tests/test_caller_loop.py: ``acompletion`` awaiting
``run_in_executor`` with a copied context, ``custom_chat_llm_router`` returning ``astreaming`` for async
streams, and ``async_pre_call_deployment_hook`` awaited for every ``CustomLogger`` in ``litellm.callbacks``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Coroutine
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_CALLER_LOOP: ContextVar[asyncio.AbstractEventLoop | None] = ContextVar(
    "litellm_gmi_caller_loop", default=None
)


def remember_running_loop() -> None:
    """Record the running loop for this call's context (from :class:`litellm_gmi.hooks.GMIHooks`)."""
    _CALLER_LOOP.set(asyncio.get_running_loop())


def caller_loop() -> asyncio.AbstractEventLoop | None:
    """The caller's loop when this thread may block on it: it runs, and not on this thread."""
    loop = _CALLER_LOOP.get()
    if loop is None or loop.is_closed() or not loop.is_running():
        return None
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        return None  # on a loop's own thread: blocking would deadlock it
    if getattr(loop, "_thread_id", None) == threading.get_ident():
        return None
    return loop


def run_on_caller_loop(loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` on ``loop`` and wait here for its result (or its exception)."""
    return asyncio.run_coroutine_threadsafe(coro, loop).result()


def close_on_loop(loop: asyncio.AbstractEventLoop, close: Callable[[], Awaitable[None]]) -> None:
    """Schedule ``close()`` on ``loop`` from any thread (a finalizer's); a closed loop has nothing left."""
    if loop.is_closed():
        return
    try:
        loop.call_soon_threadsafe(lambda: loop.create_task(close()))  # type: ignore[arg-type]
    except RuntimeError:  # closed between the check and the call
        return
