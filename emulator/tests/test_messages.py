"""``POST /v1/messages``: Anthropic's Messages API for Claude and MiniMax, over raw HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from gmi_emulator import Fault, GMIEmulator

from .helpers import named_events

CLAUDE = "anthropic/claude-sonnet-4.6"
TEXT_ONLY_CLAUDE = "anthropic/claude-opus-4.6"
MINIMAX = "MiniMaxAI/MiniMax-M2.7"
THINKING = {"type": "enabled", "budget_tokens": 2048}
WEATHER = {
    "name": "get_weather",
    "description": "Weather for a city",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"enum": ["c", "f"]}},
        "required": ["city", "unit"],
    },
}


@pytest.fixture
def http(emu: GMIEmulator) -> Iterator[httpx.Client]:
    headers = {"x-api-key": "sk-emulator-test", "anthropic-version": "2023-06-01"}
    with httpx.Client(base_url=emu.chat_base, headers=headers, timeout=10) as client:
        yield client


def ask(model: str = CLAUDE, text: str = "hello", **extra: Any) -> dict[str, Any]:
    return {"model": model, "max_tokens": 4096, "messages": [{"role": "user", "content": text}], **extra}


def error_of(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert body["type"] == "error"
    return dict(body["error"])


def test_plain_message_shape_and_usage(http):
    body = http.post("/messages", json=ask()).json()
    assert body["type"] == "message"
    assert body["role"] == "assistant"
    assert body["id"].startswith("msg_")
    assert body["model"] == CLAUDE
    ((block),) = body["content"]
    assert block["type"] == "text"
    assert len(block["text"].split()) == 16
    assert (body["stop_reason"], body["stop_sequence"]) == ("end_turn", None)
    usage = body["usage"]
    assert set(usage) == {
        "input_tokens",
        "output_tokens",
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
    }
    assert usage["output_tokens"] == 16
    assert usage["input_tokens"] > 0


@pytest.mark.parametrize(
    "headers", [{"x-api-key": "sk-ok"}, {"Authorization": "Bearer sk-ok"}, {}, {"x-api-key": "sk-invalid"}]
)
def test_auth_takes_x_api_key_or_bearer(emu, headers):
    response = httpx.post(emu.chat_base + "/messages", json=ask(), headers=headers)
    if headers and "invalid" not in str(headers):
        assert response.status_code == 200
    else:
        assert response.status_code == 401
        assert error_of(response)["type"] == "authentication_error"
        assert "sk-" not in response.text


def test_thinking_block_with_signature_comes_before_the_text(http):
    body = http.post("/messages", json=ask(MINIMAX, thinking=THINKING)).json()
    thinking, text = body["content"]
    assert thinking["type"] == "thinking"
    assert thinking["thinking"]
    assert thinking["signature"]
    assert text["type"] == "text"
    assert body["usage"]["output_tokens"] == 16 + len(thinking["thinking"].split())
    plain = http.post("/messages", json=ask(MINIMAX)).json()
    assert [b["type"] for b in plain["content"]] == ["text"]


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"thinking": {"type": "enabled", "budget_tokens": 512}}, "greater than or equal to 1024"),
        (
            {"thinking": {"type": "enabled", "budget_tokens": 4096}},
            "must be greater than `thinking.budget_tokens`",
        ),
        ({"thinking": THINKING, "tools": [WEATHER], "tool_choice": {"type": "any"}}, "forces tool use"),
        ({"max_tokens": 70_000}, "maximum allowed number of output tokens"),
        ({"max_tokens": None}, "max_tokens"),
        ({"tool_choice": {"type": "sometimes"}}, "tool_choice"),
        ({"output_format": {"type": "yaml"}}, "output_format"),
    ],
)
def test_invalid_requests_are_anthropic_400s(http, extra, reason):
    response = http.post("/messages", json=ask() | extra)
    assert response.status_code == 400
    error = error_of(response)
    assert error["type"] == "invalid_request_error"
    assert reason in error["message"]


def test_tools_produce_tool_use_blocks_then_the_result_turn_answers_in_text(http):
    first = http.post("/messages", json=ask(tools=[WEATHER])).json()
    assert first["stop_reason"] == "tool_use"
    ((call),) = first["content"]
    assert call["type"] == "tool_use"
    assert call["id"].startswith("toolu_")
    assert call["input"] == {"city": "example", "unit": "c"}
    result = {"type": "tool_result", "tool_use_id": call["id"], "content": "21C and sunny"}
    messages = [
        {"role": "user", "content": "weather?"},
        {"role": "assistant", "content": first["content"]},
        {"role": "user", "content": [result]},
    ]
    second = http.post("/messages", json=ask(tools=[WEATHER]) | {"messages": messages}).json()
    assert second["stop_reason"] == "end_turn"
    assert "21C and sunny" in second["content"][0]["text"]
    forced = http.post(
        "/messages", json=ask(tools=[WEATHER], tool_choice={"type": "tool", "name": "get_weather"})
    )
    assert forced.json()["content"][0]["name"] == "get_weather"


def test_thinking_with_tools_needs_the_signed_thinking_block_back(http):
    first = http.post("/messages", json=ask(tools=[WEATHER], thinking=THINKING)).json()
    assert [b["type"] for b in first["content"]] == ["thinking", "tool_use"]
    result = {"type": "tool_result", "tool_use_id": first["content"][1]["id"], "content": "sunny"}

    def follow_up(assistant_content: list[Any]) -> httpx.Response:
        messages = [
            {"role": "user", "content": "weather?"},
            {"role": "assistant", "content": assistant_content},
            {"role": "user", "content": [result]},
        ]
        return http.post("/messages", json=ask(tools=[WEATHER], thinking=THINKING) | {"messages": messages})

    assert follow_up(first["content"]).status_code == 200
    dropped = follow_up(first["content"][1:])
    assert dropped.status_code == 400
    assert "must start with a thinking block" in error_of(dropped)["message"]
    tampered = [first["content"][0] | {"thinking": "edited"}, first["content"][1]]
    assert "Invalid `signature`" in error_of(follow_up(tampered))["message"]


def test_cache_control_writes_then_reads_the_prefix(http):
    system = [{"type": "text", "text": "You are terse. " * 400, "cache_control": {"type": "ephemeral"}}]
    first = http.post("/messages", json=ask(system=system, text="one")).json()["usage"]
    second = http.post("/messages", json=ask(system=system, text="two")).json()["usage"]
    assert first["cache_creation_input_tokens"] > 1024
    assert first["cache_read_input_tokens"] == 0
    assert second["cache_read_input_tokens"] == first["cache_creation_input_tokens"]
    assert second["cache_creation_input_tokens"] == 0
    assert second["input_tokens"] < 100
    short = [{"type": "text", "text": "short", "cache_control": {"type": "ephemeral"}}]
    tiny = http.post("/messages", json=ask(system=short)).json()["usage"]
    assert tiny["cache_creation_input_tokens"] == tiny["cache_read_input_tokens"] == 0  # under 1,024 tokens


def test_stop_sequences_and_output_format(http):
    words = http.post("/messages", json=ask()).json()["content"][0]["text"].split()
    cut = http.post("/messages", json=ask(stop_sequences=[" " + words[2]])).json()
    assert cut["content"][0]["text"] == " ".join(words[:2])
    assert (cut["stop_reason"], cut["stop_sequence"]) == ("stop_sequence", " " + words[2])
    schema = {"type": "object", "properties": {"n": {"type": "integer", "minimum": 5}}, "required": ["n"]}
    structured = http.post(
        "/messages", json=ask(output_format={"type": "json_schema", "schema": schema})
    ).json()
    assert json.loads(structured["content"][0]["text"]) == {"n": 5}


def test_stream_events_rebuild_the_plain_message(http):
    body = ask(tools=[WEATHER], thinking=THINKING)
    plain = http.post("/messages", json=body).json()
    events = named_events(http.post("/messages", json=body | {"stream": True}).text)
    names = [name for name, _ in events]
    assert names[:2] == ["message_start", "ping"]
    assert names[-2:] == ["message_delta", "message_stop"]
    assert all(data["type"] == name for name, data in events)
    start = events[0][1]["message"]
    assert (start["content"], start["stop_reason"]) == ([], None)
    assert start["id"].startswith("msg_")  # ids hash the whole body, so differ from the plain call
    assert start["usage"]["input_tokens"] == plain["usage"]["input_tokens"]
    blocks: dict[int, dict[str, Any]] = {}
    partial: dict[int, str] = {}
    for name, data in events:
        if name == "content_block_start":
            blocks[data["index"]] = dict(data["content_block"])
        elif name == "content_block_delta":
            block, delta = blocks[data["index"]], data["delta"]
            if delta["type"] == "thinking_delta":
                block["thinking"] += delta["thinking"]
            elif delta["type"] == "signature_delta":
                block["signature"] += delta["signature"]
            elif delta["type"] == "text_delta":
                block["text"] += delta["text"]
            else:
                assert delta["type"] == "input_json_delta"
                partial[data["index"]] = partial.get(data["index"], "") + delta["partial_json"]
    for index, text in partial.items():
        blocks[index]["input"] = json.loads(text)

    def without_ids(content: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in b.items() if k != "id"} for b in content]

    assert without_ids([blocks[i] for i in sorted(blocks)]) == without_ids(plain["content"])
    final = events[-2][1]
    assert final["delta"] == {"stop_reason": "tool_use", "stop_sequence": None}
    assert final["usage"]["output_tokens"] == plain["usage"]["output_tokens"]


def test_models_not_served_here(http):
    unknown = http.post("/messages", json=ask("anthropic/claude-nope"))
    assert (unknown.status_code, unknown.text) == (
        404,
        "No matching target server found for model anthropic/claude-nope",
    )
    other = http.post("/messages", json=ask("deepseek-ai/DeepSeek-V3.2"))
    assert other.status_code == 400
    assert error_of(other)["type"] == "invalid_request_error"
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}
    blind = http.post(
        "/messages", json=ask(TEXT_ONLY_CLAUDE) | {"messages": [{"role": "user", "content": [image]}]}
    )
    assert blind.status_code == 400
    assert (
        http.post("/messages", json=ask() | {"messages": [{"role": "user", "content": [image]}]}).status_code
        == 200
    )


def test_faults_use_anthropics_error_shape(emu, http):
    emu.inject(Fault("rate_limit", model=CLAUDE, retry_after=3))
    limited = http.post("/messages", json=ask())
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "3")
    assert error_of(limited)["type"] == "rate_limit_error"
    emu.inject(Fault("stream_error", after_chunks=1))
    events = named_events(http.post("/messages", json=ask(stream=True)).text)
    assert [name for name, _ in events][-1] == "error"
    assert events[-1][1]["error"]["type"] == "api_error"
    assert "message_stop" not in [name for name, _ in events]


def test_request_bodies_are_logged(emu, http):
    http.post("/messages", json=ask(metadata={"user_id": "u-1"}))
    (logged,) = emu.requests
    assert logged.path == "/v1/messages"
    assert logged.json["metadata"] == {"user_id": "u-1"}
    assert json.loads(logged.body) == logged.json
    assert logged.headers["x-api-key"] == "sk-emulator-test"
