"""GMI's SSE chunks: errors raised, ``<think>`` split, usage kept, and generic chunks for old LiteLLM."""

from __future__ import annotations

import json
from typing import Any

import pytest
from litellm.types.utils import ModelResponseStream

from litellm_gmi.chat.streaming import (
    GenericChunks,
    GMIStreamIterator,
    UsageBeforeFinish,
    ashape,
    shape,
    shaper_for_litellm,
)
from litellm_gmi.compat import STREAM_PASSTHROUGH
from litellm_gmi.errors import GMIError


def chunk(delta: dict[str, Any] | None = None, finish: str | None = None, **extra: Any) -> dict[str, Any]:
    choices = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}]
    return {
        "id": "c1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "m",
        "choices": choices,
        **extra,
    }


USAGE = {
    "prompt_tokens": 3,
    "completion_tokens": 4,
    "total_tokens": 7,
    "completion_tokens_details": {"reasoning_tokens": 2},
}


def parse(*chunks: dict[str, Any]) -> list[ModelResponseStream]:
    iterator = GMIStreamIterator(iter([]), sync_stream=True)
    return [iterator.chunk_parser(c) for c in chunks]


def test_usage_only_chunk_keeps_gmis_usage() -> None:
    (parsed,) = parse(chunk(None, usage=USAGE))
    assert parsed.usage.completion_tokens == 4
    assert parsed.usage.completion_tokens_details.reasoning_tokens == 2


def test_think_tags_split_across_chunks() -> None:
    parsed = parse(
        chunk({"role": "assistant", "content": "<thi"}),
        chunk({"content": "nk>hmm</think>Hi"}),
        chunk({"content": "!"}, finish="stop"),
    )
    reasoning = "".join(getattr(p.choices[0].delta, "reasoning_content", None) or "" for p in parsed)
    content = "".join(p.choices[0].delta.content or "" for p in parsed)
    assert (reasoning, content) == ("hmm", "Hi!")


def test_error_event_is_raised_with_gmis_reason() -> None:
    event = {
        "error": {
            "message": "Backend request failed",
            "details": json.dumps({"error": {"message": "engine died"}}),
            "code": 503,
        }
    }
    with pytest.raises(GMIError, match="engine died") as info:
        parse(event)
    assert info.value.status_code == 503


def test_generic_chunks_hold_the_finish_until_the_usage_arrives() -> None:
    parsed = parse(
        chunk({"role": "assistant", "reasoning_content": "r"}),
        chunk({"content": "Hi"}),
        chunk(
            {
                "tool_calls": [
                    {
                        "index": 0,
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "f", "arguments": "{}"},
                    }
                ]
            }
        ),
        chunk({}, finish="tool_calls"),
        chunk(None, usage=USAGE),
    )
    generic = list(shape(iter([*parsed, {"text": ""}]), GenericChunks()))
    assert [g["is_finished"] for g in generic] == [False, False, False, True]
    assert generic[0]["provider_specific_fields"] == {"reasoning_content": "r"}
    assert generic[1]["text"] == "Hi"
    assert generic[2]["tool_use"]["function"] == {"name": "f", "arguments": "{}"}
    assert generic[-1]["finish_reason"] == "tool_calls"
    assert generic[-1]["usage"]["completion_tokens"] == 4


async def test_async_generic_chunks_match_the_sync_ones() -> None:
    parsed = parse(chunk({"content": "a"}), chunk({}, finish="stop"), chunk(None, usage=USAGE))

    async def source() -> Any:
        for item in parsed:
            yield item

    generic = [g async for g in ashape(source(), GenericChunks())]
    assert generic == list(shape(iter(parsed), GenericChunks()))


def test_usage_is_handed_over_before_the_finish_it_follows() -> None:
    parsed = parse(
        chunk({"role": "assistant", "content": "Hi"}),
        chunk({}, finish="stop"),
        chunk(None, usage=USAGE),
    )
    shaped = list(shape(iter([*parsed, {"text": ""}]), UsageBeforeFinish()))
    assert [c.choices[0].delta.content if c.choices else "usage" for c in shaped] == ["Hi", "usage", None]
    assert shaped[-1].choices[0].finish_reason == "stop"


def test_a_finish_with_no_usage_after_it_is_still_sent() -> None:
    parsed = parse(chunk({"content": "a"}), chunk({}, finish="length"))
    shaped = list(shape(iter(parsed), UsageBeforeFinish()))
    assert shaped[-1].choices[0].finish_reason == "length"


def test_deltas_emptied_by_the_think_splitter_are_dropped() -> None:
    parsed = parse(chunk({"content": "<thi"}), chunk({"content": "nk>x</think>y"}))
    shaped = list(shape(iter(parsed), UsageBeforeFinish()))
    assert len(shaped) == 1


def test_the_shaper_matches_the_installed_litellm() -> None:
    expected = UsageBeforeFinish if STREAM_PASSTHROUGH else GenericChunks
    assert isinstance(shaper_for_litellm(), expected)
