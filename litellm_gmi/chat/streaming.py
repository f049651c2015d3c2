"""GMI's SSE stream: errors raised, ``<think>`` split, and chunks shaped for the running LiteLLM.

GMI sends usage in a final chunk with no choices (GMI docs, "Important Notes"), may send an error
envelope inside a 200 stream, and some models inline ``<think>`` in content. LiteLLM's OpenAI iterator
handles none of the three the way a caller needs, so this subclass does.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any, Protocol

import httpx
from litellm.exceptions import Timeout
from litellm.llms.openai.chat.gpt_transformation import OpenAIChatCompletionStreamingHandler
from litellm.types.utils import ModelResponseStream
from typing_extensions import override

from litellm_gmi import json_limits
from litellm_gmi.chat.reasoning import ThinkTagSplitter
from litellm_gmi.constants import PROVIDER
from litellm_gmi.errors import GMIError, StreamCutError, error_in_answer
from litellm_gmi.litellm_seams import STREAM_PASSTHROUGH

MAX_PLAIN_JSON_CHARS = 1 << 20
"""Longest plain JSON answer read from a stream request (1 MiB, about 250,000 tokens of text). Past it
the stream fails (issue 21, item 6: a body that opened ``{`` and never closed was re-parsed on every
line, 74 s of CPU on the event loop for 2 MB)."""


class GMIStreamIterator(OpenAIChatCompletionStreamingHandler):
    """Parses one GMI SSE chunk at a time into a :class:`ModelResponseStream`.

    Beyond LiteLLM's OpenAI iterator it refuses the ways a stream can end looking like a success that
    is not one (issue 14): an ``event: error`` record, a stream that stops before any
    ``finish_reason`` or ``[DONE]`` (a 0-byte body included), a connection cut or stalled mid-way
    (as LiteLLM's typed errors, whatever its release does with raw httpx ones). A stream request
    answered with a plain JSON completion is read as one chunk rather than dropped.
    """

    def __init__(self, streaming_response: Any, sync_stream: bool, json_mode: bool | None = False) -> None:
        super().__init__(streaming_response=streaming_response, sync_stream=sync_stream, json_mode=json_mode)
        self._splitter = ThinkTagSplitter()
        self._error_event = False
        self._ended = False  # a finish_reason or [DONE] arrived
        self._chunks = 0
        self._json_lines: list[str] = []  # a plain JSON answer spread over several lines
        self._json_chars = 0
        self._json_open = 0  # arrays and objects those lines left open
        self._id: str | None = None
        self.requested_model: str | None = None
        """Set by the provider: named on chunks a server sent without a ``model``."""

    @override
    def __next__(self) -> Any:
        try:
            return super().__next__()  # type: ignore[no-untyped-call]
        except (StopIteration, httpx.TransportError) as exc:
            failure = self._failure(exc)
        raise failure  # outside the except block: nothing chains the httpx error, whose request has the key

    @override
    async def __anext__(self) -> Any:
        try:
            return await super().__anext__()  # type: ignore[no-untyped-call]
        except (StopAsyncIteration, httpx.TransportError) as exc:
            failure = self._failure(exc)
        raise failure  # outside the except block: nothing chains the httpx error, whose request has the key

    def _failure(self, exc: Exception) -> Exception:
        """What ends iterating, for both faces: a transport error as LiteLLM's (:func:`_transport_failure`),
        else the end of the stream itself, once :meth:`_check_ended` has found nothing missing."""
        if isinstance(exc, httpx.TransportError):
            return _transport_failure(exc, self._chunks)
        self._check_ended()
        return exc

    def _check_ended(self) -> None:
        if self._json_lines:
            _parse_line("".join(self._json_lines).strip())
        if not self._ended:
            raise StreamCutError(
                status_code=502,
                message=f"GMI's stream ended after {self._chunks} chunks without a finish_reason or "
                "[DONE]: the answer is incomplete",
            )

    @override
    def _handle_string_chunk(self, str_line: str) -> Any:
        """Each line parsed once; a line that is neither SSE nor JSON fails the stream.

        LiteLLM's iterator turns an unparseable line into an empty chunk, so a truncated or non-SSE body
        (a proxy's HTML page, a cut JSON answer) looked like a successful, empty completion; and it takes
        any line containing ``[DONE]`` for the end marker, so a chunk whose text contained it was dropped.
        """
        text = str_line.strip()
        if text.startswith("event:"):
            self._error_event = text[6:].strip() == "error"
            return super()._handle_string_chunk("")
        if text in _DONE_LINES:
            self._ended = True
            return super()._handle_string_chunk(str_line)
        if self._json_lines or (text.startswith("{") and not self._chunks and not _is_json(text)):
            return self._plain_json_line(str_line)
        parsed = _parse_line(text)
        if not parsed:  # a blank, comment or SSE field line, or an empty JSON value
            return super()._handle_string_chunk("")
        if not isinstance(parsed, dict):
            raise GMIError(
                status_code=502, message=f"GMI sent a stream line that is not a chunk: {text[:200]!r}"
            )
        return self.chunk_parser(parsed)

    def _stream_id(self, chunk: dict[str, Any]) -> str:
        """The chunk's id; for a chunk without one, the stream's (GMI's docs show one on every chunk, but
        LiteLLM would give each id-less chunk a new one, and clients group a stream's chunks by it)."""
        self._id = chunk.get("id") or self._id or f"chatcmpl-{uuid.uuid4()}"
        return self._id

    def _plain_json_line(self, line: str) -> Any:
        """Collect a pretty-printed JSON answer line by line; parse it once, when its brackets close.

        Linear: each line is scanned once for brackets (JSON strings hold no raw newline), and the
        answer is bounded by :data:`MAX_PLAIN_JSON_CHARS`.
        """
        self._json_chars += len(line)
        if self._json_chars > MAX_PLAIN_JSON_CHARS:
            raise GMIError(
                status_code=502,
                message=f"GMI answered a stream request with a JSON body that has not closed after "
                f"{MAX_PLAIN_JSON_CHARS} characters (the most read): {self._json_lines[0][:200]!r}",
            )
        self._json_lines.append(line)
        self._json_open += json_limits.depths(line)[0]
        if self._json_open > 0:
            return super()._handle_string_chunk("")
        parsed = _parse_line("".join(self._json_lines).strip())
        self._json_lines.clear()
        self._json_chars = 0
        return self.chunk_parser(parsed) if isinstance(parsed, dict) else super()._handle_string_chunk("")

    @override
    def chunk_parser(self, chunk: dict[str, Any]) -> ModelResponseStream:
        self._chunks += 1
        error = error_in_answer(chunk, flagged=self._error_event)
        if error is not None:
            raise error
        for choice in chunk.get("choices") or []:
            if "delta" not in choice and isinstance(choice.get("message"), dict):
                choice["delta"] = choice.pop("message")  # a plain completion answering a stream request
            delta = choice.get("delta") or {}
            if "reasoning" in delta and "reasoning_content" not in delta:
                delta["reasoning_content"] = delta.pop("reasoning")  # vLLM's newer name for it
            content = delta.get("content")
            reasoning, text = (
                self._splitter.feed(content) if isinstance(content, str) and content else ("", "")
            )
            if choice.get("finish_reason"):
                self._ended = True
                held_reasoning, held_text = self._splitter.flush()
                reasoning, text = reasoning + held_reasoning, text + held_text
            if isinstance(content, str) or text:
                delta["content"] = text
            if reasoning:
                delta["reasoning_content"] = (delta.get("reasoning_content") or "") + reasoning
        # Built here rather than by the parent, whose 1.81 version drops usage and requires an id.
        fields: dict[str, Any] = {
            "id": self._stream_id(chunk),
            "object": "chat.completion.chunk",
            "created": chunk.get("created"),
            "model": chunk.get("model") or self.requested_model,
            "choices": chunk.get("choices") or [],
        }
        if chunk.get("usage"):
            fields["usage"] = chunk["usage"]
        parsed = ModelResponseStream(**fields)
        # Every chunk names its provider, as LiteLLM's own routes' chunks do: from 1.110
        # ``stream_chunk_builder`` copies the first chunk's ``_hidden_params`` into the built response,
        # and ``completion_cost`` of that response found no provider for the unprefixed model name.
        parsed._hidden_params["custom_llm_provider"] = PROVIDER
        return parsed


def _transport_failure(exc: httpx.TransportError, chunks: int) -> Exception:
    """A stalled stream as LiteLLM's ``Timeout``, a cut one as :class:`StreamCutError`."""
    if isinstance(exc, httpx.TimeoutException):
        timeout: Exception = Timeout(
            message=f"GMI's stream stalled: no data within the read timeout ({type(exc).__name__})",
            model="",
            llm_provider=PROVIDER,
        )
        return timeout
    return StreamCutError(
        status_code=502,
        message=f"GMI's stream was cut after {chunks} chunks, the answer is incomplete "
        f"({type(exc).__name__}: {str(exc)[:200]})",
    )


def _is_json(text: str) -> bool:
    try:
        json_limits.loads(text)
    except ValueError:
        return False
    return True


_SSE_FIELDS = ("event:", "id:", "retry:")
_DONE_LINES = frozenset({"data: [DONE]", "data:[DONE]", "[DONE]"})  # SSE allows no space after the colon


def _parse_line(text: str) -> Any:
    """The JSON a stripped SSE line carries; ``None`` for a line that carries none; GMIError if garbled."""
    if not text or text.startswith(":") or text.startswith(_SSE_FIELDS):
        return None
    payload = text[5:].strip() if text.startswith("data:") else text
    if payload == "[DONE]":
        return None
    try:
        return json_limits.loads(payload)
    except ValueError as exc:
        why = f" ({exc})" if "nested" in str(exc) else ""
        raise GMIError(
            status_code=502, message=f"GMI sent a stream line that is not JSON{why}: {text[:200]!r}"
        ) from None


class ChunkShaper(Protocol):
    """Turns our parsed chunks into what the running LiteLLM's outer stream wrapper expects."""

    def feed(self, chunk: Any) -> Iterator[Any]:
        """What to hand LiteLLM for one parsed chunk (possibly nothing, possibly held back)."""
        ...

    def close(self) -> Iterator[Any]:
        """Whatever was held back, once the stream has ended."""
        ...


def shaper_for_litellm() -> ChunkShaper:
    """The shaper the installed LiteLLM needs (see :mod:`litellm_gmi.litellm_seams.version`)."""
    return UsageBeforeFinish() if STREAM_PASSTHROUGH else GenericChunks()


def shape(chunks: Iterator[Any], shaper: ChunkShaper) -> Iterator[Any]:
    """Run ``chunks`` through ``shaper``."""
    for chunk in chunks:
        yield from shaper.feed(chunk)
    yield from shaper.close()


async def ashape(chunks: AsyncIterator[Any], shaper: ChunkShaper) -> AsyncIterator[Any]:
    """Async twin of :func:`shape`."""
    async for chunk in chunks:
        for item in shaper.feed(chunk):
            yield item
    for item in shaper.close():
        yield item


class UsageBeforeFinish:
    """LiteLLM 1.89+: hand GMI's trailing usage-only chunk over before the finish chunk it follows.

    LiteLLM's outer wrapper stops at the first chunk without content that arrives after a finish reason,
    which is where GMI sends usage; sent first, the usage is kept for cost tracking (and shown when the
    caller asked for ``stream_options.include_usage``). Usage sent in the finish chunk itself (as vLLM's
    continuous usage stats do) is handed over the same way. Non-chunk items (``[DONE]``, blank lines) and
    deltas left empty by the ``<think>`` splitter are dropped, as LiteLLM's inner wrapper used to.
    """

    def __init__(self) -> None:
        self._finish: ModelResponseStream | None = None

    def feed(self, chunk: Any) -> Iterator[ModelResponseStream]:
        if not isinstance(chunk, ModelResponseStream) or _is_empty(chunk):
            return
        if self._finish is not None and not chunk.choices and getattr(chunk, "usage", None) is not None:
            yield chunk
            return
        yield from self.close()
        if _is_bare_finish(chunk):
            usage = getattr(chunk, "usage", None)
            if usage is not None:  # a server that sends usage in the finish chunk itself: hand it over first
                yield ModelResponseStream(
                    id=chunk.id, created=chunk.created, model=chunk.model, choices=[], usage=usage
                )
            self._finish = chunk
        else:
            yield chunk

    def close(self) -> Iterator[ModelResponseStream]:
        if self._finish is not None:
            finish, self._finish = self._finish, None
            yield finish


def _is_bare_finish(chunk: ModelResponseStream) -> bool:
    if not chunk.choices or not chunk.choices[0].finish_reason:
        return False
    delta = chunk.choices[0].delta
    return not (delta is not None and (delta.content or delta.tool_calls))


def _is_empty(chunk: ModelResponseStream) -> bool:
    if getattr(chunk, "usage", None) is not None or not chunk.choices:
        return False
    for choice in chunk.choices:
        delta = choice.delta
        if choice.finish_reason or delta is None:
            return False
        if delta.content or delta.role or delta.tool_calls or getattr(delta, "reasoning_content", None):
            return False
    return True


class GenericChunks:
    """LiteLLM before 1.89: ``GenericStreamingChunk`` dicts, the only shape it takes from custom providers.

    Those releases stop reading at the first finished chunk, and GMI sends usage after it, so the finish
    is held back and sent together with the usage.
    """

    def __init__(self) -> None:
        self.finish_reason: str | None = None
        self.usage: dict[str, Any] | None = None

    def feed(self, chunk: Any) -> Iterator[dict[str, Any]]:
        if not isinstance(chunk, ModelResponseStream):
            return  # LiteLLM's iterator yields an empty generic dict for "[DONE]" and blank lines
        usage = getattr(chunk, "usage", None)
        if usage is not None:
            self.usage = usage.model_dump() if hasattr(usage, "model_dump") else dict(usage)
        for choice in chunk.choices:
            delta = choice.delta
            if choice.finish_reason:
                self.finish_reason = choice.finish_reason
            reasoning = getattr(delta, "reasoning_content", None)
            tool_calls = delta.tool_calls or []
            text = delta.content or ""
            if not (text or reasoning or tool_calls):
                continue
            for position, call in enumerate(tool_calls or [None]):
                yield {
                    "text": text if position == 0 else "",
                    "tool_use": _tool_use(call),
                    "is_finished": False,
                    "finish_reason": "",
                    "usage": None,
                    "index": choice.index,
                    "provider_specific_fields": {"reasoning_content": reasoning}
                    if reasoning and position == 0
                    else None,
                }

    def close(self) -> Iterator[dict[str, Any]]:
        # A non-None provider_specific_fields makes LiteLLM < 1.89 keep this chunk (and GMI's usage)
        # instead of discarding it as empty and re-counting tokens locally.
        yield {
            "text": "",
            "tool_use": None,
            "is_finished": True,
            "finish_reason": self.finish_reason or "stop",
            "usage": self.usage,
            "index": 0,
            "provider_specific_fields": {},
        }


def _tool_use(call: Any) -> dict[str, Any] | None:
    if call is None:
        return None
    function = call.function
    return {
        "id": call.id,
        "type": "function",
        "function": {"name": function.name, "arguments": function.arguments or ""},
        "index": call.index,
    }
