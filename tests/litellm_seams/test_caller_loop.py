"""``acompletion(stream=True)`` opens the stream itself, so its errors are retried (issue 14, item 2).

Against the independent fault server. The last tests pin the LiteLLM internals
:mod:`litellm_gmi.litellm_seams.caller_loop` relies on; they fail the day LiteLLM changes them. That
the open holds no thread is tests/test_stream_concurrency.py.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
from importlib.metadata import version
from typing import Any

import litellm
import pytest
from conftest import aeventually
from litellm.integrations.custom_logger import CustomLogger
from litellm.llms.custom_llm import CustomLLM, custom_chat_llm_router
from sleep_recorder import SleepRecorder
from test_http_clients import open_sockets

import litellm_gmi
from litellm_gmi import provider
from litellm_gmi.litellm_seams import caller_loop
from litellm_gmi.litellm_seams.version import _release
from litellm_gmi.native import hooks

from fault_server import FaultServer, Reply, good_stream

MODEL = "gmi/deepseek-ai/DeepSeek-V3.2"
MESSAGES = [{"role": "user", "content": "What is the capital of France?"}]
RATE_LIMITED = Reply(status=429, body={"error": "rate limited"})


async def _text(stream: Any) -> str:
    return "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])


async def test_a_429_before_the_first_byte_raises_inside_acompletion(fault_gmi: FaultServer) -> None:
    fault_gmi.script(RATE_LIMITED)
    with pytest.raises(litellm.RateLimitError, match="rate limited"):
        await litellm.acompletion(model=MODEL, messages=MESSAGES, stream=True, num_retries=0)
    assert fault_gmi.count("/chat/completions") == 1


async def test_acompletion_num_retries_retries_a_streamed_429(
    fault_gmi: FaultServer, sleeps: SleepRecorder
) -> None:
    fault_gmi.script(RATE_LIMITED, RATE_LIMITED, Reply(kind="sse", events=good_stream("Par", "is.")))
    stream = await litellm.acompletion(model=MODEL, messages=MESSAGES, stream=True, num_retries=2)
    assert await _text(stream) == "Paris."
    assert fault_gmi.count("/chat/completions") == 3


async def test_router_retries_a_streamed_503(fault_gmi: FaultServer, sleeps: SleepRecorder) -> None:
    unavailable = Reply(status=503, body={"error": {"message": "overloaded"}})
    fault_gmi.script(unavailable, unavailable, Reply(kind="sse", events=good_stream("Par", "is.")))
    router = litellm.Router(
        model_list=[{"model_name": "ds", "litellm_params": {"model": MODEL}}], num_retries=2, retry_after=0
    )
    stream = await router.acompletion(model="ds", messages=MESSAGES, stream=True)
    assert await _text(stream) == "Paris."
    assert fault_gmi.count("/chat/completions") == 3


async def test_builtin_openai_route_behaves_the_same(fault_gmi: FaultServer, sleeps: SleepRecorder) -> None:
    """The comparison the claim above rests on: LiteLLM's own route, same server, same script."""
    fault_gmi.script(RATE_LIMITED, RATE_LIMITED, Reply(kind="sse", events=good_stream("Par", "is.")))
    stream = await litellm.acompletion(
        model="openai/m",
        api_base=fault_gmi.base,
        api_key="sk-x",
        messages=MESSAGES,
        stream=True,
        num_retries=2,
    )
    assert await _text(stream) == "Paris."
    assert fault_gmi.count("/chat/completions") == 3


@pytest.mark.skipif(
    _release(version("litellm")) < (1, 81, 3), reason="this LiteLLM has no built-in gmi row to compare with"
)
async def test_litellms_builtin_gmi_row_retries_the_same_way(
    fault_gmi: FaultServer, sleeps: SleepRecorder
) -> None:
    """LiteLLM's own ``gmi`` JSON row on the same server and script: the behaviour matched, not invented."""
    litellm_gmi.unregister()
    try:
        fault_gmi.script(RATE_LIMITED, RATE_LIMITED, Reply(kind="sse", events=good_stream("Par", "is.")))
        stream = await litellm.acompletion(
            model=MODEL, api_base=fault_gmi.base, messages=MESSAGES, stream=True, num_retries=2
        )
        assert await _text(stream) == "Paris."
    finally:
        litellm_gmi.register()
    assert fault_gmi.count("/chat/completions") == 3
    assert "litellm_gmi" not in fault_gmi.seen[-1].headers.get("User-Agent", "")  # really the built-in row


async def test_without_the_hook_the_stream_still_works_lazily(fault_gmi: FaultServer) -> None:
    hooks.uninstall()
    try:
        fault_gmi.script(Reply(kind="sse", events=good_stream("Par", "is.")))
        stream = await litellm.acompletion(model=MODEL, messages=MESSAGES, stream=True)
        assert fault_gmi.count("/chat/completions") == 0  # nothing sent before the first iteration
        assert await _text(stream) == "Paris."
    finally:
        hooks.install()
    assert hooks.installed()


async def test_router_falls_back_on_a_streamed_429(fault_gmi: FaultServer) -> None:
    fault_gmi.route("POST", "/v1/chat/completions", RATE_LIMITED)
    fault_gmi.route(
        "POST", "/backup/v1/chat/completions", Reply(kind="sse", events=good_stream("Par", "is."))
    )
    router = litellm.Router(
        model_list=[
            {"model_name": "ds", "litellm_params": {"model": MODEL}},
            {
                "model_name": "ds-backup",
                "litellm_params": {"model": MODEL, "api_base": f"{fault_gmi.root}/backup/v1"},
            },
        ],
        fallbacks=[{"ds": ["ds-backup"]}],
        num_retries=0,
    )
    stream = await router.acompletion(model="ds", messages=MESSAGES, stream=True)
    assert await _text(stream) == "Paris."
    assert fault_gmi.count("/backup/v1/chat/completions") == 1
    assert fault_gmi.count("/chat/completions") == 2


async def test_a_stream_is_logged_as_one_stream(fault_gmi: FaultServer) -> None:
    """Callbacks see the call as LiteLLM's own streams: ``stream=True``, one success, the whole text."""
    recorder = _SuccessRecorder()
    litellm.callbacks.append(recorder)
    try:
        fault_gmi.script(Reply(kind="sse", events=good_stream("Par", "is.")))
        stream = await litellm.acompletion(model=MODEL, messages=MESSAGES, stream=True)
        assert await _text(stream) == "Paris."
        # LiteLLM logs a finished stream's success in a task of its own.
        await aeventually(lambda: recorder.events, bool, 20)
    finally:
        litellm.callbacks.remove(recorder)
    assert len(recorder.events) == 1
    kwargs, text = recorder.events[0]
    assert kwargs.get("stream") is True
    assert text == "Paris."


async def test_a_try_that_failed_before_the_provider_is_retried_as_a_stream(
    fault_gmi: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error between the hook and the provider leaves LiteLLM's kwargs unstreamed; the retry streams."""
    real_check = provider.unpriced.check
    failures = [litellm.InternalServerError("flaky", llm_provider="gmi", model=MODEL)]

    def check_once(model: str) -> bool:
        if failures:
            raise failures.pop()
        return real_check(model)

    monkeypatch.setattr(provider.unpriced, "check", check_once)
    fault_gmi.script(Reply(kind="sse", events=good_stream("Par", "is.")))
    stream = await litellm.acompletion(model=MODEL, messages=MESSAGES, stream=True, num_retries=1)
    assert await _text(stream) == "Paris."
    assert fault_gmi.bodies()[-1]["stream"] is True


class _SuccessRecorder(CustomLogger):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[dict[str, Any], str]] = []

    async def async_log_success_event(
        self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        self.events.append((kwargs, response_obj.choices[0].message.content))


# ------------------------------------------------------------------------- pinned LiteLLM internals ---
def test_acompletion_awaits_a_coroutine_completion_returns() -> None:
    source = inspect.getsource(litellm.main.acompletion)
    assert "run_in_executor" in source
    assert "iscoroutine(init_response)" in source


def test_custom_providers_async_calls_go_to_acompletion_and_streams_to_astreaming() -> None:
    provider = CustomLLM()
    assert custom_chat_llm_router(async_fn=True, stream=False, custom_llm=provider) == provider.acompletion
    assert custom_chat_llm_router(async_fn=True, stream=True, custom_llm=provider) == provider.astreaming


def test_the_deployment_hook_is_awaited_before_the_call_and_its_kwargs_kept() -> None:
    assert inspect.iscoroutinefunction(CustomLogger.async_pre_call_deployment_hook)
    source = inspect.getsource(litellm.utils.async_pre_call_deployment_hook)
    assert "litellm.callbacks" in source
    wrapper = inspect.getsource(litellm.utils.client)
    hook = wrapper.index("await async_pre_call_deployment_hook(kwargs")
    assert wrapper.index("kwargs = modified_kwargs", hook) < wrapper.index("await original_function(", hook)
    # The stream check after the call reads those kwargs (newer releases through _returns_requested_stream).
    assert any(
        check in wrapper[hook:] for check in ("_is_streaming_request(", "_returns_requested_stream(kwargs")
    )


def test_the_seams_are_checked_at_run_time() -> None:
    assert caller_loop.seams_missing() == []


async def test_a_stream_never_iterated_gives_its_connection_back(fault_gmi: FaultServer) -> None:
    baseline = open_sockets()  # this test's loop has no pooled connection yet
    fault_gmi.script(Reply(kind="sse", events=good_stream("Par", "is."), stall_after=1, stall=2.0))
    stream = await litellm.acompletion(model=MODEL, messages=MESSAGES, stream=True)
    assert open_sockets() > baseline  # the request is open: its answer is still arriving
    del stream
    gc.collect()
    # The fault server runs in this process: its end stays open while its handler stalls, so the
    # client's end closing is what takes the count to one above the baseline (two without the close).
    for _ in range(50):  # the finalizer schedules the close on this loop
        await asyncio.sleep(0.01)
        if open_sockets() <= baseline + 1:
            break
    assert open_sockets() <= baseline + 1
