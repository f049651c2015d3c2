"""``/v1/messages`` and ``/v1/responses`` calls for ``gmi/`` models reach GMI's own endpoints, untranslated.

From the SDK, against the independent fault server (tests/fault_server.py): what GMI receives is read from
its request log, so a field LiteLLM translated, dropped or added shows. The proxy is covered in
tests/integration/test_proxy_config.py. On LiteLLM 1.81.1, which has no pass-through, the last tests
pin the bridge.
"""

from __future__ import annotations

import importlib
import json
import os
from typing import Any

import litellm
import pytest
from catalog_prices import catalog_cost
from conftest import aeventually, needs_proxy_dependencies

import litellm_gmi
from litellm_gmi.constants import API_KEY_ENVS
from litellm_gmi.native import hooks
from litellm_gmi.native import routes as native_routes
from litellm_gmi.native.routes import MESSAGES, RESPONSES, native_kwargs, native_routes_available

from fault_server import (
    FaultServer,
    Reply,
    anthropic_events,
    anthropic_message,
    chat_answer,
    responses_answer,
    responses_events,
)

CLAUDE = "gmi/anthropic/claude-sonnet-4.6"
MINIMAX = "gmi/MiniMaxAI/MiniMax-M2.7"
GPT = "gmi/openai/gpt-5.2"
CHAT_ONLY = "gmi/deepseek-ai/DeepSeek-V3.2"
THINKING = {"type": "enabled", "budget_tokens": 2048}
HELLO = [{"role": "user", "content": "What is the capital of France?"}]

native = pytest.mark.skipif(not native_routes_available(), reason="this LiteLLM has no pass-through")


class _Recorder(litellm.integrations.custom_logger.CustomLogger):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[dict[str, Any]] = []

    async def async_log_success_event(
        self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        self.calls.append(kwargs)


_RECORDER = _Recorder()


@pytest.fixture
def recorder() -> _Recorder:
    """One recorder for the module: LiteLLM copies ``litellm.callbacks`` into its own lists on first use."""
    if _RECORDER not in litellm.callbacks:
        litellm.callbacks.append(_RECORDER)
    _RECORDER.calls.clear()
    return _RECORDER


async def _logged(recorder: _Recorder, call_id: str) -> dict[str, Any]:
    """LiteLLM logs success on a background task (a late one from an earlier test may arrive too)."""

    def calls() -> list[dict[str, Any]]:
        return [call for call in recorder.calls if call.get("litellm_call_id") == call_id]

    logged = await aeventually(calls, bool, 5)
    assert logged, f"no success callback for call {call_id}"
    (call,) = logged
    return call


def _sse(raw: bytes) -> list[dict[str, Any]]:
    return [
        json.loads(line[len("data:") :])
        for line in raw.decode().splitlines()
        if line.startswith("data:") and line.strip() != "data: [DONE]"
    ]


# ------------------------------------------------------------------------------------- /v1/messages ---
@native
@pytest.mark.parametrize("model", [CLAUDE, MINIMAX])
async def test_messages_reach_gmi_with_thinking_unchanged(fault_gmi: FaultServer, model: str) -> None:
    fault_gmi.script(Reply(body=anthropic_message(model=model)))

    response = await litellm.anthropic.messages.acreate(
        model=model, max_tokens=4096, messages=HELLO, thinking=THINKING
    )

    assert [block["type"] for block in response["content"]] == ["thinking", "text"]
    (seen,) = fault_gmi.seen
    assert seen.path == "/v1/messages"
    assert seen.body["model"] == model.removeprefix("gmi/")
    assert seen.body["thinking"] == THINKING
    assert seen.body["messages"] == HELLO
    assert seen.headers["authorization"] == f"Bearer {os.environ['GMI_API_KEY']}"
    assert seen.headers["User-Agent"].startswith("litellm_gmi/")


@native
@needs_proxy_dependencies
async def test_messages_stream_thinking_signature_and_text_deltas(fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(kind="sse", events=anthropic_events(model=CLAUDE), done=False))

    stream = await litellm.anthropic.messages.acreate(
        model=CLAUDE, max_tokens=4096, messages=HELLO, thinking=THINKING, stream=True
    )
    events = _sse(b"".join([chunk async for chunk in stream]))

    deltas = [e["delta"]["type"] for e in events if e["type"] == "content_block_delta"]
    assert deltas == ["thinking_delta", "signature_delta", "text_delta", "text_delta"]
    text = "".join(
        e["delta"]["text"]
        for e in events
        if e["type"] == "content_block_delta" and e["delta"]["type"] == "text_delta"
    )
    assert text == "Paris."
    assert fault_gmi.seen[0].body["stream"] is True
    assert fault_gmi.seen[0].body["thinking"] == THINKING


@native
async def test_cache_control_system_and_tools_are_not_translated(fault_gmi: FaultServer) -> None:
    system = [{"type": "text", "text": "You are terse.", "cache_control": {"type": "ephemeral"}}]
    tools = [
        {
            "name": "get_weather",
            "description": "Weather for a city.",
            "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}},
        }
    ]
    fault_gmi.script(Reply(body=anthropic_message(model=CLAUDE)))

    await litellm.anthropic.messages.acreate(
        model=CLAUDE, max_tokens=256, messages=HELLO, system=system, tools=tools
    )

    body = fault_gmi.seen[0].body
    assert body["system"] == system
    assert body["tools"] == tools


@native
@pytest.mark.parametrize("stream", [False, pytest.param(True, marks=needs_proxy_dependencies)])
async def test_messages_cost_uses_the_catalogs_cache_price(
    fault_gmi: FaultServer, recorder: _Recorder, stream: bool
) -> None:
    usage = {"input_tokens": 100, "output_tokens": 50, "cache_read_input_tokens": 1000}
    answer = anthropic_message(model=CLAUDE, **usage)
    events = anthropic_events(model=CLAUDE, **usage)
    fault_gmi.script(Reply(kind="sse", events=events, done=False) if stream else Reply(body=answer))

    response = await litellm.anthropic.messages.acreate(
        model=CLAUDE, max_tokens=256, messages=HELLO, stream=stream, litellm_call_id="messages-cost"
    )
    if stream:
        assert [chunk async for chunk in response]

    logged = await _logged(recorder, "messages-cost")
    assert logged["custom_llm_provider"] == "gmi"
    assert logged["response_cost"] == pytest.approx(catalog_cost(CLAUDE, 100, 50, cached=1000))


@native
async def test_model_without_native_messages_keeps_the_bridge(fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(body=chat_answer()))

    response = await litellm.anthropic.messages.acreate(model=CHAT_ONLY, max_tokens=256, messages=HELLO)

    assert response["content"][0]["text"] == "Paris."
    assert [s.path for s in fault_gmi.seen] == ["/v1/chat/completions"]


@native
async def test_a_deployments_own_endpoint_list_wins_over_the_catalog(fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(body=chat_answer()), Reply(body=anthropic_message()))

    await litellm.anthropic.messages.acreate(
        model=CLAUDE,
        max_tokens=256,
        messages=HELLO,
        model_info={"supported_endpoints": ["/v1/chat/completions"]},
    )
    await litellm.anthropic.messages.acreate(
        model=CHAT_ONLY, max_tokens=256, messages=HELLO, model_info={"supported_endpoints": [MESSAGES]}
    )

    assert [s.path for s in fault_gmi.seen] == ["/v1/chat/completions", "/v1/messages"]


# ------------------------------------------------------------------------------------ /v1/responses ---
@native
async def test_responses_reach_gmi_with_reasoning_and_tools(fault_gmi: FaultServer) -> None:
    tools = [
        {
            "type": "function",
            "name": "get_weather",
            "description": "Weather for a city.",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        }
    ]
    fault_gmi.script(Reply(body=responses_answer(model=GPT)))

    response = await litellm.aresponses(
        model=GPT, input="Capital of France?", reasoning={"effort": "high"}, tools=tools
    )

    assert [item.type for item in response.output] == ["reasoning", "message"]
    assert response.output[1].content[0].text == "Paris."
    (seen,) = fault_gmi.seen
    assert seen.path == "/v1/responses"
    assert seen.body["model"] == "openai/gpt-5.2"
    assert seen.body["reasoning"] == {"effort": "high"}
    assert seen.body["tools"] == tools
    assert seen.headers["Authorization"] == f"Bearer {os.environ['GMI_API_KEY']}"


@native
async def test_responses_stream_events(fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(kind="sse", events=responses_events(model=GPT), done=False))

    stream = await litellm.aresponses(
        model=GPT, input="Capital of France?", reasoning={"effort": "low"}, stream=True
    )
    events = [event async for event in stream]

    types = [event.type for event in events]
    assert types[0] == "response.created"
    assert types[-1] == "response.completed"
    assert "".join(e.delta for e in events if e.type == "response.output_text.delta") == "Paris."
    assert fault_gmi.seen[0].body["stream"] is True
    assert fault_gmi.seen[0].body["reasoning"] == {"effort": "low"}


@native
async def test_previous_response_id_reaches_gmi(fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(body=responses_answer(model=GPT)))

    await litellm.aresponses(model=GPT, input="And of Spain?", previous_response_id="resp_fault")

    assert fault_gmi.seen[0].body["previous_response_id"] == "resp_fault"


@native
@pytest.mark.parametrize("stream", [False, True])
async def test_responses_cost_uses_the_catalogs_cache_price(
    fault_gmi: FaultServer, recorder: _Recorder, stream: bool
) -> None:
    model = "gmi/openai/gpt-5.6-sol"  # GMI's price differs from OpenAI's own row for gpt-5.6-sol
    usage = {"input_tokens": 1000, "input_tokens_details": {"cached_tokens": 400}, "output_tokens": 100}
    answer = responses_answer(model=model, **usage)
    events = responses_events(model=model, **usage)
    fault_gmi.script(Reply(kind="sse", events=events, done=False) if stream else Reply(body=answer))

    response = await litellm.aresponses(
        model=model, input="Capital of France?", stream=stream, litellm_call_id="responses-cost"
    )
    if stream:
        assert [event async for event in response]

    logged = await _logged(recorder, "responses-cost")
    assert logged["custom_llm_provider"] == "gmi"
    assert logged["response_cost"] == pytest.approx(catalog_cost(model, 600, 100, cached=400))


@native
async def test_model_without_native_responses_keeps_the_bridge(fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(body=chat_answer()))

    response = await litellm.aresponses(model=CHAT_ONLY, input="Capital of France?")

    assert response.output[0].content[0].text == "Paris."
    assert [s.path for s in fault_gmi.seen] == ["/v1/chat/completions"]


# ------------------------------------------------------------------------ credentials and headers ---
@native
async def test_organisation_becomes_a_header_not_a_body_field(
    fault_gmi: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GMI_ORG_ID", "org-env")
    fault_gmi.script(Reply(body=responses_answer()), Reply(body=anthropic_message()))

    await litellm.aresponses(model=GPT, input="Hi")
    await litellm.anthropic.messages.acreate(model=CLAUDE, max_tokens=64, messages=HELLO, org_id="org-arg")

    assert [s.headers["X-Organization-ID"] for s in fault_gmi.seen] == ["org-env", "org-arg"]
    assert "org_id" not in fault_gmi.seen[1].body


@native
async def test_explicit_api_base_and_key_win(fault_gmi: FaultServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GMI_API_BASE", "http://127.0.0.1:9/v1")  # nothing listens there
    fault_gmi.script(Reply(body=anthropic_message()))

    await litellm.anthropic.messages.acreate(
        model=CLAUDE, max_tokens=64, messages=HELLO, api_base=fault_gmi.base, api_key="sk-explicit"
    )

    assert fault_gmi.seen[0].headers["authorization"] == "Bearer sk-explicit"


@native
async def test_missing_key_fails_before_the_network(
    fault_gmi: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in API_KEY_ENVS:
        monkeypatch.delenv(name, raising=False)

    with pytest.raises(litellm.AuthenticationError, match="GMI_API_KEY"):
        await litellm.aresponses(model=GPT, input="Hi")
    assert fault_gmi.seen == []


# ------------------------------------------------------------------------------------------ sync ---
@native
def test_sync_responses_go_native_with_native_kwargs(fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(body=responses_answer()), Reply(body=chat_answer()))

    litellm.responses(model=GPT, input="Hi", reasoning={"effort": "high"}, **native_kwargs(GPT, RESPONSES))
    # LiteLLM's sync ``@client`` wrapper runs no pre-call deployment hook: without them, the bridge.
    litellm.responses(model=GPT, input="Hi")

    assert [s.path for s in fault_gmi.seen] == ["/v1/responses", "/v1/chat/completions"]
    assert fault_gmi.seen[0].body["reasoning"] == {"effort": "high"}


@native
def test_sync_messages_have_no_native_route_in_litellm(fault_gmi: FaultServer) -> None:
    """LiteLLM's ``BaseLLMHTTPHandler.anthropic_messages_handler`` forwards natively for async calls only."""
    fault_gmi.script(Reply(body=chat_answer()))

    with pytest.raises(ValueError, match="not implemented for sync calls"):
        litellm.anthropic.messages.create(
            model=CLAUDE, max_tokens=64, messages=HELLO, **native_kwargs(CLAUDE, MESSAGES)
        )
    response = litellm.anthropic.messages.create(model=CLAUDE, max_tokens=64, messages=HELLO)

    assert response["content"][0]["text"] == "Paris."
    assert [s.path for s in fault_gmi.seen] == ["/v1/chat/completions"]


def test_native_kwargs_is_empty_for_other_models_and_endpoints(fault_gmi: FaultServer) -> None:
    assert native_kwargs("openai/gpt-5.2", RESPONSES) == {}
    assert native_kwargs(CHAT_ONLY, MESSAGES) == {}
    assert native_kwargs(GPT, MESSAGES) == {}
    assert native_kwargs(CLAUDE, RESPONSES) == {}


# ------------------------------------------------------------------------------ registration ---
def test_register_installs_one_hook_once_and_unregister_removes_it() -> None:
    """One CustomLogger for the whole package (each one costs every LiteLLM call), routing natively
    exactly where this LiteLLM can."""
    try:
        litellm_gmi.register()
        litellm_gmi.register()
        ours = [cb for cb in litellm.callbacks if type(cb).__module__.startswith("litellm_gmi")]
        assert ours == [hooks.gmi_hooks]
        assert (hooks.gmi_hooks.route is native_routes.route) == native_routes_available()
        litellm_gmi.unregister()
        assert not hooks.installed()
    finally:
        litellm_gmi.register()


@native
def test_the_litellm_internals_we_rely_on_are_where_we_name_them() -> None:
    """Named in litellm_gmi/native/routes.py and the README; an upgrade that moves one fails here first."""
    from litellm.integrations.custom_logger import CustomLogger
    from litellm.llms.openai_like.messages.transformation import OpenAILikeAnthropicMessagesConfig
    from litellm.llms.openai_like.responses.transformation import OpenAILikeResponsesConfig
    from litellm.responses.main import _deployment_passes_through_responses

    messages_handlers = []
    for name in (
        "litellm.llms.anthropic.pass_through.messages.handler",  # 1.106
        "litellm.llms.anthropic.messages.native.handler",  # 1.109
    ):
        try:
            messages_handlers.append(importlib.import_module(name))
        except ImportError:
            continue
    assert any(hasattr(m, "_deployment_passes_through_anthropic_messages") for m in messages_handlers)
    assert _deployment_passes_through_responses({"supported_endpoints": [RESPONSES]})
    assert (
        OpenAILikeAnthropicMessagesConfig().get_complete_url(
            "https://api.gmi-serving.com/v1", None, "m", {}, {}
        )
        == "https://api.gmi-serving.com/v1/messages"
    )
    assert OpenAILikeResponsesConfig().get_complete_url("https://api.gmi-serving.com/v1", {}) == (
        "https://api.gmi-serving.com/v1/responses"
    )
    assert callable(litellm.utils.async_pre_call_deployment_hook)
    assert "async_pre_call_deployment_hook" in vars(CustomLogger)


# ------------------------------------------------------------------------ releases without it ---
@pytest.mark.skipif(native_routes_available(), reason="this LiteLLM has the pass-through")
async def test_litellm_without_pass_through_bridges_messages(fault_gmi: FaultServer) -> None:
    """LiteLLM 1.81.1: no OpenAILike*Config, so /v1/messages is translated to chat (README: releases)."""
    fault_gmi.script(Reply(body=chat_answer()))

    await litellm.anthropic.messages.acreate(model=CLAUDE, max_tokens=64, messages=HELLO)

    assert hooks.gmi_hooks.route is None
    assert native_kwargs(CLAUDE, MESSAGES) == {}
    assert [s.path for s in fault_gmi.seen] == ["/v1/chat/completions"]


@pytest.mark.skipif(native_routes_available(), reason="this LiteLLM has the pass-through")
async def test_litellm_without_pass_through_cannot_serve_responses_for_gmi(fault_gmi: FaultServer) -> None:
    """LiteLLM 1.81.1 looks the provider up in LlmProviders, which has no entry for custom providers."""
    with pytest.raises(Exception, match="not a valid LlmProviders"):
        await litellm.aresponses(model=GPT, input="Hi")
    assert fault_gmi.seen == []
