"""Fault handling, run LIVE against the emulator's fault switches on 127.0.0.1 (no cassettes).

A timeout, a dropped connection or 500 sockets cannot be replayed from a cassette, so these tests talk
to the session's emulator directly. Nothing here asserts how long anything took: waits that would be
long (Retry-After) are intercepted at the sleep function LiteLLM calls and the requested delay is
asserted instead, and "never hangs" is a bound on a worker thread or ``asyncio.wait_for``.

What happens with ``Retry-After`` (both supported releases, checked below):
* ``litellm.completion(num_retries=N)`` on ``gmi/`` waits what the header asks: this package runs
  those retries like the openai SDK (litellm_gmi/retries.py, tests/test_retries.py).
* ``litellm.Router(num_retries=N)`` sleeps what the header asks (plus up to 0.75 s of jitter) before
  retrying; that needs our exceptions to carry the response headers, which is what these tests prove.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import litellm
import pytest
from sleep_recorder import SleepRecorder

from gmi_emulator import FakeTime, Fault, GMIEmulator

from fault_server import FaultServer, Reply, deeply_nested

MODEL = "gmi/deepseek-ai/DeepSeek-V3.2"
MESSAGES = [{"role": "user", "content": "What is the capital of France?"}]
RETRY_AFTER = 7
HANG_BOUND = 30.0
"""Seconds a worker may take before the test calls it hung; the call's own timeout is far below it."""

pytestmark = pytest.mark.usefixtures("gmi_env")


def chat_requests(emulator: GMIEmulator) -> int:
    return sum(1 for r in emulator.requests.snapshot() if r.path.endswith("/chat/completions"))


# ----------------------------------------------------------------------------------- 429 and 503 ---
@pytest.mark.parametrize("kind", ["rate_limit", "unavailable"])
def test_completion_num_retries_retries_and_honours_retry_after(
    gmi_env: GMIEmulator, sleeps: SleepRecorder, kind: Any
) -> None:
    gmi_env.inject(Fault(kind, times=2, retry_after=RETRY_AFTER))
    response = litellm.completion(model=MODEL, messages=MESSAGES, num_retries=2)
    assert response.choices[0].message.content
    assert chat_requests(gmi_env) == 3  # two failures, then the answer
    assert sleeps.delays.count(RETRY_AFTER) == 2  # before each retry, exactly what GMI asked


@pytest.mark.parametrize("kind", ["rate_limit", "unavailable"])
async def test_acompletion_num_retries_retries(
    gmi_env: GMIEmulator, sleeps: SleepRecorder, kind: Any
) -> None:
    gmi_env.inject(Fault(kind, times=2, retry_after=RETRY_AFTER))
    response = await litellm.acompletion(model=MODEL, messages=MESSAGES, num_retries=2)
    assert response.choices[0].message.content
    assert chat_requests(gmi_env) == 3
    assert sleeps.delays.count(RETRY_AFTER) == 2


@pytest.mark.parametrize(
    ("kind", "error"),
    [("rate_limit", litellm.RateLimitError), ("unavailable", litellm.ServiceUnavailableError)],
)
def test_retries_run_out_with_the_typed_error(
    gmi_env: GMIEmulator, sleeps: SleepRecorder, kind: Any, error: type
) -> None:
    gmi_env.inject(Fault(kind, times=5, retry_after=1))
    with pytest.raises(error) as info:
        litellm.completion(model=MODEL, messages=MESSAGES, num_retries=2)
    assert chat_requests(gmi_env) == 3
    assert sleeps.delays == [1.0, 1.0]  # each retry waited what Retry-After asked, and only that
    assert info.value.response.headers["retry-after"] == "1"


@pytest.mark.parametrize("kind", ["rate_limit", "unavailable"])
async def test_router_honours_retry_after(gmi_env: GMIEmulator, sleeps: SleepRecorder, kind: Any) -> None:
    router = litellm.Router(
        model_list=[{"model_name": "gmi-chat", "litellm_params": {"model": MODEL}}], num_retries=2
    )
    gmi_env.inject(Fault(kind, times=1, retry_after=RETRY_AFTER))
    response = await router.acompletion(model="gmi-chat", messages=MESSAGES)
    assert response.choices[0].message.content
    assert chat_requests(gmi_env) == 2
    assert sleeps.asked_for(RETRY_AFTER), sleeps.delays


# ------------------------------------------------------------------------------------------ timeout ---
def test_timeout_is_a_litellm_timeout(gmi_env: GMIEmulator) -> None:
    gmi_env.inject(Fault("delay", delay=3.0))
    with pytest.raises(litellm.Timeout):
        litellm.completion(model=MODEL, messages=MESSAGES, timeout=0.3, num_retries=0)


async def test_async_timeout_is_a_litellm_timeout(gmi_env: GMIEmulator) -> None:
    gmi_env.inject(Fault("delay", delay=3.0))
    with pytest.raises(litellm.Timeout):
        await litellm.acompletion(model=MODEL, messages=MESSAGES, timeout=0.3, num_retries=0)


def test_streaming_timeout_is_a_litellm_timeout(gmi_env: GMIEmulator) -> None:
    gmi_env.inject(Fault("delay", delay=3.0))
    with pytest.raises(litellm.Timeout):
        list(litellm.completion(model=MODEL, messages=MESSAGES, stream=True, timeout=0.3, num_retries=0))


# ------------------------------------------------------------------------------- dropped streams ---
def _in_thread(work: Callable[[], None]) -> None:
    """Run ``work`` on a worker and fail (rather than hang the suite) if it never returns."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            work()
        except BaseException as exc:  # handed back to the test thread
            errors.append(exc)

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(HANG_BOUND)
    assert not worker.is_alive(), "the stream hung after the connection dropped"
    if errors:
        raise errors[0]


DROP_ERRORS = (litellm.APIConnectionError, litellm.ServiceUnavailableError)
"""1.106.2 raises ``MidStreamFallbackError`` (a ``ServiceUnavailableError``); 1.81.1 sync raises
``APIConnectionError``."""


def test_dropped_stream_raises_and_keeps_the_partial_content(gmi_env: GMIEmulator) -> None:
    gmi_env.inject(Fault("drop_stream", after_chunks=5))
    received: list[str] = []
    caught: list[BaseException] = []

    def consume() -> None:
        try:
            for chunk in litellm.completion(
                model=MODEL, messages=MESSAGES, stream=True, max_tokens=50, timeout=5, num_retries=0
            ):
                if chunk.choices and chunk.choices[0].delta.content:
                    received.append(chunk.choices[0].delta.content)
        except DROP_ERRORS as exc:
            caught.append(exc)

    _in_thread(consume)
    assert caught, "the dropped connection was not reported"
    assert "incomplete chunked read" in str(caught[0]) or "peer closed" in str(caught[0])
    assert len(received) == 5  # the five content chunks sent before the cut reached the caller


async def test_dropped_async_stream_raises_and_keeps_the_partial_content(gmi_env: GMIEmulator) -> None:
    gmi_env.inject(Fault("drop_stream", after_chunks=5))
    received: list[str] = []

    async def consume() -> None:
        stream = await litellm.acompletion(
            model=MODEL, messages=MESSAGES, stream=True, max_tokens=50, timeout=5, num_retries=0
        )
        async for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                received.append(chunk.choices[0].delta.content)

    with pytest.raises(DROP_ERRORS):
        await asyncio.wait_for(consume(), HANG_BOUND)
    assert len(received) == 5


# ---------------------------------------------------------------------------------------- malformed ---
def test_malformed_body_is_a_clear_error(gmi_env: GMIEmulator) -> None:
    gmi_env.inject(Fault("malformed"))
    with pytest.raises(litellm.ServiceUnavailableError, match="not JSON"):
        litellm.completion(model=MODEL, messages=MESSAGES, num_retries=0)


def test_malformed_stream_is_a_clear_error_not_an_empty_answer(gmi_env: GMIEmulator) -> None:
    gmi_env.inject(Fault("malformed"))
    with pytest.raises(litellm.ServiceUnavailableError, match="stream line that is not JSON"):
        list(litellm.completion(model=MODEL, messages=MESSAGES, stream=True, num_retries=0))


ERROR_IN_200 = {
    "503, overloaded": ({"code": 503, "message": "model overloaded"}, litellm.ServiceUnavailableError),
    "400, bad input": ({"code": 400, "message": "prompt too long for this model"}, litellm.BadRequestError),
    "no code": ({"message": "engine failure"}, litellm.InternalServerError),
}


@pytest.mark.parametrize(("error", "raised"), ERROR_IN_200.values(), ids=ERROR_IN_200.keys())
def test_an_error_answered_with_200_is_raised_with_its_reason_and_code(
    fault_gmi: FaultServer, error: dict[str, Any], raised: type[Exception]
) -> None:
    """As a stream's error event is; it came out as "a body that is not a chat completion" (502)."""
    fault_gmi.script(Reply(body={"error": error}))
    with pytest.raises(raised) as info:
        litellm.completion(model=MODEL, messages=MESSAGES, num_retries=0)
    assert str(info.value).endswith(error["message"])


async def test_malformed_async_stream_is_a_clear_error(gmi_env: GMIEmulator) -> None:
    gmi_env.inject(Fault("malformed"))

    async def consume() -> None:
        stream = await litellm.acompletion(model=MODEL, messages=MESSAGES, stream=True, num_retries=0)
        async for _ in stream:
            pass

    with pytest.raises(litellm.ServiceUnavailableError, match="stream line that is not JSON"):
        await consume()


# ---------------------------------------------------------------------------- 500 concurrent calls ---
def open_connections(port: int) -> int:
    """Established client sockets of this process whose peer is ``port`` (/proc, no psutil needed)."""
    inodes = set()
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    for table in ("/proc/self/net/tcp", "/proc/self/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if remote_port == port and fields[3] == "01" and fields[9] in inodes:
                count += 1
    return count


async def _burst(calls: int) -> list[Any]:
    tasks: list[Awaitable[Any]] = [
        litellm.acompletion(model=MODEL, messages=MESSAGES, num_retries=0) for _ in range(calls)
    ]
    return await asyncio.gather(*tasks, return_exceptions=True)


@pytest.mark.skipif(not Path("/proc/self/net/tcp").exists(), reason="needs Linux /proc to count sockets")
async def test_500_concurrent_calls_without_errors_or_leaked_connections(gmi_env: GMIEmulator) -> None:
    before = open_connections(gmi_env.port)
    first = await asyncio.wait_for(_burst(500), 120)
    errors = [r for r in first if isinstance(r, BaseException)]
    assert not errors, f"{len(errors)} of 500 calls failed, first: {errors[0]!r}"
    after_first = open_connections(gmi_env.port)
    second = await asyncio.wait_for(_burst(500), 120)
    assert not [r for r in second if isinstance(r, BaseException)]
    after_second = open_connections(gmi_env.port)
    assert chat_requests(gmi_env) == 1000
    # Kept-alive connections stay pooled, but a second burst must reuse them rather than open more:
    # both bursts together stay within one connection per concurrent call (a leak would be ~1000). Not
    # `after_second <= after_first`: how many calls are in flight at once, and so pooled, depends on
    # the machine's load during each burst.
    assert after_first - before <= 500
    assert after_second - before <= 500, (before, after_first, after_second)


# ------------------------------------------------------------------------------- media status polls ---
def _arm_transient_poll_failures(emulator: GMIEmulator) -> None:
    for kind in ("server_error", "unavailable", "server_error", "rate_limit"):
        emulator.inject(Fault(kind, model="Veo3", retry_after=0))  # type: ignore[arg-type]


def test_media_wait_survives_transient_5xx_on_status_polls(gmi_env: GMIEmulator) -> None:
    queue_client = pytest.importorskip("litellm_gmi.media.queue_client")
    fake = FakeTime(gmi_env)
    with queue_client.RequestQueueClient(sleep=fake.sleep, clock=fake.clock) as client:
        record = client.submit("Veo3", {"prompt": "a flaky network"})
        _arm_transient_poll_failures(gmi_env)
        done = client.wait(record.request_id, poll_interval=0.5, timeout=120)
    assert done.succeeded
    assert gmi_env.state.faults.pending() == 0  # every transient failure was met and ridden out


async def test_async_media_wait_survives_transient_5xx_on_status_polls(gmi_env: GMIEmulator) -> None:
    queue_client = pytest.importorskip("litellm_gmi.media.queue_client")
    fake = FakeTime(gmi_env)
    async with queue_client.AsyncRequestQueueClient(sleep=fake.asleep, clock=fake.clock) as client:
        record = await client.submit("Veo3", {"prompt": "a flaky network"})
        _arm_transient_poll_failures(gmi_env)
        done = await asyncio.wait_for(client.wait(record.request_id, poll_interval=0.5, timeout=120), 60)
    assert done.succeeded
    assert gmi_env.state.faults.pending() == 0


# ------------------------------------------------------------------------------ deeply nested JSON ---
def test_a_400_nested_10000_deep_stays_a_bad_request_and_is_not_retried(fault_gmi: FaultServer) -> None:
    """Issue 21, item 10: json.loads raised RecursionError reading the reason, and the caller got a
    retryable APIConnectionError with a Python traceback in its text."""
    fault_gmi.script(*[Reply(status=400, body=deeply_nested("error"))] * 3)
    with pytest.raises(litellm.BadRequestError) as info:
        litellm.completion(model=MODEL, messages=MESSAGES, num_retries=2)
    assert info.value.status_code == 400
    assert "Traceback" not in str(info.value)
    assert fault_gmi.count("/chat/completions") == 1  # a 400 is not retried


@pytest.mark.parametrize("key", ["choices", "error"])
@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_a_200_nested_10000_deep_is_a_typed_unreadable_answer(
    fault_gmi: FaultServer, key: str, stream: bool
) -> None:
    fault_gmi.script(Reply(body=deeply_nested(key)))

    def call() -> Any:
        response = litellm.completion(model=MODEL, messages=MESSAGES, stream=stream, num_retries=0)
        return list(response) if stream else response

    with pytest.raises(litellm.ServiceUnavailableError) as info:
        call()
    assert info.value.status_code == 502
    assert "not JSON" in str(info.value)
    assert "Traceback" not in str(info.value)
    assert "recursion" not in str(info.value).lower()
