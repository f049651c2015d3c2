"""``POST /v1/responses``: OpenAI's Responses API for GPT-5 models, through the OpenAI SDK."""

from __future__ import annotations

import json
from typing import Any

import httpx
import openai
import pytest

from gmi_emulator import Fault, GMIEmulator

from .helpers import named_events

GPT = "openai/gpt-5.2"
WEATHER = {
    "type": "function",
    "name": "get_weather",
    "description": "Weather for a city",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}, "days": {"type": "integer", "minimum": 1, "maximum": 7}},
        "required": ["city", "days"],
        "additionalProperties": False,
    },
    "strict": True,
}


@pytest.fixture
def sdk(emu: GMIEmulator) -> openai.OpenAI:
    return openai.OpenAI(base_url=emu.chat_base, api_key="sk-emulator-test", max_retries=0)


def test_text_answer_usage_and_echoed_settings(sdk):
    response = sdk.responses.create(model=GPT, input="hello", instructions="Be brief.", temperature=0.2)
    assert response.id.startswith("resp_")
    assert response.object == "response"
    assert response.status == "completed"
    assert len(response.output_text.split()) == 16
    assert [item.type for item in response.output] == ["message"]
    assert (response.instructions, response.temperature, response.model) == ("Be brief.", 0.2, GPT)
    usage = response.usage
    assert usage.output_tokens == 16
    assert usage.output_tokens_details.reasoning_tokens == 0
    assert usage.total_tokens == usage.input_tokens + usage.output_tokens


def test_reasoning_item_with_summary_and_reasoning_tokens(sdk):
    response = sdk.responses.create(model=GPT, input="why?", reasoning={"effort": "high", "summary": "auto"})
    reasoning, message = response.output
    assert reasoning.type == "reasoning"
    assert reasoning.id.startswith("rs_")
    ((summary),) = reasoning.summary
    assert summary.type == "summary_text"
    assert summary.text
    tokens = response.usage.output_tokens_details.reasoning_tokens
    assert tokens == len(summary.text.split())
    assert response.usage.output_tokens == 16 + tokens
    assert message.type == "message"
    quiet = sdk.responses.create(model=GPT, input="why?", reasoning={"effort": "low"})
    assert quiet.output[0].type == "reasoning"
    assert quiet.output[0].summary == []
    assert (
        sdk.responses.create(model=GPT, input="why?", reasoning={"effort": "none"}).output[0].type
        == "message"
    )


def test_function_call_then_its_output_through_previous_response_id(sdk):
    first = sdk.responses.create(model=GPT, input="weather in Paris?", tools=[WEATHER])
    ((call),) = first.output
    assert call.type == "function_call"
    assert call.call_id.startswith("call_")
    assert json.loads(call.arguments) == {"city": "example", "days": 1}
    second = sdk.responses.create(
        model=GPT,
        previous_response_id=first.id,
        input=[{"type": "function_call_output", "call_id": call.call_id, "output": "21C and sunny"}],
        tools=[WEATHER],
    )
    assert "21C and sunny" in second.output_text
    assert second.previous_response_id == first.id
    assert second.usage.input_tokens > first.usage.input_tokens  # the earlier turn is part of the prompt
    forced = sdk.responses.create(
        model=GPT, input="x", tools=[WEATHER], tool_choice={"type": "function", "name": "get_weather"}
    )
    assert forced.output[0].name == "get_weather"
    assert sdk.responses.retrieve(first.id).output[0].call_id == call.call_id


def test_structured_output_follows_the_schema(sdk):
    schema = {
        "type": "object",
        "properties": {"title": {"type": "string"}, "tags": {"type": "array", "items": {"enum": ["a", "b"]}}},
        "required": ["title", "tags"],
        "additionalProperties": False,
    }
    response = sdk.responses.create(
        model=GPT, input="x", text={"format": {"type": "json_schema", "name": "doc", "schema": schema}}
    )
    assert json.loads(response.output_text) == {"title": "example", "tags": ["a"]}


@pytest.mark.parametrize(
    ("extra", "param", "code"),
    [
        ({"max_output_tokens": 8}, "max_output_tokens", "integer_below_min_value"),
        ({"previous_response_id": "resp_missing"}, "previous_response_id", "previous_response_not_found"),
        (
            {"text": {"format": {"type": "json_schema", "schema": {}}}},
            "text.format.name",
            "missing_required_parameter",
        ),
        ({"reasoning": {"effort": "extreme"}}, "reasoning.effort", None),
        ({"input": [{"type": "function_call_output", "call_id": "call_x", "output": "1"}]}, "input", None),
    ],
)
def test_invalid_requests_are_openai_400s(emu, extra, param, code):
    body = {"model": GPT, "input": "hi"} | extra
    response = httpx.post(emu.chat_base + "/responses", json=body, headers={"Authorization": "Bearer sk-ok"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["type"], error["param"], error["code"]) == ("invalid_request_error", param, code)
    assert error["message"]


def test_sdk_raises_typed_errors(sdk, emu):
    with pytest.raises(openai.BadRequestError):
        sdk.responses.create(model="deepseek-ai/DeepSeek-V3.2", input="x")
    with pytest.raises(openai.NotFoundError):
        sdk.responses.create(model="openai/gpt-nope", input="x")
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=emu.chat_base, api_key="sk-invalid", max_retries=0).responses.create(
            model=GPT, input="x"
        )
    emu.inject(Fault("rate_limit", model=GPT))
    with pytest.raises(openai.RateLimitError):
        sdk.responses.create(model=GPT, input="x")


def test_small_budget_leaves_the_answer_incomplete(sdk):
    response = sdk.responses.create(model=GPT, input="x", max_output_tokens=16, reasoning={"effort": "low"})
    assert response.status == "incomplete"
    assert response.incomplete_details.reason == "max_output_tokens"
    assert response.usage.output_tokens == 16


def test_store_false_is_not_kept(sdk):
    kept = sdk.responses.create(model=GPT, input="x", store=False)
    with pytest.raises(openai.BadRequestError):
        sdk.responses.create(model=GPT, input="y", previous_response_id=kept.id)


def test_stream_through_the_sdk_matches_the_plain_response(sdk):
    kwargs: dict[str, Any] = {
        "model": GPT,
        "input": "hello",
        "reasoning": {"effort": "low", "summary": "auto"},
        "tools": [WEATHER],
    }
    plain = sdk.responses.create(**kwargs)
    with sdk.responses.stream(**kwargs) as stream:
        kinds = [event.type for event in stream]
        final = stream.get_final_response()
    assert kinds[:2] == ["response.created", "response.in_progress"]
    assert kinds[-1] == "response.completed"
    assert "response.reasoning_summary_text.delta" in kinds
    assert "response.function_call_arguments.delta" in kinds
    assert [item.type for item in final.output] == [item.type for item in plain.output]
    assert final.output[0].summary[0].text == plain.output[0].summary[0].text
    assert final.output[1].arguments == plain.output[1].arguments
    assert final.usage == plain.usage


def test_raw_text_stream_events(emu):
    response = httpx.post(
        emu.chat_base + "/responses",
        json={"model": GPT, "input": "hello", "stream": True},
        headers={"Authorization": "Bearer sk-ok"},
    )
    events = named_events(response.text)
    assert [data["sequence_number"] for _, data in events] == list(range(len(events)))
    names = [name for name, _ in events]
    assert names == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
        *["response.output_text.delta"] * 16,
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    text = "".join(data["delta"] for name, data in events if name == "response.output_text.delta")
    assert events[-1][1]["response"]["output"][0]["content"][0]["text"] == text
