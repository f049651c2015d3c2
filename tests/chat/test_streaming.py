"""GMI's SSE chunks: errors raised, ``<think>`` split, usage kept, and generic chunks for old LiteLLM."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import litellm
import pytest
from conftest import TEST_API_KEY
from litellm.types.utils import ModelResponseStream

from litellm_gmi.chat.streaming import (
    GenericChunks,
    GMIStreamIterator,
    UsageBeforeFinish,
    ashape,
    shape,
    shaper_for_litellm,
)
from litellm_gmi.errors import GMIError
from litellm_gmi.litellm_seams.version import STREAM_PASSTHROUGH

from fault_server import FaultServer, Reply, chat_answer, good_stream, never_closing_json
from fault_server import chunk as fs_chunk


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


def test_a_reasoning_delta_is_read_as_reasoning_content() -> None:
    """GMI documents ``reasoning_content``; newer vLLM servers name it ``reasoning``. LiteLLM 1.106.2's
    ``Delta`` renames it, 1.81.1's does not (this test failed there). Both reach the caller as
    ``reasoning_content``."""
    parsed = parse(
        chunk({"role": "assistant", "reasoning": "hm"}),
        chunk({"reasoning_content": "m."}),
        chunk({"content": "Hi"}, finish="stop"),
    )
    reasoning = "".join(getattr(p.choices[0].delta, "reasoning_content", None) or "" for p in parsed)
    assert reasoning == "hmm."
    assert parsed[2].choices[0].delta.content == "Hi"


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


# ----------------------------------------- against the independent fault server (issue 14, items 6, 11) ---
MODEL = "gmi/deepseek-ai/DeepSeek-V3.2"
MESSAGES = [{"role": "user", "content": "What is the capital of France?"}]
STREAM_FAILURES = (litellm.APIConnectionError, litellm.ServiceUnavailableError, litellm.InternalServerError)
"""1.106.2 wraps whatever a stream raises part-way in ``MidStreamFallbackError`` (a
``ServiceUnavailableError``) carrying our error's text; 1.81.1 raises ours as it is."""


def _sync_text(**kwargs: Any) -> str:
    stream = litellm.completion(model=MODEL, messages=MESSAGES, stream=True, num_retries=0, **kwargs)
    return "".join(c.choices[0].delta.content or "" for c in stream if c.choices)


async def _async_text(**kwargs: Any) -> str:
    stream = await litellm.acompletion(model=MODEL, messages=MESSAGES, stream=True, num_retries=0, **kwargs)
    return "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])


INCOMPLETE = {
    "event: error": (
        Reply(
            kind="sse", events=[fs_chunk("Par"), "event: error", {"message": "engine overloaded"}], done=False
        ),
        "engine overloaded",
    ),
    "0-byte 200": (Reply(kind="sse", events=[], done=False), "without a finish_reason"),
    "no finish, no [DONE]": (
        Reply(kind="sse", events=[fs_chunk("Par")], done=False),
        "without a finish_reason",
    ),
}


@pytest.mark.parametrize(("reply", "reason"), INCOMPLETE.values(), ids=INCOMPLETE.keys())
def test_a_stream_that_does_not_finish_raises(fault_gmi: FaultServer, reply: Reply, reason: str) -> None:
    fault_gmi.script(reply)
    with pytest.raises(STREAM_FAILURES, match=reason):
        _sync_text()


@pytest.mark.parametrize(("reply", "reason"), INCOMPLETE.values(), ids=INCOMPLETE.keys())
async def test_an_async_stream_that_does_not_finish_raises(
    fault_gmi: FaultServer, reply: Reply, reason: str
) -> None:
    fault_gmi.script(reply)
    with pytest.raises(STREAM_FAILURES, match=reason):
        await _async_text()


def test_a_finish_without_done_is_complete(fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(kind="sse", events=good_stream("Par", "is."), done=False))
    assert _sync_text() == "Paris."


def test_a_chunk_whose_text_says_done_is_kept(fault_gmi: FaultServer) -> None:
    """LiteLLM's iterator ends a stream at any line containing ``[DONE]``, its text included; a model
    explaining SSE would lose that chunk. Each line is parsed once, and only the marker ends it."""
    fault_gmi.script(Reply(kind="sse", events=good_stream("A stream ends with ", "data: [DONE]", ".")))
    assert _sync_text() == "A stream ends with data: [DONE]."


@pytest.mark.parametrize("done", ["data: [DONE]", "data:[DONE]"])
def test_done_ends_a_stream_that_sent_no_finish_reason(fault_gmi: FaultServer, done: str) -> None:
    fault_gmi.script(Reply(kind="sse", events=[fs_chunk("Par"), fs_chunk("is"), done], done=False))
    assert _sync_text() == "Paris"


def test_chunks_without_id_or_model_share_one_id_and_name_the_model(fault_gmi: FaultServer) -> None:
    """GMI's docs show both on every chunk; a server that omits them gave chunks ``model=None`` (LiteLLM's
    built-in row names the model) and a new id each. LiteLLM before 1.89 takes only generic chunks from
    a custom provider, which carry no id, and gives every chunk its own, GMI's ids included."""
    bare = [
        {"choices": [{"index": 0, "delta": {"role": "assistant", "content": "Par"}}]},
        {"choices": [{"index": 0, "delta": {"content": "is"}}]},
        {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
    ]
    fault_gmi.script(Reply(kind="sse", events=bare))
    chunks = list(litellm.completion(model=MODEL, messages=MESSAGES, stream=True, num_retries=0))
    assert {c.model for c in chunks} == {MODEL.removeprefix("gmi/")}
    assert len({c.id for c in chunks}) == (1 if STREAM_PASSTHROUGH else len(chunks))


GMI_USAGE = {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11}
USAGE_LAYOUTS = {
    "in the finish chunk": [fs_chunk("Par"), fs_chunk("is", finish="stop", usage=GMI_USAGE)],
    "in a bare finish chunk": [fs_chunk("Par"), fs_chunk("is"), fs_chunk(finish="stop", usage=GMI_USAGE)],
    "in the only chunk": [fs_chunk("Paris", finish="stop", usage=GMI_USAGE)],
}


@pytest.mark.parametrize("events", USAGE_LAYOUTS.values(), ids=USAGE_LAYOUTS.keys())
def test_usage_sent_with_the_finish_is_gmis(fault_gmi: FaultServer, events: list[Any]) -> None:
    """GMI sends usage in a chunk of its own after the finish; a server may send it in the finish chunk
    (vLLM does, with continuous usage stats). Either way the caller and the cost are GMI's figures, not
    LiteLLM's local count."""
    fault_gmi.script(Reply(kind="sse", events=events))
    stream = litellm.completion(
        model=MODEL, messages=MESSAGES, stream=True, stream_options={"include_usage": True}, num_retries=0
    )
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Paris"
    usage = [c.usage for c in chunks if getattr(c, "usage", None) is not None]
    assert usage
    assert usage[-1].total_tokens == 11
    assert litellm.stream_chunk_builder(chunks).usage.total_tokens == 11


@pytest.mark.parametrize("events", USAGE_LAYOUTS.values(), ids=USAGE_LAYOUTS.keys())
async def test_async_usage_sent_with_the_finish_is_gmis(fault_gmi: FaultServer, events: list[Any]) -> None:
    fault_gmi.script(Reply(kind="sse", events=events))
    stream = await litellm.acompletion(
        model=MODEL, messages=MESSAGES, stream=True, stream_options={"include_usage": True}, num_retries=0
    )
    chunks = [c async for c in stream]
    usage = [c.usage for c in chunks if getattr(c, "usage", None) is not None]
    assert usage
    assert usage[-1].total_tokens == 11


def test_a_json_line_that_is_not_a_chunk_fails_the_stream(fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(kind="sse", events=[fs_chunk("Par"), "data: [1, 2]"], done=True))
    with pytest.raises(litellm.ServiceUnavailableError, match="stream line that is not a chunk"):
        _sync_text()


@pytest.mark.parametrize("pretty", [False, True], ids=["one line", "pretty-printed"])
def test_a_stream_answered_with_plain_json_keeps_the_content(fault_gmi: FaultServer, pretty: bool) -> None:
    answer = chat_answer("Paris.")
    body = json.dumps(answer, indent=2 if pretty else None).encode()
    fault_gmi.script(Reply(body=body))
    assert _sync_text() == "Paris."


async def test_an_async_stream_answered_with_plain_json_keeps_the_content(fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(body=chat_answer("Paris.")))
    assert await _async_text() == "Paris."


class _CountedLoads:
    """``json.loads`` with the characters it is handed added up (every caller in the process), failing
    past ``limit`` so that an unbounded parser fails at once rather than after minutes of work."""

    def __init__(self, limit: int) -> None:
        self.chars = 0
        self.limit = limit
        self.original = json.loads

    def __call__(self, text: Any, *args: Any, **kwargs: Any) -> Any:
        self.chars += len(text)
        if self.chars > self.limit:
            raise AssertionError(f"json.loads read more than {self.limit} characters for one stream")
        return self.original(text, *args, **kwargs)


@pytest.mark.parametrize("sync", [True, False], ids=["sync", "async"])
async def test_a_never_closing_plain_json_stream_fails_after_bounded_work(
    fault_gmi: FaultServer, monkeypatch: pytest.MonkeyPatch, sync: bool
) -> None:
    """Issue 21, item 6: 2 MB that opens ``{`` and never closes, in 1 kB lines, was re-parsed whole on
    every line (quadratic: 74 s for 2 MB, about 1,000 times the body's size handed to json.loads). Now
    lines are only scanned for brackets, and past MAX_PLAIN_JSON_CHARS the stream fails with a typed
    error, having parsed less than the body once."""
    from litellm_gmi.chat.streaming import MAX_PLAIN_JSON_CHARS

    body = never_closing_json(2_000_000)
    assert len(body) > MAX_PLAIN_JSON_CHARS
    fault_gmi.script(Reply(body=body))
    loads = _CountedLoads(limit=20 * len(body))
    monkeypatch.setattr(json, "loads", loads)
    with pytest.raises(litellm.ServiceUnavailableError, match="has not closed after") as info:
        await (asyncio.to_thread(_sync_text) if sync else _async_text())
    assert loads.chars <= len(body)
    assert "Traceback" not in str(info.value)


async def test_an_async_stream_that_stalls_raises_a_typed_timeout_without_the_key(
    fault_gmi: FaultServer,
) -> None:
    fault_gmi.script(Reply(kind="sse", events=good_stream("Par", "is."), stall_after=1, stall=3.0))
    with pytest.raises(litellm.Timeout) as caught:
        await _async_text(timeout=0.5)
    seen: list[BaseException] = []
    current: BaseException | None = caught.value
    while current is not None and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or current.__context__
    for exc in seen:
        assert not isinstance(exc, httpx.HTTPError)  # an httpx error carries the request, key included
        assert TEST_API_KEY not in repr(exc) + str(exc)


async def test_an_async_stream_whose_connection_drops_raises(fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(kind="sse", events=good_stream("Par", "is.", "It", "is"), reset_after=2))
    with pytest.raises(STREAM_FAILURES, match="cut after"):
        await _async_text()


def test_a_stream_whose_connection_drops_raises(fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(kind="sse", events=good_stream("Par", "is.", "It", "is"), reset_after=2))
    with pytest.raises(STREAM_FAILURES, match="cut after"):
        _sync_text()


@pytest.mark.parametrize("include_usage", [True, False])
def test_completion_cost_of_a_built_stream_is_the_catalogs(
    fault_gmi: FaultServer, include_usage: bool
) -> None:
    """``completion_cost(stream_chunk_builder(chunks))``, the usual way to price a stream afterwards: on
    LiteLLM 1.110 the built response took its provider from the first chunk alone, and raised "LLM
    Provider NOT provided" for the unprefixed model name when our chunks did not name it."""
    from catalog_prices import catalog_cost

    fault_gmi.script(Reply(kind="sse", events=good_stream("Par", "is.")))
    model = "gmi/deepseek-ai/DeepSeek-V3.2"
    options = {"stream_options": {"include_usage": True}} if include_usage else {}
    chunks = list(litellm.completion(model=model, messages=MESSAGES, stream=True, **options))
    assert all(chunk._hidden_params.get("custom_llm_provider") == "gmi" for chunk in chunks)
    built = litellm.stream_chunk_builder(chunks)
    cost = litellm.completion_cost(completion_response=built)
    assert cost > 0
    if include_usage:  # GMI's own counts, priced by the shipped catalog
        assert cost == pytest.approx(catalog_cost(model, 9, 2))
