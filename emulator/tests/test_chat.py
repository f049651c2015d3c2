"""Chat completions and the model list, over real HTTP on 127.0.0.1 (nothing remote, so no cassettes)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import aiohttp
import httpx
import pytest

from gmi_emulator import Fault, GMIEmulator

from .helpers import AUTH, sse_events

V32 = "deepseek-ai/DeepSeek-V3.2"
KIMI = "moonshotai/Kimi-K2-Thinking"
R1 = "deepseek-ai/DeepSeek-R1"
CLAUDE = "anthropic/claude-sonnet-4.5"
MINIMAX = "MiniMaxAI/MiniMax-M2.1"
UNCATALOGUED = "emulator/uncatalogued-7b"
V32_LIMIT = 64
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string"},
                "days": {"type": "integer"},
                "unit": {"type": "string", "enum": ["c", "f"]},
            },
            "required": ["city", "days"],
        },
    },
}
TIME_TOOL = {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object"}}}


@pytest.fixture(scope="module")
def emu() -> Iterator[GMIEmulator]:
    with GMIEmulator(context_limits={V32: V32_LIMIT}) as emulator:
        yield emulator


@pytest.fixture
def client(emu: GMIEmulator) -> Iterator[httpx.Client]:
    emu.clear_faults()
    emu.requests.clear()
    with httpx.Client(base_url=emu.chat_base, headers=AUTH, timeout=10) as http:
        yield http
    emu.clear_faults()


def chat(model: str = V32, text: str = "hello", **extra: Any) -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": text}], **extra}


def inner_message(response: httpx.Response) -> str:
    """The engine's reason, parsed out of the envelope's JSON-string ``details``."""
    error = response.json()["error"]
    assert error["message"] == f"Backend request failed with status {response.status_code}"
    return str(json.loads(error["details"])["error"]["message"])


def deltas(events: list[Any]) -> list[dict[str, Any]]:
    return [e["choices"][0]["delta"] for e in events if isinstance(e, dict) and e.get("choices")]


# ------------------------------------------------------------------------------------- auth & ids ---
@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer"}, 401),
        ({"Authorization": "Basic abc"}, 401),
        ({"Authorization": "Bearer sk-invalid-123"}, 401),
        ({"Authorization": "Bearer sk-forbidden-123"}, 403),
    ],
)
def test_auth_refusals_use_the_envelope_and_never_echo_the_key(emu: GMIEmulator, headers, status):
    for method, path, body in (("POST", "/chat/completions", chat()), ("GET", "/models", None)):
        response = httpx.request(method, emu.chat_base + path, headers=headers, json=body)
        assert response.status_code == status
        assert response.json()["error"]["details"]
        assert "123" not in response.text


def test_unknown_and_wrongly_cased_models_get_gmi_plain_text_404(client):
    for model in ("nope/not-a-model", V32.lower(), "DeepSeek-V3.2"):
        response = client.post("/chat/completions", json=chat(model))
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/plain")
        assert response.text == f"No matching target server found for model {model}"


def test_uncatalogued_model_is_served(client):
    response = client.post("/chat/completions", json=chat(UNCATALOGUED))
    assert response.status_code == 200
    assert response.json()["model"] == UNCATALOGUED


# -------------------------------------------------------------------------------------- /v1/models ---
def test_models_listing_mixes_the_unverified_field_shapes(client):
    body = client.get("/models").json()
    assert body["object"] == "list"
    entries = {e["id"]: e for e in body["data"]}
    assert {V32, KIMI, R1, CLAUDE, UNCATALOGUED} <= set(entries)
    assert all(
        e["object"] == "model" and e["created"] == 1750000000 and e["owned_by"] for e in entries.values()
    )
    context_fields = {"context_length", "max_model_len", "context_window", "max_context_length"}
    seen = {f for e in entries.values() for f in context_fields if f in e}
    assert seen == context_fields
    prices = [e.get("pricing") for e in entries.values()]
    assert any(p and isinstance(p.get("prompt"), str) for p in prices)
    assert any(p and isinstance(p.get("input"), float) for p in prices)
    assert any(p is None for p in prices)
    assert any("supported_parameters" in e for e in entries.values())
    with_context = [e for e in entries.values() if context_fields & set(e)]
    assert sum("context_length" in e for e in with_context) > len(with_context) / 2, "most use context_length"
    # Values come from the limits the emulator enforces: V3.2 is capped at 64 in this module.
    v32 = entries[V32]
    assert [v32[f] for f in context_fields if f in v32] == [V32_LIMIT]
    uncatalogued = entries[UNCATALOGUED]
    assert [uncatalogued[f] for f in context_fields if f in uncatalogued] == [32768]


def test_models_pricing_strings_are_usd_per_million(client):
    entries = client.get("/models").json()["data"]
    entry = next(e for e in entries if isinstance((e.get("pricing") or {}).get("prompt"), str))
    per_token = next(e for e in entries if isinstance((e.get("pricing") or {}).get("input"), float))
    assert 0 < float(entry["pricing"]["prompt"]) < 1000  # per 1M tokens, so dollars not micro-dollars
    assert 0 < per_token["pricing"]["input"] < 0.001  # per token


# ----------------------------------------------------------------------------------- plain & stream ---
def test_non_stream_answer_words_finish_and_usage(client):
    body = client.post("/chat/completions", json=chat()).json()
    assert body["object"] == "chat.completion"
    assert body["created"] == 1750000000
    assert body["id"].startswith("chatcmpl-")
    choice = body["choices"][0]
    assert len(choice["message"]["content"].split()) == 16
    assert choice["finish_reason"] == "stop"
    assert "reasoning_content" not in choice["message"]
    usage = body["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert usage["completion_tokens"] == 16

    short = client.post("/chat/completions", json=chat(max_tokens=5)).json()
    assert len(short["choices"][0]["message"]["content"].split()) == 5
    assert short["choices"][0]["finish_reason"] == "length"
    assert short["usage"]["completion_tokens"] == 5


def test_stop_sequences_cut_the_answer(client):
    words = client.post("/chat/completions", json=chat()).json()["choices"][0]["message"]["content"].split()
    cut = client.post("/chat/completions", json=chat(stop=[" " + words[3]])).json()["choices"][0]
    assert cut["message"]["content"] == " ".join(words[:3])
    assert cut["finish_reason"] == "stop"


def test_stream_matches_plain_answer_and_ends_with_usage_then_done(client):
    plain = client.post("/chat/completions", json=chat()).json()
    response = client.post("/chat/completions", json=chat(stream=True))
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    assert events[-1] == "[DONE]"
    usage_chunk = events[-2]
    assert usage_chunk["choices"] == []
    assert usage_chunk["usage"] == plain["usage"]  # sent without stream_options.include_usage
    assert events[-3]["choices"][0]["finish_reason"] == "stop"
    assert all(e["object"] == "chat.completion.chunk" for e in events[:-1])
    parts = deltas(events)
    assert parts[0] == {"role": "assistant", "content": ""}
    assert "".join(d.get("content") or "" for d in parts) == plain["choices"][0]["message"]["content"]


def test_stream_max_tokens_gives_that_many_content_chunks(client):
    events = sse_events(client.post("/chat/completions", json=chat(stream=True, max_tokens=200)).text)
    contents = [d["content"] for d in deltas(events)[1:] if d.get("content")]
    assert len(contents) == 200
    assert events[-3]["choices"][0]["finish_reason"] == "length"
    assert events[-2]["usage"]["completion_tokens"] == 200


# -------------------------------------------------------------------------------------------- tools ---
def test_tool_call_non_stream(client):
    body = client.post("/chat/completions", json=chat(CLAUDE, tools=[WEATHER_TOOL, TIME_TOOL])).json()
    choice = body["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    assert choice["message"]["content"] is None
    (call,) = choice["message"]["tool_calls"]
    assert call["id"].startswith("call_")
    assert call["type"] == "function"
    assert call["function"]["name"] == "get_weather"
    assert json.loads(call["function"]["arguments"]) == {"city": "example", "days": 1}


def test_tool_choice_and_parallel_calls(client):
    named = {"type": "function", "function": {"name": "get_time"}}
    forced = client.post(
        "/chat/completions", json=chat(CLAUDE, tools=[WEATHER_TOOL, TIME_TOOL], tool_choice=named)
    )
    assert [c["function"]["name"] for c in forced.json()["choices"][0]["message"]["tool_calls"]] == [
        "get_time"
    ]
    both = client.post(
        "/chat/completions", json=chat(CLAUDE, tools=[WEATHER_TOOL, TIME_TOOL], parallel_tool_calls=True)
    )
    calls = both.json()["choices"][0]["message"]["tool_calls"]
    assert [c["function"]["name"] for c in calls] == ["get_weather", "get_time"]
    assert len({c["id"] for c in calls}) == 2
    none = client.post(
        "/chat/completions", json=chat(CLAUDE, tools=[WEATHER_TOOL], tool_choice="none")
    ).json()
    assert none["choices"][0]["finish_reason"] == "stop"
    assert "tool_calls" not in none["choices"][0]["message"]


def test_tool_result_turn_answers_text_mentioning_the_result(client):
    messages = [
        {"role": "user", "content": "weather?"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "21C and sunny"},
    ]
    body = client.post(
        "/chat/completions", json={"model": CLAUDE, "messages": messages, "tools": [WEATHER_TOOL]}
    )
    choice = body.json()["choices"][0]
    assert choice["finish_reason"] == "stop"
    assert "21C and sunny" in choice["message"]["content"]


def test_tool_call_stream_deltas(client):
    plain = client.post("/chat/completions", json=chat(CLAUDE, tools=[WEATHER_TOOL])).json()
    expected = plain["choices"][0]["message"]["tool_calls"][0]
    events = sse_events(
        client.post("/chat/completions", json=chat(CLAUDE, tools=[WEATHER_TOOL], stream=True)).text
    )
    pieces = [d["tool_calls"][0] for d in deltas(events) if d.get("tool_calls")]
    assert pieces[0]["function"]["name"] == "get_weather"
    assert pieces[0]["id"].startswith("call_")  # ids hash the whole body, so differ from the plain call
    fragments = [p["function"]["arguments"] for p in pieces[1:]]
    assert len(fragments) >= 2
    assert all(fragments)
    assert "".join(fragments) == expected["function"]["arguments"]
    assert events[-3]["choices"][0]["finish_reason"] == "tool_calls"
    assert events[-1] == "[DONE]"


# ---------------------------------------------------------------------------------------- reasoning ---
def test_reasoning_model_returns_reasoning_content_and_tokens(client):
    body = client.post("/chat/completions", json=chat(KIMI)).json()
    message = body["choices"][0]["message"]
    assert message["reasoning_content"]
    assert "<think>" not in message["content"]
    details = body["usage"]["completion_tokens_details"]
    assert details["reasoning_tokens"] == len(message["reasoning_content"].split())
    assert body["usage"]["completion_tokens"] == 16 + details["reasoning_tokens"]

    events = sse_events(client.post("/chat/completions", json=chat(KIMI, stream=True)).text)
    parts = deltas(events)
    first_content = next(i for i, d in enumerate(parts) if d.get("content"))
    reasoning_at = [i for i, d in enumerate(parts) if "reasoning_content" in d]
    assert reasoning_at
    assert max(reasoning_at) < first_content
    assert "".join(parts[i]["reasoning_content"] for i in reasoning_at) == message["reasoning_content"]


def test_r1_reasons_inside_think_tags(client):
    message = client.post("/chat/completions", json=chat(R1)).json()["choices"][0]["message"]
    assert "reasoning_content" not in message
    assert message["content"].startswith("<think>")
    thought, _, answer = message["content"][len("<think>") :].partition("</think>")
    assert thought
    assert len(answer.split()) == 16


def test_minimax_reasons_only_when_thinking_is_enabled(client):
    plain = client.post("/chat/completions", json=chat(MINIMAX, reasoning_effort="high")).json()
    assert "reasoning_content" not in plain["choices"][0]["message"]
    thinking = client.post("/chat/completions", json=chat(MINIMAX, thinking={"type": "enabled"})).json()
    assert thinking["choices"][0]["message"]["reasoning_content"]


@pytest.mark.parametrize("model", ["openai/gpt-5.2", "openai/gpt-5.4"])
def test_gpt5_reasons_hidden_unless_effort_is_none(client, model):
    """GPT-5.x take ``reasoning_effort`` and keep their reasoning hidden on chat completions."""
    high = client.post("/chat/completions", json=chat(model, reasoning_effort="high")).json()
    assert "reasoning_content" not in high["choices"][0]["message"]
    assert high["usage"]["completion_tokens_details"]["reasoning_tokens"] > 0
    off = client.post("/chat/completions", json=chat(model, reasoning_effort="none")).json()
    assert "completion_tokens_details" not in off["usage"]


def test_hybrid_thinking_follows_the_chat_template_switch(client):
    on = client.post("/chat/completions", json=chat(KIMI)).json()
    assert on["choices"][0]["message"]["reasoning_content"]
    off = chat(KIMI, chat_template_kwargs={"enable_thinking": False})
    message = client.post("/chat/completions", json=off).json()["choices"][0]["message"]
    assert "reasoning_content" not in message


def test_claude_thinks_on_chat_completions_when_asked(client):
    plain = client.post("/chat/completions", json=chat(CLAUDE)).json()
    assert "reasoning_content" not in plain["choices"][0]["message"]
    thinking = {"type": "enabled", "budget_tokens": 2048}
    asked = client.post("/chat/completions", json=chat(CLAUDE, thinking=thinking)).json()
    assert asked["choices"][0]["message"]["reasoning_content"]


# ------------------------------------------------------------------------------------- JSON output ---
def test_json_object_and_json_schema_modes(client):
    obj = client.post("/chat/completions", json=chat(response_format={"type": "json_object"})).json()
    assert isinstance(json.loads(obj["choices"][0]["message"]["content"]), dict)
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "age": {"type": "integer"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "nick": {"type": "string"},
        },
        "required": ["name", "age", "tags"],
    }
    fmt = {"type": "json_schema", "json_schema": {"name": "person", "schema": schema}}
    body = client.post("/chat/completions", json=chat(response_format=fmt)).json()
    assert json.loads(body["choices"][0]["message"]["content"]) == {
        "name": "example",
        "age": 1,
        "tags": ["example"],
    }
    events = sse_events(client.post("/chat/completions", json=chat(response_format=fmt, stream=True)).text)
    streamed = "".join(d.get("content") or "" for d in deltas(events))
    assert streamed == body["choices"][0]["message"]["content"]


# -------------------------------------------------------------------------------------- validation ---
@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"top_k": 0}, "top_k"),
        ({"top_k": 129}, "top_k"),
        ({"stop": ["a", "b", "c", "d", "e"]}, "stop sequences"),
        ({"context_length_exceeded_behavior": "drop"}, "unknown variant `drop`"),
        ({"max_tokens": 0}, "Invalid max_tokens value, the valid range of max_tokens is [1, 65536]"),
        ({"max_tokens": 65537}, "Invalid max_tokens value, the valid range of max_tokens is [1, 65536]"),
    ],
)
def test_invalid_parameters_get_gmi_400_envelope(client, extra, reason):
    response = client.post("/chat/completions", json=chat(**extra))
    assert response.status_code == 400
    message = inner_message(response)
    assert message.startswith("The request is invalid: ")
    assert reason in message


def test_image_parts_only_for_vision_models(client):
    content = [
        {"type": "text", "text": "what is this?"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
    ]
    messages = [{"role": "user", "content": content}]
    refused = client.post("/chat/completions", json={"model": V32, "messages": messages})
    assert refused.status_code == 400
    assert "unknown variant `image_url`, expected `text`" in inner_message(refused)
    assert client.post("/chat/completions", json={"model": CLAUDE, "messages": messages}).status_code == 200


def test_context_overflow_errors_on_request_and_truncates_by_default(client):
    long_text = "word " * 400
    refused = client.post(
        "/chat/completions", json=chat(text=long_text, context_length_exceeded_behavior="error")
    )
    assert refused.status_code == 400
    message = inner_message(refused)
    assert message.startswith(
        f"This model's maximum context length is {V32_LIMIT} tokens. However, you requested "
    )
    assert message.endswith("Please reduce the length of the messages.")
    truncated = client.post("/chat/completions", json=chat(text=long_text))
    assert truncated.status_code == 200
    assert truncated.json()["usage"]["prompt_tokens"] == V32_LIMIT
    assert client.post(
        "/chat/completions", json=chat(text="short", context_length_exceeded_behavior="error")
    ).is_success


# ------------------------------------------------------------------------------------------- faults ---
def test_rate_limit_fault_sends_retry_after_and_is_used_up(emu, client):
    emu.inject(Fault("rate_limit", times=2))
    for _ in range(2):
        limited = client.post("/chat/completions", json=chat())
        assert limited.status_code == 429
        assert limited.headers["Retry-After"] == "1"
        assert inner_message(limited)
    assert client.post("/chat/completions", json=chat()).status_code == 200
    emu.inject(Fault("rate_limit", retry_after=7))
    assert client.post("/chat/completions", json=chat()).headers["Retry-After"] == "7"


def test_fault_for_one_model_leaves_others_alone(emu, client):
    emu.inject(Fault("server_error", model=KIMI))
    assert client.post("/chat/completions", json=chat(V32)).status_code == 200
    assert client.post("/chat/completions", json=chat(KIMI)).status_code == 500
    assert client.post("/chat/completions", json=chat(KIMI)).status_code == 200


def test_server_error_and_unavailable_faults(emu, client):
    emu.inject(Fault("server_error"))
    failed = client.post("/chat/completions", json=chat())
    assert failed.status_code == 500
    assert failed.json()["error"]["message"] == "Backend request failed with status 500"
    emu.inject(Fault("unavailable"))
    unavailable = client.post("/chat/completions", json=chat())
    assert unavailable.status_code == 503
    assert "Retry-After" not in unavailable.headers
    emu.inject(Fault("unavailable", retry_after=2.5))
    assert client.post("/chat/completions", json=chat()).headers["Retry-After"] == "2.5"


def test_clear_faults_disarms(emu, client):
    emu.inject(Fault("server_error", times=5))
    emu.clear_faults()
    assert client.post("/chat/completions", json=chat()).status_code == 200


def test_delay_fault_waits_then_answers(emu, client):
    emu.inject(Fault("delay", delay=0.3))
    started = time.monotonic()
    response = client.post("/chat/completions", json=chat())
    assert time.monotonic() - started >= 0.3
    assert response.status_code == 200


def test_drop_stream_cuts_the_connection_after_some_chunks(emu, client):
    emu.inject(Fault("drop_stream", after_chunks=2))
    lines: list[str] = []

    def read_stream() -> None:
        with client.stream("POST", "/chat/completions", json=chat(stream=True)) as response:
            assert response.status_code == 200
            lines.extend(response.iter_lines())

    with pytest.raises(httpx.RemoteProtocolError):
        read_stream()
    events = sse_events("\n".join(lines))
    assert len(events) == 3  # role chunk + 2 content chunks
    assert "[DONE]" not in events


def test_drop_stream_without_streaming_closes_without_a_response(emu, client):
    emu.inject(Fault("drop_stream"))
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/chat/completions", json=chat())
    assert client.post("/chat/completions", json=chat()).status_code == 200


def test_stream_error_sends_an_error_event_and_no_done(emu, client):
    emu.inject(Fault("stream_error", after_chunks=1))
    events = sse_events(client.post("/chat/completions", json=chat(stream=True)).text)
    assert len(events) == 3
    assert "[DONE]" not in events
    error = events[-1]["error"]
    assert error["message"] == "Backend request failed with status 500"
    assert json.loads(error["details"])["error"]["message"]


def test_malformed_fault_returns_truncated_json(emu, client):
    emu.inject(Fault("malformed"))
    response = client.post("/chat/completions", json=chat())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.text)


def test_header_fault_applies_to_one_request_without_using_armed_ones(emu, client):
    emu.inject(Fault("server_error"))
    headers = {"X-GMI-Emulator-Fault": "rate_limit;retry_after=3"}
    limited = client.post("/chat/completions", json=chat(), headers=headers)
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "3"
    assert emu.state.faults.pending() == 1
    headers = {"X-GMI-Emulator-Fault": "stream_error;after_chunks=0"}
    events = sse_events(client.post("/chat/completions", json=chat(stream=True), headers=headers).text)
    assert len(events) == 2
    assert "error" in events[-1]
    bad = client.post("/chat/completions", json=chat(), headers={"X-GMI-Emulator-Fault": "explode"})
    assert bad.status_code == 400


def test_fault_rejects_unknown_kind():
    with pytest.raises(ValueError, match="unknown fault kind"):
        Fault("explode")  # type: ignore[arg-type]


# ------------------------------------------------------------------------ determinism & recording ---
def test_same_body_same_bytes_different_body_different_id(client):
    body = chat(text="deterministic?", tools=[WEATHER_TOOL])
    first, second = (client.post("/chat/completions", json=body) for _ in range(2))
    assert first.content == second.content
    reordered = dict(reversed(list(body.items())))
    assert client.post("/chat/completions", json=reordered).content == first.content
    streamed = [client.post("/chat/completions", json=chat(stream=True)).content for _ in range(2)]
    assert streamed[0] == streamed[1]
    other = client.post("/chat/completions", json=chat(text="something else")).json()
    assert other["id"] != client.post("/chat/completions", json=chat()).json()["id"]


def test_requests_are_recorded_in_order(emu, client):
    client.get("/models", headers={"X-Organization-ID": "org-1"})
    client.post("/chat/completions?trace=1", json=chat(reasoning_effort="low"))
    first, second = emu.requests
    assert (first.method, first.path, first.json) == ("GET", "/v1/models", None)
    assert first.headers["x-organization-id"] == "org-1"
    assert first.headers["X-Organization-ID"] == "org-1"
    assert second.method == "POST"
    assert second.path == "/v1/chat/completions"
    assert second.query == "trace=1"
    assert second.json["reasoning_effort"] == "low"
    assert "authorization" in second.headers
    assert emu.requests.snapshot() == [first, second]


def test_500_concurrent_streams(emu):
    """The benchmarks' load. aiohttp as the client: httpx's pool alone takes seconds at 500 connections."""

    async def run() -> list[int]:
        connector = aiohttp.TCPConnector(limit=600)
        async with aiohttp.ClientSession(connector=connector, headers=AUTH) as session:

            async def one(i: int) -> int:
                body = chat(text=str(i), stream=True)
                async with session.post(emu.chat_base + "/chat/completions", json=body) as response:
                    text = await response.text()
                    assert text.endswith("data: [DONE]\n\n")
                    return response.status

            return await asyncio.gather(*(one(i) for i in range(500)))

    # A hang guard, not a measurement: the benchmarks time this load.
    assert asyncio.run(asyncio.wait_for(run(), 120)) == [200] * 500


# -------------------------------------------------------------------------------------- lifecycle ---
def test_lifecycle_latency_and_idempotent_stop():
    emulator = GMIEmulator(latency=0.2)
    with pytest.raises(RuntimeError):
        _ = emulator.base_url
    emulator.start()
    emulator.start()  # no-op
    try:
        assert emulator.queue_base == emulator.base_url + "/api/v1/ie/requestqueue/apikey"
        started = time.monotonic()
        assert httpx.get(emulator.chat_base + "/models", headers=AUTH).status_code == 200
        assert time.monotonic() - started >= 0.2
    finally:
        emulator.stop()
        emulator.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(emulator.chat_base + "/models", headers=AUTH)


async def test_starts_from_inside_a_running_event_loop():
    with GMIEmulator() as emulator:
        async with httpx.AsyncClient(headers=AUTH) as http:
            response = await http.post(emulator.chat_base + "/chat/completions", json=chat(UNCATALOGUED))
    assert response.status_code == 200


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_module_entry_point_serves_and_prints_the_export_line():
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module, fixed arguments
        [sys.executable, "-m", "gmi_emulator", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/v1/models", headers=AUTH, timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, "the emulator process exited early"
                assert time.monotonic() < deadline, "the emulator never started listening"
                time.sleep(0.2)
        assert response.status_code == 200
        assert UNCATALOGUED in {e["id"] for e in response.json()["data"]}
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
    base = f"http://127.0.0.1:{port}"
    assert (
        f"export GMI_API_BASE={base}/v1 GMI_QUEUE_API_BASE={base}/api/v1/ie/requestqueue/apikey "
        "GMI_API_KEY=sk-emulator"
    ) in output


# ------------------------------------------------------------------------ documented model quirks ---
GEMINI_PRO = "google/gemini-3.1-pro-preview"


def test_hidden_reasoning_counts_and_can_eat_the_whole_budget(client):
    """Gemini 3.1 Pro thinks without showing it; a small max_tokens leaves content empty (a comment in
    GMISWE/picture_compose)."""
    body = client.post("/chat/completions", json=chat(GEMINI_PRO)).json()
    message = body["choices"][0]["message"]
    assert "reasoning_content" not in message
    assert len(message["content"].split()) == 16
    hidden = body["usage"]["completion_tokens_details"]["reasoning_tokens"]
    assert hidden > 0
    starved = client.post("/chat/completions", json=chat(GEMINI_PRO, max_tokens=hidden)).json()
    assert starved["choices"][0]["message"]["content"] == ""
    assert starved["choices"][0]["finish_reason"] == "length"
    assert starved["usage"]["completion_tokens"] == hidden


def test_thinking_rejects_a_forced_tool_choice(client):
    forced = {"type": "function", "function": {"name": "get_weather"}}
    refused = client.post("/chat/completions", json=chat(KIMI, tools=[WEATHER_TOOL], tool_choice=forced))
    assert refused.status_code == 400
    assert "Thinking mode does not support this tool_choice" in inner_message(refused)
    assert client.post("/chat/completions", json=chat(KIMI, tools=[WEATHER_TOOL])).status_code == 200
    plain_model = chat(V32, tools=[WEATHER_TOOL], tool_choice=forced)
    assert client.post("/chat/completions", json=plain_model).is_success


def test_embedding_models_do_not_chat_and_undeployed_ids_404(client):
    refused = client.post("/chat/completions", json=chat("BAAI/bge-m3"))
    assert refused.status_code == 400
    assert "does not support Chat Completions API" in inner_message(refused)
    gone = client.post("/chat/completions", json=chat("nvidia/nemotron-3-nano-omni"))  # a docs page, 404 live
    assert (gone.status_code, gone.headers["content-type"].split(";")[0]) == (404, "text/plain")


def test_max_completion_tokens_is_read_when_max_tokens_is_absent(client):
    body = client.post("/chat/completions", json=chat(max_completion_tokens=3)).json()
    assert body["usage"]["completion_tokens"] == 3
    assert body["choices"][0]["finish_reason"] == "length"


def test_string_prices_come_in_both_units_nobody_has_published(client):
    """Per 1M tokens ("0.29") on most entries, per token ("0.00000029") where pi-gmicloud reads them so."""
    prices = [
        float(e["pricing"]["prompt"])
        for e in client.get("/models").json()["data"]
        if isinstance((e.get("pricing") or {}).get("prompt"), str) and float(e["pricing"]["prompt"]) > 0
    ]
    assert any(p >= 0.001 for p in prices)
    assert any(p < 0.001 for p in prices)
