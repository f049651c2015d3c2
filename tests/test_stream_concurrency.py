"""Async streams open without borrowing the event loop's default executor (issue 21, items 1 and 2).

``acompletion`` runs ``completion()`` on the loop's default executor (6 threads on 2 cores). An
``astreaming`` that held its thread until GMI's headers arrived capped stream opens at that many, made
every other ``acompletion`` in the process wait for a thread, and deadlocked outright on a host name:
the connection's name lookup (``loop.getaddrinfo``) needs a thread of that same executor.

Each test runs on a fresh event loop (a new default executor, nothing pooled or resolved yet) against
tests/fault_server.py, which holds every answer's headers back and counts the requests in flight. The
counts are the assertions: a stream open bounded by a thread pool shows as at most 6 in flight.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import litellm
import pytest

from fault_server import FaultServer, Reply, good_stream

MODEL = "gmi/deepseek-ai/DeepSeek-V3.2"
MESSAGES = [{"role": "user", "content": "What is the capital of France?"}]
GUARD = 30.0
"""Seconds before a test gives up on a deadlock: generous, never a measurement."""
STALL = 3.0
"""Seconds with no new request held after which the opens are taken to be capped (a thread pool)."""
SLOW = "/slow/v1"
"""Streams go to this prefix of the fault server, so their held replies are routed apart from others."""


def host_named(server: FaultServer, prefix: str = "/v1") -> str:
    """The server's base URL with the host name ``localhost``, which must be resolved to connect."""
    return f"http://localhost:{server.root.rsplit(':', 1)[1]}{prefix}"


async def _stream_text(api_base: str) -> str:
    stream = await litellm.acompletion(
        model=MODEL, messages=MESSAGES, stream=True, api_base=api_base, timeout=GUARD, num_retries=0
    )
    return "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])


def _run(main: Coroutine[Any, Any, Any], loop_factory: Callable[[], asyncio.AbstractEventLoop] | None) -> Any:
    """``main`` on a new event loop (and so a new default executor), as a fresh process would run it."""
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        return runner.run(asyncio.wait_for(main, GUARD))


@pytest.fixture(params=["httpx", "aiohttp"])
def transport(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """LiteLLM's async transport: aiohttp is its default, the test suite's conftest picks httpx."""
    monkeypatch.setattr(litellm, "disable_aiohttp_transport", request.param == "httpx")
    return str(request.param)


class HeldStreams:
    """Every stream under :data:`SLOW` has its headers held until :meth:`release_when_held` lets them go.

    Replies used to be held a fixed 0.3 s; on a loaded machine (CI runs four suites on two cores) the
    first replies left before the 60th request arrived, and the count measured the load, not a cap.
    """

    def __init__(self, server: FaultServer) -> None:
        self.server, self.gate = server, threading.Event()
        reply = Reply(kind="sse", events=good_stream("Par", "is."), gate=self.gate)
        server.route("POST", f"{SLOW}/chat/completions", reply)

    def release_when_held(self, count: int) -> None:
        """Release every reply once ``count`` are held at once, or once no new request has arrived for
        :data:`STALL` s after the first (a thread pool capping the opens): ``server.max_held`` then
        shows the cap. The first may take up to :data:`GUARD` s (a cold transport on a loaded machine).

        A stall, not a deadline: under load the requests keep arriving, only more slowly, and a fixed
        deadline released them before the last one came (the count then measured the machine).
        """

        def watch() -> None:
            seen, last_arrival, patience = 0, time.monotonic(), GUARD
            while self.server.held < count and time.monotonic() - last_arrival < patience:
                time.sleep(0.01)
                if self.server.held != seen:
                    seen, last_arrival, patience = self.server.held, time.monotonic(), STALL
            self.gate.set()

        threading.Thread(target=watch, daemon=True).start()


@pytest.fixture
def slow_streams(fault_gmi: FaultServer) -> Iterator[HeldStreams]:
    held = HeldStreams(fault_gmi)
    yield held
    held.gate.set()


@pytest.mark.parametrize("count", [12, 60])
def test_concurrent_streams_to_a_host_name_all_open_at_once(
    slow_streams: HeldStreams, transport: str, count: int
) -> None:
    async def main() -> list[str]:
        base = host_named(slow_streams.server, SLOW)
        return await asyncio.gather(*(_stream_text(base) for _ in range(count)))

    slow_streams.release_when_held(count)
    assert _run(main(), None) == ["Paris."] * count
    assert slow_streams.server.max_held == count  # all held by the server at once: no thread pool between


def test_under_uvloop(slow_streams: HeldStreams, transport: str) -> None:
    uvloop = pytest.importorskip("uvloop")

    async def main() -> list[str]:
        base = host_named(slow_streams.server, SLOW)
        return await asyncio.gather(*(_stream_text(base) for _ in range(12)))

    slow_streams.release_when_held(12)
    assert _run(main(), uvloop.new_event_loop) == ["Paris."] * 12
    assert slow_streams.server.max_held == 12


def test_an_unrelated_call_finishes_while_stream_opens_wait(fault_gmi: FaultServer) -> None:
    """A call to another provider completes while 12 stream opens are still waiting for headers."""
    gate = threading.Event()
    fault_gmi.route(
        "POST", f"{SLOW}/chat/completions", Reply(kind="sse", events=good_stream("Par", "is."), gate=gate)
    )

    async def main() -> tuple[bool, int, list[str]]:
        streams = [asyncio.ensure_future(_stream_text(host_named(fault_gmi, SLOW))) for _ in range(12)]
        try:
            while fault_gmi.held < 12:  # every stream's request reached the server and is held
                await asyncio.sleep(0.01)
            other = await litellm.acompletion(
                model="openai/m", api_base=fault_gmi.base, api_key="sk-x", messages=MESSAGES, num_retries=0
            )
            pending = sum(not s.done() for s in streams)
        finally:
            gate.set()
        return other.choices[0].message.content == "Paris.", pending, await asyncio.gather(*streams)

    answered, still_waiting, texts = _run(main(), None)
    assert answered
    assert still_waiting == 12  # the other call did not wait for any of them
    assert texts == ["Paris."] * 12


@pytest.fixture(autouse=True)
def _release_held_replies(fault_gmi: FaultServer) -> Iterator[None]:
    yield
    fault_gmi.clear()
