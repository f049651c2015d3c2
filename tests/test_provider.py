"""``litellm.completion("gmi/...")`` end to end, through our provider, against recorded GMI answers.

Each test records one cassette by really calling the emulator (or GMI, when recording live). The
cassette's request is what our code sent: replay only succeeds when the URL path, the JSON body and the
headers GMI acts on match it, so asserting on ``cassette.requests`` checks the outgoing request too.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import litellm
import openai
import pytest
from conftest import eventually

from gmi_emulator import Fault
from litellm_gmi.litellm_seams.version import STREAM_PASSTHROUGH

MODEL = "gmi/deepseek-ai/DeepSeek-V3.2"
REASONING_MODEL = "gmi/moonshotai/Kimi-K2-Thinking"
THINK_TAG_MODEL = "gmi/deepseek-ai/DeepSeek-R1"
TOOL_MODEL = "gmi/anthropic/claude-sonnet-4.5"
MESSAGES = [{"role": "user", "content": "What is the capital of France?"}]
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"type": "string"}},
            "required": ["city"],
        },
    },
}

pytestmark = pytest.mark.usefixtures("gmi_env")


def sent(cassette: Any, index: int = -1) -> dict[str, Any]:
    """The JSON body of a request our code sent (as recorded, and matched on replay)."""
    body = cassette.requests[index].body
    return dict(json.loads(body.decode() if isinstance(body, bytes) else body))


def header(cassette: Any, name: str, index: int = -1) -> str | None:
    headers = cassette.requests[index].headers
    return next((v for k, v in headers.items() if k.lower() == name.lower()), None)


def stream_text(chunks: list[Any]) -> str:
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


# ------------------------------------------------------------------------------------- basic calls ---
@pytest.mark.vcr
def test_sync_completion(vcr: Any) -> None:
    response = litellm.completion(model=MODEL, messages=MESSAGES)
    assert response.choices[0].message.content
    assert response.usage.prompt_tokens > 0
    assert response._hidden_params["custom_llm_provider"] == "gmi"
    assert response._hidden_params["response_cost"] > 0
    request = vcr.requests[-1]
    assert request.method == "POST"
    assert request.path.endswith("/v1/chat/completions")
    assert sent(vcr) == {"model": "deepseek-ai/DeepSeek-V3.2", "messages": MESSAGES}
    assert (header(vcr, "user-agent") or "").startswith("litellm_gmi/")
    assert header(vcr, "authorization") == "REDACTED"
    assert header(vcr, "x-organization-id") is None


@pytest.mark.vcr
async def test_async_completion(vcr: Any) -> None:
    response = await litellm.acompletion(model=MODEL, messages=MESSAGES)
    assert response.choices[0].message.content
    assert response._hidden_params["response_cost"] > 0
    assert sent(vcr)["model"] == "deepseek-ai/DeepSeek-V3.2"


@pytest.mark.vcr
def test_streaming_with_usage_and_cost(vcr: Any) -> None:
    chunks = list(
        litellm.completion(
            model=MODEL, messages=MESSAGES, stream=True, stream_options={"include_usage": True}
        )
    )
    assert stream_text(chunks)
    usage = next(c.usage for c in reversed(chunks) if getattr(c, "usage", None))
    assert usage.completion_tokens > 0
    assert sent(vcr)["stream"] is True
    assert sent(vcr)["stream_options"] == {"include_usage": True}
    built = litellm.stream_chunk_builder(chunks, messages=MESSAGES)
    assert litellm.completion_cost(built, model=MODEL) > 0


@pytest.mark.vcr
def test_streaming_always_asks_gmi_for_usage(vcr: Any) -> None:
    list(litellm.completion(model=MODEL, messages=MESSAGES, stream=True))
    assert sent(vcr)["stream_options"] == {"include_usage": True}


@pytest.mark.vcr
async def test_async_streaming(vcr: Any) -> None:
    stream = await litellm.acompletion(model=MODEL, messages=MESSAGES, stream=True)
    chunks = [chunk async for chunk in stream]
    assert stream_text(chunks)
    assert sent(vcr)["stream"] is True


# -------------------------------------------------------------------------------------- parameters ---
@pytest.mark.vcr
def test_openai_parameters_are_mapped(vcr: Any) -> None:
    litellm.completion(
        model=MODEL,
        messages=MESSAGES,
        max_completion_tokens=12,
        temperature=0.3,
        top_p=0.9,
        stop=["\n\n", "END"],
        seed=7,
        frequency_penalty=0.1,
        presence_penalty=0.2,
        user="user-123",
    )
    assert sent(vcr) == {
        "model": "deepseek-ai/DeepSeek-V3.2",
        "messages": MESSAGES,
        "max_tokens": 12,
        "temperature": 0.3,
        "top_p": 0.9,
        "stop": ["\n\n", "END"],
        "seed": 7,
        "frequency_penalty": 0.1,
        "presence_penalty": 0.2,
        "user": "user-123",
    }


@pytest.mark.vcr
def test_gmi_parameters_pass_through(vcr: Any) -> None:
    litellm.completion(
        model=MODEL,
        messages=MESSAGES,
        top_k=5,
        ignore_eos=False,
        context_length_exceeded_behavior="truncate",
        repetition_penalty=1.05,
        min_p=0.05,
    )
    body = sent(vcr)
    assert (body["top_k"], body["ignore_eos"], body["context_length_exceeded_behavior"]) == (
        5,
        False,
        "truncate",
    )
    assert (body["repetition_penalty"], body["min_p"]) == (1.05, 0.05)


@pytest.mark.vcr
def test_extra_body_is_merged(vcr: Any) -> None:
    litellm.completion(model=MODEL, messages=MESSAGES, extra_body={"chat_template_kwargs": {"x": 1}})
    assert sent(vcr)["chat_template_kwargs"] == {"x": 1}


@pytest.mark.vcr
def test_json_mode(vcr: Any) -> None:
    response = litellm.completion(model=MODEL, messages=MESSAGES, response_format={"type": "json_object"})
    assert isinstance(json.loads(response.choices[0].message.content), dict)
    assert sent(vcr)["response_format"] == {"type": "json_object"}


@pytest.mark.vcr
def test_json_schema_is_downgraded_for_models_without_schema_support(vcr: Any) -> None:
    """``json_object`` plus the schema as a system instruction (tests/chat/test_structured_output.py)."""
    schema = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
    response = litellm.completion(
        model=MODEL,
        messages=MESSAGES,
        response_format={"type": "json_schema", "json_schema": {"name": "answer", "schema": schema}},
    )
    answer = json.loads(response.choices[0].message.content)
    jsonschema.validate(answer, schema)  # the model saw the schema, so JSON mode can follow it
    body = sent(vcr)
    assert body["response_format"] == {"type": "json_object"}
    assert body["messages"][1:] == MESSAGES
    assert body["messages"][0]["role"] == "system"
    assert json.dumps(schema, separators=(",", ":")) in body["messages"][0]["content"]


@pytest.mark.vcr
def test_organisation_and_extra_headers(vcr: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GMI_ORG_ID", "org-from-env")
    litellm.completion(model=MODEL, messages=MESSAGES, extra_headers={"X-Trace": "t-1"})
    assert header(vcr, "x-organization-id") == "REDACTED"
    assert header(vcr, "x-trace") == "t-1"


@pytest.mark.vcr
def test_org_id_argument_sends_the_organisation_header(vcr: Any) -> None:
    litellm.completion(model=MODEL, messages=MESSAGES, org_id="org-from-arg")
    assert header(vcr, "x-organization-id") == "REDACTED"
    assert "org_id" not in sent(vcr)


@pytest.mark.vcr
def test_reasoning_effort_through_allowed_openai_params(vcr: Any) -> None:
    response = litellm.completion(
        model=REASONING_MODEL,
        messages=MESSAGES,
        reasoning_effort="high",
        allowed_openai_params=["reasoning_effort"],
    )
    assert sent(vcr)["reasoning_effort"] == "high"
    assert response.choices[0].message.reasoning_content


@pytest.mark.vcr
def test_minimax_thinking_toggle_reaches_gmi(vcr: Any) -> None:
    litellm.completion(
        model="gmi/MiniMaxAI/MiniMax-M2.1",
        messages=MESSAGES,
        reasoning_effort="low",
        allowed_openai_params=["reasoning_effort"],
    )
    assert sent(vcr)["thinking"] == {"type": "enabled"}
    assert sent(vcr)["reasoning_effort"] == "low"


def test_reasoning_effort_is_refused_where_the_catalog_says_gmi_refuses_it(
    gmi_env: Any, refusing_model: str
) -> None:
    """LiteLLM's own check, answered by our table (tests/chat/test_recovered.py has the accepted side)."""
    with pytest.raises(litellm.UnsupportedParamsError, match="allowed_openai_params"):
        litellm.completion(model=f"gmi/{refusing_model}", messages=MESSAGES, reasoning_effort="high")
    assert gmi_env.requests == []


# ------------------------------------------------------------------------- refused before the network ---
@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"top_k": 500}, litellm.BadRequestError),
        ({"context_length_exceeded_behavior": "drop"}, litellm.BadRequestError),
        ({"temperature": 3}, litellm.BadRequestError),
        ({"frobnicate": True}, litellm.UnsupportedParamsError),
    ],
)
def test_bad_input_fails_before_the_network(gmi_env: Any, kwargs: dict[str, Any], error: type) -> None:
    with pytest.raises(error):
        litellm.completion(model=MODEL, messages=MESSAGES, **kwargs)
    assert gmi_env.requests == []


def test_more_than_four_stop_sequences(gmi_env: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """LiteLLM >= 1.82 truncates ``stop`` to 4 itself unless told not to; then we refuse."""
    monkeypatch.setattr(litellm, "disable_stop_sequence_limit", True, raising=False)
    with pytest.raises(litellm.BadRequestError, match="at most 4 stop sequences"):
        litellm.completion(model=MODEL, messages=MESSAGES, stop=["a", "b", "c", "d", "e"])
    assert gmi_env.requests == []


def test_missing_key_fails_before_the_network(gmi_env: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GMI_API_KEY")
    with pytest.raises(litellm.AuthenticationError, match="GMI_API_KEY"):
        litellm.completion(model=MODEL, messages=MESSAGES)
    assert gmi_env.requests == []


@pytest.mark.vcr
def test_drop_params_drops_unknown_names(vcr: Any) -> None:
    litellm.completion(model=MODEL, messages=MESSAGES, frobnicate=True, top_k=3, drop_params=True)
    assert "frobnicate" not in sent(vcr)
    assert sent(vcr)["top_k"] == 3


# ------------------------------------------------------------------------------- tools and reasoning ---
@pytest.mark.vcr
def test_tool_call(vcr: Any) -> None:
    response = litellm.completion(
        model=TOOL_MODEL,
        messages=MESSAGES,
        tools=[WEATHER_TOOL],
        tool_choice="auto",
        parallel_tool_calls=False,
    )
    call = response.choices[0].message.tool_calls[0]
    assert call.function.name == "get_weather"
    assert "city" in json.loads(call.function.arguments)
    assert response.choices[0].finish_reason == "tool_calls"
    body = sent(vcr)
    assert (body["tools"], body["tool_choice"], body["parallel_tool_calls"]) == (
        [WEATHER_TOOL],
        "auto",
        False,
    )


@pytest.mark.vcr
def test_tools_are_sent_for_models_litellm_does_not_mark_as_tool_capable(vcr: Any) -> None:
    """LiteLLM's built-in row drops tools for e.g. Kimi-K2-Thinking; we never do."""
    litellm.completion(model=REASONING_MODEL, messages=MESSAGES, tools=[WEATHER_TOOL])
    assert sent(vcr)["tools"] == [WEATHER_TOOL]


@pytest.mark.vcr
def test_streamed_tool_call(vcr: Any) -> None:
    chunks = list(litellm.completion(model=TOOL_MODEL, messages=MESSAGES, tools=[WEATHER_TOOL], stream=True))
    built = litellm.stream_chunk_builder(chunks, messages=MESSAGES)
    call = built.choices[0].message.tool_calls[0]
    assert call.function.name == "get_weather"
    assert "city" in json.loads(call.function.arguments)


@pytest.mark.vcr
def test_reasoning_content_on_the_message(vcr: Any) -> None:
    response = litellm.completion(model=REASONING_MODEL, messages=MESSAGES)
    message = response.choices[0].message
    assert message.reasoning_content
    assert message.content
    assert response.usage.completion_tokens_details.reasoning_tokens > 0


@pytest.mark.vcr
def test_reasoning_content_on_stream_deltas(vcr: Any) -> None:
    chunks = list(litellm.completion(model=REASONING_MODEL, messages=MESSAGES, stream=True))
    reasoning = "".join(_delta_reasoning(c) for c in chunks)
    assert reasoning
    assert stream_text(chunks)


@pytest.mark.vcr
def test_think_tags_are_split_out(vcr: Any) -> None:
    message = litellm.completion(model=THINK_TAG_MODEL, messages=MESSAGES).choices[0].message
    assert message.reasoning_content
    assert "<think>" not in message.content
    assert message.content


@pytest.mark.vcr
def test_think_tags_are_split_out_of_streams(vcr: Any) -> None:
    chunks = list(litellm.completion(model=THINK_TAG_MODEL, messages=MESSAGES, stream=True))
    assert "".join(_delta_reasoning(c) for c in chunks)
    text = stream_text(chunks)
    assert text
    assert "think>" not in text


def _delta_reasoning(chunk: Any) -> str:
    if not chunk.choices:
        return ""
    delta = chunk.choices[0].delta
    # LiteLLM < 1.89 carries custom-provider extras in provider_specific_fields.
    extras = getattr(delta, "provider_specific_fields", None) or {}
    return str(getattr(delta, "reasoning_content", None) or extras.get("reasoning_content") or "")


# ------------------------------------------------------------------------------------------- errors ---
@pytest.mark.vcr
def test_bad_key_is_an_authentication_error(vcr: Any) -> None:
    with pytest.raises(litellm.AuthenticationError):
        litellm.completion(model=MODEL, messages=MESSAGES, api_key="sk-invalid-key-for-test")


@pytest.mark.vcr
def test_forbidden_key_is_an_authentication_error(vcr: Any) -> None:
    with pytest.raises(litellm.AuthenticationError):
        litellm.completion(model=MODEL, messages=MESSAGES, api_key="sk-forbidden-key-for-test")


@pytest.mark.vcr
def test_zero_balance_is_a_payment_error_with_gmis_reason(vcr: Any) -> None:
    expected = getattr(litellm, "PaymentRequiredError", litellm.BadRequestError)  # added after 1.81.1
    with pytest.raises(expected, match="Insufficient balance") as caught:
        litellm.completion(model=MODEL, messages=MESSAGES, api_key="sk-nobalance-key-for-test")
    assert caught.value.status_code == 402
    assert "sk-nobalance-key-for-test" not in str(caught.value)


@pytest.mark.vcr
def test_unknown_model_is_not_found_naming_the_model(vcr: Any) -> None:
    with pytest.raises(litellm.NotFoundError, match="acme/not-deployed"):
        litellm.completion(model="gmi/acme/not-deployed", messages=MESSAGES)


@pytest.mark.vcr
def test_rate_limit(vcr: Any, gmi_env: Any) -> None:
    gmi_env.inject(Fault("rate_limit", retry_after=2))
    with pytest.raises(litellm.RateLimitError) as info:
        litellm.completion(model=MODEL, messages=MESSAGES, num_retries=0)
    assert info.value.response.headers["retry-after"] == "2"


@pytest.mark.vcr
def test_rate_limit_is_retried_with_num_retries(vcr: Any, gmi_env: Any) -> None:
    gmi_env.inject(Fault("rate_limit", retry_after=0))
    response = litellm.completion(model=MODEL, messages=MESSAGES, num_retries=1)
    assert response.choices[0].message.content
    assert len(vcr.requests) == 2


@pytest.mark.vcr
def test_context_overflow_with_error_behaviour(vcr: Any, small_context_model: str) -> None:
    long_prompt = [{"role": "user", "content": "word " * 400}]
    with pytest.raises(litellm.ContextWindowExceededError, match="maximum context length"):
        litellm.completion(
            model=f"gmi/{small_context_model}", messages=long_prompt, context_length_exceeded_behavior="error"
        )


@pytest.mark.vcr
def test_context_overflow_truncates_by_default(vcr: Any, small_context_model: str) -> None:
    long_prompt = [{"role": "user", "content": "word " * 400}]
    response = litellm.completion(model=f"gmi/{small_context_model}", messages=long_prompt)
    assert response.choices[0].message.content


@pytest.mark.vcr
def test_other_bad_request_carries_gmis_reason(vcr: Any) -> None:
    with pytest.raises(litellm.BadRequestError, match="valid range of max_tokens") as info:
        litellm.completion(model=MODEL, messages=MESSAGES, max_tokens=10_000_000)
    assert not isinstance(info.value, litellm.ContextWindowExceededError)
    assert "Backend request failed" not in str(info.value)


@pytest.mark.vcr
def test_server_error(vcr: Any, gmi_env: Any) -> None:
    gmi_env.inject(Fault("server_error"))
    with pytest.raises(litellm.InternalServerError):
        litellm.completion(model=MODEL, messages=MESSAGES, num_retries=0)


@pytest.mark.vcr
def test_service_unavailable(vcr: Any, gmi_env: Any) -> None:
    gmi_env.inject(Fault("unavailable"))
    with pytest.raises(litellm.ServiceUnavailableError):
        litellm.completion(model=MODEL, messages=MESSAGES, num_retries=0)


@pytest.mark.vcr
def test_error_inside_a_stream_is_raised(vcr: Any, gmi_env: Any) -> None:
    gmi_env.inject(Fault("stream_error", after_chunks=2))
    with pytest.raises(openai.APIError, match="engine stopped while generating") as info:
        for _ in litellm.completion(model=MODEL, messages=MESSAGES, stream=True):
            pass
    assert isinstance(info.value, litellm.InternalServerError | litellm.ServiceUnavailableError)
    assert "Backend request failed" not in str(info.value)


@pytest.mark.vcr
def test_malformed_body_is_a_clear_error(vcr: Any, gmi_env: Any) -> None:
    gmi_env.inject(Fault("malformed"))
    with pytest.raises(litellm.ServiceUnavailableError, match="body that is not JSON"):
        litellm.completion(model=MODEL, messages=MESSAGES, num_retries=0)


def test_timeout_is_a_litellm_timeout(gmi_env: Any) -> None:
    """Live against the emulator: a timeout leaves nothing to record."""
    gmi_env.inject(Fault("delay", delay=2.0))
    with pytest.raises(litellm.Timeout):
        litellm.completion(model=MODEL, messages=MESSAGES, timeout=0.3, num_retries=0)


@pytest.mark.vcr
def test_api_base_argument_beats_the_environment(
    vcr: Any, gmi_env: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GMI_API_BASE", "http://127.0.0.1:9/v1")  # nothing listens on port 9
    response = litellm.completion(model=MODEL, messages=MESSAGES, api_base=gmi_env.chat_base)
    assert response.choices[0].message.content


# --------------------------------------------------------------------------- LiteLLM's own machinery ---
class _CostRecorder(litellm.integrations.custom_logger.CustomLogger):  # type: ignore[misc]
    """The cost of each logged call, once per call id.

    LiteLLM may hand one call to both the sync and the async success hook of the same logger (1.109.1
    does once an event loop has run in the process); what these tests check is that our route logs a
    call once, with its cost, not how many hooks LiteLLM fans it out to.
    """

    def __init__(self) -> None:
        super().__init__()
        self.by_call: dict[str, float] = {}
        self.events: list[tuple[str, str, str]] = []
        """(call id, hook, response id) per event."""

    def repeated(self, call_id: str) -> int:
        """Events one hook received twice for this call: what a double-logging route would cause."""
        events = [event for event in self.events if event[0] == call_id]
        return len(events) - len(set(events))

    def calls_logging(self, response_id: str) -> set[str]:
        """The call ids under which this response was logged: one, unless a route logs it twice."""
        return {call_id for call_id, _, logged in self.events if logged == response_id}

    def clear(self) -> None:
        self.by_call.clear()
        self.events.clear()

    def _record(self, kwargs: Any, response_obj: Any, hook: str) -> None:
        call_id = str(kwargs.get("litellm_call_id"))
        self.by_call[call_id] = kwargs["response_cost"]
        self.events.append((call_id, hook, str(getattr(response_obj, "id", None))))

    def log_success_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
        self._record(kwargs, response_obj, "sync")

    async def async_log_success_event(
        self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        self._record(kwargs, response_obj, "async")


_RECORDER = _CostRecorder()


@pytest.fixture
def cost_recorder() -> _CostRecorder:
    """One recorder for the whole module: LiteLLM copies ``litellm.callbacks`` into its own success
    lists on first use, so a recorder swapped in per test would leave the previous one wired in."""
    if _RECORDER not in litellm.callbacks:
        litellm.callbacks.append(_RECORDER)
    _RECORDER.clear()
    return _RECORDER


def _logged_cost(recorder: _CostRecorder, call_id: str) -> float:
    """The cost logged for this call: LiteLLM runs success callbacks on a worker thread, so give it a
    bounded moment. Keyed by the call's id, as a late event of an earlier test may still arrive."""
    cost = eventually(lambda: recorder.by_call.get(call_id), lambda logged: logged is not None, 20)
    assert cost is not None, f"no success callback for call {call_id}"
    return cost


@pytest.mark.vcr
def test_success_callback_runs_once_with_the_cost(vcr: Any, cost_recorder: _CostRecorder) -> None:
    response = litellm.completion(model=MODEL, messages=MESSAGES, litellm_call_id="cost-sync")
    assert _logged_cost(cost_recorder, "cost-sync") > 0
    assert cost_recorder.repeated("cost-sync") == 0
    assert cost_recorder.calls_logging(response.id) == {"cost-sync"}


@pytest.mark.skipif(
    not STREAM_PASSTHROUGH,
    reason="LiteLLM < 1.89 stamps response_cost=None on an assembled custom-provider stream and its "
    "logger prefers that to computing it; completion_cost(stream_chunk_builder(...)) still works there",
)
@pytest.mark.vcr
def test_stream_callback_runs_once_with_gmis_usage_cost(vcr: Any, cost_recorder: _CostRecorder) -> None:
    chunks = list(
        litellm.completion(model=MODEL, messages=MESSAGES, stream=True, litellm_call_id="cost-stream")
    )
    assert chunks
    assert _logged_cost(cost_recorder, "cost-stream") > 0
    assert cost_recorder.repeated("cost-stream") == 0
    assert cost_recorder.calls_logging(chunks[0].id) == {"cost-stream"}


@pytest.mark.parametrize("stream", [False, True])
def test_every_call_maps_its_parameters_through_the_chat_config(
    gmi_env: Any, monkeypatch: pytest.MonkeyPatch, stream: bool
) -> None:
    """``GMIChatConfig.map_openai_params`` is the path parameters take (issue 22), not a test-only one."""
    from litellm_gmi.chat.transformation import GMIChatConfig

    original = GMIChatConfig.map_openai_params
    seen: list[dict[str, Any]] = []

    def spy(self: GMIChatConfig, non_default: dict[str, Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
        seen.append(dict(non_default))
        return original(self, non_default, *args, **kwargs)

    monkeypatch.setattr(GMIChatConfig, "map_openai_params", spy)
    response = litellm.completion(
        model=MODEL, messages=MESSAGES, stream=stream, top_k=3, max_completion_tokens=20
    )
    if stream:
        list(response)
    assert len(seen) == 1
    assert seen[0]["top_k"] == 3
    assert seen[0]["max_completion_tokens"] == 20
    assert seen[0]["stream"] is stream
