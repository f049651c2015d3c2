"""``acompletion(stream=True)`` opens the stream itself, so its errors are retried (issue 14, item 2).

Against the independent fault server. The last tests pin the LiteLLM internals
:mod:`litellm_gmi.caller_loop` relies on; they fail the day LiteLLM changes them.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
from importlib.metadata import version
from typing import Any

import litellm
import pytest
from litellm.integrations.custom_logger import CustomLogger
from litellm.llms.custom_llm import CustomLLM, custom_chat_llm_router
from test_http_clients import open_sockets

import litellm_gmi
from litellm_gmi import hooks
from litellm_gmi.compat import _release

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


async def test_acompletion_num_retries_retries_a_streamed_429(fault_gmi: FaultServer) -> None:
    fault_gmi.script(RATE_LIMITED, RATE_LIMITED, Reply(kind="sse", events=good_stream("Par", "is.")))
    stream = await litellm.acompletion(model=MODEL, messages=MESSAGES, stream=True, num_retries=2)
    assert await _text(stream) == "Paris."
    assert fault_gmi.count("/chat/completions") == 3


async def test_router_retries_a_streamed_503(fault_gmi: FaultServer) -> None:
    unavailable = Reply(status=503, body={"error": {"message": "overloaded"}})
    fault_gmi.script(unavailable, unavailable, Reply(kind="sse", events=good_stream("Par", "is.")))
    router = litellm.Router(
        model_list=[{"model_name": "ds", "litellm_params": {"model": MODEL}}], num_retries=2, retry_after=0
    )
    stream = await router.acompletion(model="ds", messages=MESSAGES, stream=True)
    assert await _text(stream) == "Paris."
    assert fault_gmi.count("/chat/completions") == 3


async def test_builtin_openai_route_behaves_the_same(fault_gmi: FaultServer) -> None:
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
async def test_litellms_builtin_gmi_row_retries_the_same_way(fault_gmi: FaultServer) -> None:
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


# ------------------------------------------------------------------------- pinned LiteLLM internals ---
def test_acompletion_runs_completion_in_an_executor_with_the_callers_context() -> None:
    source = inspect.getsource(litellm.main.acompletion)
    assert "run_in_executor" in source
    assert "copy_context" in source


def test_async_streams_of_a_custom_provider_go_to_astreaming() -> None:
    provider = CustomLLM()
    handler = custom_chat_llm_router(async_fn=True, stream=True, custom_llm=provider)
    assert handler == provider.astreaming


def test_the_deployment_hook_is_awaited_for_every_custom_logger() -> None:
    assert inspect.iscoroutinefunction(CustomLogger.async_pre_call_deployment_hook)
    source = inspect.getsource(litellm.utils.async_pre_call_deployment_hook)
    assert "litellm.callbacks" in source
    assert "async_pre_call_deployment_hook" in inspect.getsource(litellm.utils.client)


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
