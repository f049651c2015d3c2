"""A stream that fails part-way gives its connection back (issue 14, item 1), against the fault server.

The garbage collector is switched off while the failures run: before the fix, only a collection could
release a failed stream's connection (and, when it ran while httpcore held its pool lock, it deadlocked
the process), so the tests show the release happens without one.
"""

from __future__ import annotations

import asyncio
import gc
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import litellm
import pytest
from conftest import eventually
from litellm.llms.custom_httpx.http_handler import AsyncHTTPHandler, HTTPHandler

from litellm_gmi.litellm_seams.http_clients import ClosingAsyncClient, ClosingSyncClient, pooled_sync_client

from fault_server import FaultServer, Reply, chunk, good_stream

MODEL = "gmi/deepseek-ai/DeepSeek-V3.2"
MESSAGES = [{"role": "user", "content": "What is the capital of France?"}]
FAILURES = 120
"""More than LiteLLM's pool holds, so one leaked connection per failure would exhaust it."""
MID_STREAM_ERRORS = (litellm.ServiceUnavailableError, litellm.InternalServerError, litellm.APIError)
"""1.106.2 wraps a mid-stream failure in ``MidStreamFallbackError`` (a ``ServiceUnavailableError``)."""
SETTLE = 10.0
"""Seconds the socket counts may take to come back down once the failures are over."""
HANG_BOUND = 300.0
"""Seconds a worker may run before the test calls it hung; a healthy run is far below it (the soak's
1,000 sync calls took up to 30 s with four suites on two cores)."""
CALL_TIMEOUT = 30
"""Each call's own timeout: a hang guard too, never what a test checks."""

MID_STREAM_FAILURES = {
    "error event": Reply(
        kind="sse", events=[chunk("Par"), {"error": {"message": "engine died", "code": 500}}]
    ),
    "garbled line": Reply(kind="sse", events=[chunk("Par"), "data: {not json"]),
}


def open_sockets() -> int:
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except OSError:  # the listing's own descriptor is gone by the time it is read
            continue
    return count


def settles(count: Callable[[], int], at_most: int) -> int:
    """``count()`` once it is at most ``at_most``, or after :data:`SETTLE` s: the in-process server
    closes its end of a connection the client dropped a moment later, on its own thread (a lag that
    a loaded machine lengthens), while a leak (one socket per failure) never settles."""
    return eventually(count, lambda value: value <= at_most, SETTLE)


@pytest.fixture
def no_gc() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def bounded(work: Callable[[], Any]) -> Any:
    """Run ``work`` in a worker thread; a deadlock fails the test instead of hanging the suite."""
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = work()
        except BaseException as exc:  # handed to the test thread
            result["error"] = exc

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(HANG_BOUND)
    assert not worker.is_alive(), "the call hung"
    if "error" in result:
        raise result["error"]
    return result.get("value")


def consume(**kwargs: Any) -> str:
    text = ""
    stream = litellm.completion(model=MODEL, messages=MESSAGES, stream=True, timeout=CALL_TIMEOUT, **kwargs)
    for part in stream:
        text += part.choices[0].delta.content or "" if part.choices else ""
    return text


async def aconsume() -> str:
    text = ""
    stream = await litellm.acompletion(model=MODEL, messages=MESSAGES, stream=True, timeout=CALL_TIMEOUT)
    async for part in stream:
        text += part.choices[0].delta.content or "" if part.choices else ""
    return text


@pytest.mark.usefixtures("no_gc")
@pytest.mark.parametrize("failure", list(MID_STREAM_FAILURES), ids=list(MID_STREAM_FAILURES))
def test_failed_sync_streams_return_their_connections(fault_gmi: FaultServer, failure: str) -> None:
    litellm.completion(model=MODEL, messages=MESSAGES)  # the pool's first connection, kept alive
    baseline = open_sockets()
    # The session's server also holds idle connections of earlier async tests' pools (LiteLLM caches
    # one async client per event loop), so its count is compared with itself, not with 1.
    server_baseline = fault_gmi.open_connections

    def fail_many() -> int:
        raised = 0
        for _ in range(FAILURES):
            fault_gmi.script(MID_STREAM_FAILURES[failure])
            with pytest.raises(MID_STREAM_ERRORS):
                consume()
            raised += 1
        return raised

    assert bounded(fail_many) == FAILURES
    assert settles(open_sockets, baseline) <= baseline
    # at most the idle keep-alive connection
    assert settles(lambda: fault_gmi.open_connections, server_baseline) <= server_baseline
    answer = bounded(lambda: litellm.completion(model=MODEL, messages=MESSAGES, timeout=CALL_TIMEOUT))
    assert answer.choices[0].message.content == "Paris."


@pytest.mark.usefixtures("no_gc")
@pytest.mark.parametrize("failure", list(MID_STREAM_FAILURES), ids=list(MID_STREAM_FAILURES))
async def test_failed_async_streams_return_their_connections(fault_gmi: FaultServer, failure: str) -> None:
    await litellm.acompletion(model=MODEL, messages=MESSAGES)
    baseline = open_sockets()
    for _ in range(FAILURES):
        fault_gmi.script(MID_STREAM_FAILURES[failure])
        with pytest.raises(MID_STREAM_ERRORS):
            await asyncio.wait_for(aconsume(), HANG_BOUND)
    assert settles(open_sockets, baseline) <= baseline
    answer = await asyncio.wait_for(
        litellm.acompletion(model=MODEL, messages=MESSAGES, timeout=CALL_TIMEOUT), HANG_BOUND
    )
    assert answer.choices[0].message.content == "Paris."


def test_a_complete_stream_still_reads_to_the_end(fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(kind="sse", events=good_stream("Par", "is.")))
    assert consume() == "Paris."


# ------------------------------------------------------------------ the LiteLLM internals relied on ---
def test_closing_clients_are_litellm_handlers_borrowing_the_pool() -> None:
    """``BaseLLMHTTPHandler`` uses a client only if it is an (Async)HTTPHandler; ours borrow the pool."""
    pooled = pooled_sync_client(None, {})
    assert isinstance(pooled, HTTPHandler)
    assert pooled_sync_client(None, {}) is pooled  # LiteLLM's cached client, not a new one per call
    sync_view = ClosingSyncClient(pooled)
    assert isinstance(sync_view, HTTPHandler)
    assert sync_view.client is pooled.client
    assert isinstance(ClosingAsyncClient(AsyncHTTPHandler()), AsyncHTTPHandler)


def test_litellm_streams_through_the_clients_post(fault_gmi: FaultServer) -> None:
    """``make_sync_call`` posts through the client it is given, so the closing view sees the response."""
    opened: list[httpx.Response] = []
    original = ClosingSyncClient.post

    def spy(self: ClosingSyncClient, *args: Any, **kwargs: Any) -> httpx.Response:
        response = original(self, *args, **kwargs)
        opened.append(response)
        return response

    fault_gmi.script(MID_STREAM_FAILURES["error event"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ClosingSyncClient, "post", spy)
        with pytest.raises(MID_STREAM_ERRORS):
            consume()
    assert len(opened) == 1
    assert opened[0].is_closed


# ------------------------------------------------------------------------------------------- soak ---
SOAK_CALLS = 1000
"""Per flavour (sync, async): every tenth call fails mid-stream."""


def soak_reply(position: int) -> Reply:
    return (
        MID_STREAM_FAILURES["error event"] if position % 10 == 9 else Reply(kind="sse", events=good_stream())
    )


def test_soak_sync_and_async_streams_leave_no_socket_and_never_hang(fault_gmi: FaultServer) -> None:
    """Issue 14: 1,000 sync and 1,000 async streamed calls, a tenth failing, then a normal call."""
    litellm.completion(model=MODEL, messages=MESSAGES)
    baseline = open_sockets()

    def sync_soak() -> tuple[int, int]:
        ok = failed = 0
        for position in range(SOAK_CALLS):
            fault_gmi.script(soak_reply(position))
            try:
                ok += consume() == "Paris."
            except MID_STREAM_ERRORS:
                failed += 1
        return ok, failed

    async def async_soak() -> tuple[int, int]:
        ok = failed = 0
        for position in range(SOAK_CALLS):
            fault_gmi.script(soak_reply(position))
            try:
                ok += await asyncio.wait_for(aconsume(), HANG_BOUND) == "Paris."
            except MID_STREAM_ERRORS:
                failed += 1
        return ok, failed

    expected = (SOAK_CALLS * 9 // 10, SOAK_CALLS // 10)
    assert bounded(sync_soak) == expected
    assert bounded(lambda: asyncio.run(async_soak())) == expected
    answer = bounded(lambda: litellm.completion(model=MODEL, messages=MESSAGES, timeout=CALL_TIMEOUT))
    assert answer.choices[0].message.content == "Paris."
    assert settles(open_sockets, baseline + 1) <= baseline + 1  # + the async pool's idle keep-alive one
