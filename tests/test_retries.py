"""``num_retries`` on ``gmi/`` waits like the openai SDK, honours ``Retry-After`` and spares 4xx.

The fault server scripts the failures; the sleep functions are intercepted (the delays asked for are
recorded and skipped), so no test waits and none asserts a wall-clock time.
"""

from __future__ import annotations

import email.utils
import sys
import time
from typing import Any

import litellm
import pytest
from sleep_recorder import SleepRecorder

from litellm_gmi.retries import retry_after, retry_delay, should_retry

from fault_server import Reply

MODEL = "gmi/deepseek-ai/DeepSeek-V3.2"
MESSAGES = [{"role": "user", "content": "What is the capital of France?"}]

pytestmark = pytest.mark.usefixtures("fault_gmi")


def error(status: int, **headers: str) -> Reply:
    return Reply(status=status, body={"error": {"message": f"scripted {status}"}}, headers=headers)


async def call(mode: str, **kwargs: Any) -> Any:
    if mode == "async":
        return await litellm.acompletion(model=MODEL, messages=MESSAGES, **kwargs)
    if mode == "stream":
        return list(litellm.completion(model=MODEL, messages=MESSAGES, stream=True, **kwargs))
    return litellm.completion(model=MODEL, messages=MESSAGES, **kwargs)


MODES = ["sync", "async", "stream"]


@pytest.mark.parametrize("mode", MODES)
async def test_retry_after_is_waited_exactly(fault_gmi: Any, sleeps: SleepRecorder, mode: str) -> None:
    fault_gmi.cooperate()
    fault_gmi.script(error(429, **{"Retry-After": "7"}))
    await call(mode, num_retries=2)
    assert fault_gmi.count("/chat/completions") == 2
    assert sleeps.delays == [7.0]


@pytest.mark.parametrize("mode", MODES)
async def test_exponential_back_off_with_jitter(fault_gmi: Any, sleeps: SleepRecorder, mode: str) -> None:
    fault_gmi.cooperate()
    fault_gmi.script(error(503), error(500), error(502))
    await call(mode, num_retries=3)
    assert fault_gmi.count("/chat/completions") == 4
    first, second, third = sleeps.delays
    assert 0.375 <= first <= 0.5
    assert 0.75 <= second <= 1.0
    assert 1.5 <= third <= 2.0


@pytest.mark.parametrize("mode", MODES)
async def test_gmi_retries_need_no_tenacity(
    fault_gmi: Any, sleeps: SleepRecorder, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LiteLLM's own completion_with_retries imports tenacity (1.81.1 to 1.110.2), which the package no
    longer installs; a ``gmi/`` call's retries never reach it."""
    monkeypatch.setitem(sys.modules, "tenacity", None)  # `import tenacity` now raises ImportError
    fault_gmi.cooperate()
    fault_gmi.script(error(503))
    await call(mode, num_retries=1)
    assert fault_gmi.count("/chat/completions") == 2


@pytest.mark.parametrize("status", [408, 409])
def test_timeouts_and_conflicts_are_retried(fault_gmi: Any, sleeps: SleepRecorder, status: int) -> None:
    fault_gmi.script(error(status))
    assert litellm.completion(model=MODEL, messages=MESSAGES, num_retries=1).choices[0].message.content
    assert fault_gmi.count("/chat/completions") == 2


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    ("status", "exception"),
    [
        (400, litellm.BadRequestError),
        (401, litellm.AuthenticationError),
        (404, litellm.NotFoundError),
        (422, litellm.UnprocessableEntityError),
    ],
)
async def test_other_4xx_are_never_retried(
    fault_gmi: Any, sleeps: SleepRecorder, mode: str, status: int, exception: type
) -> None:
    fault_gmi.script(*[error(status)] * 4)
    with pytest.raises(exception):
        await call(mode, num_retries=3)
    assert fault_gmi.count("/chat/completions") == 1
    assert sleeps.delays == []


def test_x_should_retry_false_stops_it(fault_gmi: Any, sleeps: SleepRecorder) -> None:
    fault_gmi.script(error(503, **{"x-should-retry": "false"}), error(503))
    with pytest.raises(litellm.ServiceUnavailableError):
        litellm.completion(model=MODEL, messages=MESSAGES, num_retries=3)
    assert fault_gmi.count("/chat/completions") == 1


def test_running_out_raises_the_last_typed_error(fault_gmi: Any, sleeps: SleepRecorder) -> None:
    fault_gmi.script(error(503), error(503), error(429, **{"Retry-After": "2"}))
    with pytest.raises(litellm.RateLimitError) as info:
        litellm.completion(model=MODEL, messages=MESSAGES, num_retries=2)
    assert info.value.response.headers["retry-after"] == "2"
    assert fault_gmi.count("/chat/completions") == 3
    assert len(sleeps.delays) == 2


@pytest.mark.parametrize("mode", MODES)
async def test_a_retry_after_over_two_minutes_is_not_retried(
    fault_gmi: Any, sleeps: SleepRecorder, mode: str
) -> None:
    """openai-python's rule since July 2026: the server asked for more than the 120 s it honours."""
    fault_gmi.cooperate()
    fault_gmi.script(error(429, **{"Retry-After": "121"}))
    with pytest.raises(litellm.RateLimitError):
        await call(mode, num_retries=3)
    assert fault_gmi.count("/chat/completions") == 1
    assert sleeps.delays == []


async def test_a_retry_after_of_two_minutes_is_waited(fault_gmi: Any, sleeps: SleepRecorder) -> None:
    fault_gmi.cooperate()
    fault_gmi.script(error(503, **{"Retry-After": "120"}))
    await call("sync", num_retries=1)
    assert sleeps.delays == [120.0]


def test_without_num_retries_nothing_is_retried(fault_gmi: Any, sleeps: SleepRecorder) -> None:
    fault_gmi.script(error(503))
    with pytest.raises(litellm.ServiceUnavailableError):
        litellm.completion(model=MODEL, messages=MESSAGES)
    assert fault_gmi.count("/chat/completions") == 1


def test_other_providers_keep_litellm_s_retry() -> None:
    response = litellm.completion_with_retries(
        model="openai/gpt-4o", messages=MESSAGES, mock_response="from LiteLLM", num_retries=1
    )
    assert response.choices[0].message.content == "from LiteLLM"


# ------------------------------------------------------------------------------- the policy itself ---
def test_delay_schedule() -> None:
    assert [retry_delay(k, {}, rand=lambda: 0.0) for k in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert retry_delay(0, {}, rand=lambda: 1.0) == 0.375
    assert retry_delay(3, {"Retry-After": "12"}) == 12.0
    assert retry_delay(0, {"retry-after-ms": "250"}) == 0.25


def test_retry_after_forms() -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 28 <= (retry_after({"Retry-After": when}) or 0) <= 30
    assert retry_after({"retry-after": "1.5"}) == 1.5
    assert retry_after({"retry-after": "soon"}) is None
    assert retry_after({"retry-after": "inf"}) is None
    assert retry_after({}) is None


def test_should_retry_reads_the_status() -> None:
    assert should_retry(litellm.RateLimitError(message="x", llm_provider="gmi", model="m"))
    assert should_retry(litellm.Timeout(message="x", llm_provider="gmi", model="m"))
    assert not should_retry(litellm.BadRequestError(message="x", llm_provider="gmi", model="m"))
    assert not should_retry(ValueError("not from LiteLLM"))
