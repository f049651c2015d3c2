"""A scripted HTTP server for fault tests, independent of the emulator.

Written from the failure modes reported against a real GMI (issue 14), with nothing but the standard
library: a ``ThreadingHTTPServer`` on 127.0.0.1 that answers each request with the next scripted
:class:`Reply` (or, when the script is empty, its ``default``: a plain successful chat or embeddings
answer). It is a different kind of server from the aiohttp emulator on purpose, so a fault test does not
inherit the emulator's assumptions, and it counts the connections it holds open so a test can see a leak
from the other side.

``server.cooperate()`` makes it answer like a cooperative model instead (``Reply(kind="cooperative")``):
from the request itself, as OpenAI's chat API describes it, knowing nothing of the client. A
``json_schema`` response format gets an instance of its schema; ``json_object`` gets an instance of the
JSON Schema it finds in the messages' text (else ``{}``); ``tools`` get a call of the named (or first)
tool with arguments generated from its parameters; ``reasoning_effort`` or ``thinking`` add
``reasoning_content``; ``stream: true`` streams it all as SSE, with a usage chunk when asked for.
"""

from __future__ import annotations

import json
import socket
import struct
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from schema_instance import find_schema, instance


@dataclass(frozen=True)
class Reply:
    """One scripted answer.

    ``kind`` is one of:
    ``json``   a complete body (``status``, ``body``, ``headers``);
    ``sse``    a chunked 200 stream of ``events`` (each a JSON-able object, or a raw ``str`` line), then
               ``[DONE]`` unless ``done`` is false; ``reset_after`` cuts the connection (RST) after that
               many events, and ``stall_after`` stops writing for ``stall`` seconds after that many;
    ``reset``  the connection is reset before any byte of the answer;
    ``stall``  nothing at all for ``stall`` seconds, then the connection closes;
    ``raw``    ``body`` bytes written verbatim, then the connection closes;
    ``cooperative`` an answer made from the request (see the module docstring).

    Any kind can hold its status line back: ``gate`` waits until that event is set (a slow upstream the
    test releases), then ``delay`` sleeps that many seconds. :attr:`FaultServer.max_held` shows how
    many requests such replies held at once.
    """

    kind: str = "json"
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    events: Sequence[Any] = ()
    done: bool = True
    reset_after: int | None = None
    stall_after: int | None = None
    stall: float = 0.0
    delay: float = 0.0
    gate: threading.Event | None = None


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    delivered: bool = False
    """The whole scripted answer was written: the client did not hang up before reading it all."""
    answered: threading.Event = field(default_factory=threading.Event)
    """Set once the handler is done with this request, however it ended."""


def chat_answer(text: str = "Paris.", model: str = "m") -> dict[str, Any]:
    """A minimal OpenAI-shaped chat completion, the server's answer when nothing is scripted."""
    return {
        "id": "chatcmpl-fault",
        "object": "chat.completion",
        "created": 1700000000,
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11},
    }


def chunk(
    text: str | None = None, finish: str | None = None, usage: dict[str, int] | None = None
) -> dict[str, Any]:
    """One streamed chat chunk: a content delta, a finish reason, or (``usage`` only) the usage tail."""
    choices = (
        []
        if usage is not None and text is None and finish is None
        else [{"index": 0, "delta": {"content": text} if text is not None else {}, "finish_reason": finish}]
    )
    out: dict[str, Any] = {
        "id": "chatcmpl-fault",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "m",
        "choices": choices,
    }
    if usage is not None:
        out["usage"] = usage
    return out


def embeddings_answer(body: Any) -> dict[str, Any]:
    """OpenAI's embeddings answer: one deterministic vector per input, ``dimensions`` long (else 8)."""
    body = body if isinstance(body, dict) else {}
    inputs = body.get("input")
    inputs = inputs if isinstance(inputs, list) else [inputs]
    size = body.get("dimensions") if isinstance(body.get("dimensions"), int) else 8
    data = [
        {"object": "embedding", "index": i, "embedding": [round((i + 1) / (k + 2), 6) for k in range(size)]}
        for i in range(len(inputs))
    ]
    tokens = sum(len(str(text).split()) for text in inputs)
    return {
        "object": "list",
        "data": data,
        "model": body.get("model", "m"),
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }


def cooperative_message(body: Any) -> tuple[dict[str, Any], str]:
    """The assistant message (and finish reason) a cooperative model gives for a chat request."""
    body = body if isinstance(body, dict) else {}
    messages = body.get("messages") or []
    message: dict[str, Any] = {"role": "assistant", "content": None}
    effort = body.get("reasoning_effort") or (body.get("thinking") or {}).get("type")
    if effort:
        message["reasoning_content"] = f"Thinking it through (reasoning: {effort})."
    tool = _tool_to_call(body)
    if tool is not None and not (messages and messages[-1].get("role") == "tool"):
        arguments = instance(tool.get("parameters") or {"type": "object", "properties": {}})
        message["tool_calls"] = [
            {
                "id": "call_coop_1",
                "type": "function",
                "function": {"name": tool["name"], "arguments": json.dumps(arguments)},
            }
        ]
        return message, "tool_calls"
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        schema = (fmt.get("json_schema") or {}).get("schema") or {}
        message["content"] = json.dumps(instance(schema))
    elif fmt.get("type") == "json_object":
        schema = find_schema(_texts(messages))
        message["content"] = json.dumps(instance(schema) if schema is not None else {})
    else:
        message["content"] = "Paris."
    return message, "stop"


def _tool_to_call(body: dict[str, Any]) -> dict[str, Any] | None:
    tools = [t.get("function") or {} for t in body.get("tools") or [] if isinstance(t, dict)]
    choice = body.get("tool_choice")
    if not tools or choice == "none":
        return None
    if isinstance(choice, dict):
        wanted = (choice.get("function") or {}).get("name")
        return next((t for t in tools if t.get("name") == wanted), tools[0])
    return tools[0]


def _texts(messages: list[Any]) -> list[str]:
    texts: list[str] = []
    for message in messages:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            texts.append(content)
        elif isinstance(content, list):
            texts += [part.get("text", "") for part in content if isinstance(part, dict)]
    return texts


def _usage(body: dict[str, Any], message: dict[str, Any]) -> dict[str, int]:
    prompt = sum(len(text.split()) for text in _texts(body.get("messages") or [])) or 1
    completion = len(json.dumps(message).split())
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def cooperative_answer(body: Any) -> dict[str, Any]:
    message, finish = cooperative_message(body)
    answer = chat_answer(model=(body or {}).get("model", "m"))
    answer["choices"] = [{"index": 0, "message": message, "finish_reason": finish}]
    answer["usage"] = _usage(body or {}, message)
    return answer


def cooperative_stream(body: Any) -> list[dict[str, Any]]:
    """The same answer as SSE chunks: role, reasoning, content in three pieces or the tool call."""
    message, finish = cooperative_message(body)
    deltas: list[dict[str, Any]] = [{"role": "assistant", "content": ""}]
    if message.get("reasoning_content"):
        deltas.append({"reasoning_content": message["reasoning_content"]})
    for call in message.get("tool_calls") or []:
        arguments = call["function"]["arguments"]
        half = len(arguments) // 2
        deltas.append(
            {
                "tool_calls": [
                    {
                        "index": 0,
                        "id": call["id"],
                        "type": "function",
                        "function": {"name": call["function"]["name"], "arguments": arguments[:half]},
                    }
                ]
            }
        )
        deltas.append({"tool_calls": [{"index": 0, "function": {"arguments": arguments[half:]}}]})
    content = message.get("content") or ""
    step = max(1, -(-len(content) // 3))
    deltas += [{"content": content[i : i + step]} for i in range(0, len(content), step)]
    events = [_delta_chunk(d) for d in deltas]
    events.append(_delta_chunk({}, finish))
    if ((body or {}).get("stream_options") or {}).get("include_usage"):
        events.append(chunk(usage=_usage(body or {}, message)))
    return events


def _delta_chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    out = chunk(finish=finish)
    out["choices"][0]["delta"] = delta
    return out


def good_stream(*words: str) -> list[dict[str, Any]]:
    """A complete stream: one chunk per word, a finish chunk and GMI's usage-only tail."""
    return [
        *(chunk(w) for w in (words or ("Par", "is."))),
        chunk(finish="stop"),
        chunk(usage={"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11}),
    ]


def deeply_nested(key: str = "error", depth: int = 10_000) -> bytes:
    """A JSON object whose ``key`` holds arrays nested ``depth`` deep (issue 21, item 10): valid JSON
    that CPython's ``json.loads`` cannot read without ``RecursionError``."""
    return b'{"' + key.encode() + b'": ' + b"[" * depth + b"]" * depth + b"}"


def never_closing_json(size: int = 2_000_000, line: int = 1000) -> bytes:
    """A pretty-printed JSON object of about ``size`` bytes that opens ``{`` and never closes (issue 21,
    item 6), in lines of about ``line`` bytes: the plain-JSON fallback of a stream parser reads it."""
    row = b'  "pad": "' + b"x" * (line - 14) + b'",\n'
    return b"{\n" + row * (size // len(row))


ANTHROPIC_USAGE = {"input_tokens": 12, "output_tokens": 30, "cache_read_input_tokens": 0}
RESPONSES_USAGE = {
    "input_tokens": 12,
    "input_tokens_details": {"cached_tokens": 0},
    "output_tokens": 30,
    "output_tokens_details": {"reasoning_tokens": 20},
    "total_tokens": 42,
}


def anthropic_message(
    text: str = "Paris.", thinking: str = "The user wants a city.", model: str = "m", **usage: int
) -> dict[str, Any]:
    """An Anthropic ``/v1/messages`` answer with a thinking block and a text block (Anthropic's docs)."""
    return {
        "id": "msg_fault",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [
            {"type": "thinking", "thinking": thinking, "signature": "sig-fault"},
            {"type": "text", "text": text},
        ],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {**ANTHROPIC_USAGE, **usage},
    }


def anthropic_events(
    text: str = "Paris.", thinking: str = "The user wants a city.", model: str = "m", **usage: int
) -> list[str]:
    """The same answer as Anthropic's named SSE events: thinking, signature and text deltas, no [DONE]."""
    total = {**ANTHROPIC_USAGE, **usage}
    start = {**anthropic_message("", "", model), "content": [], "stop_reason": None}
    start["usage"] = {**total, "output_tokens": 1}
    events: list[tuple[str, dict[str, Any]]] = [
        ("message_start", {"type": "message_start", "message": start}),
        ("content_block_start", _block_start(0, {"type": "thinking", "thinking": "", "signature": ""})),
        ("content_block_delta", _delta(0, {"type": "thinking_delta", "thinking": thinking})),
        ("content_block_delta", _delta(0, {"type": "signature_delta", "signature": "sig-fault"})),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ("content_block_start", _block_start(1, {"type": "text", "text": ""})),
        *(("content_block_delta", _delta(1, {"type": "text_delta", "text": w})) for w in _halves(text)),
        ("content_block_stop", {"type": "content_block_stop", "index": 1}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": total["output_tokens"]},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    return [f"event: {name}\ndata: {json.dumps(data)}" for name, data in events]


def responses_answer(text: str = "Paris.", model: str = "m", **usage: Any) -> dict[str, Any]:
    """An OpenAI ``/v1/responses`` answer: a reasoning item, then an assistant message (OpenAI's docs)."""
    return {
        "id": "resp_fault",
        "object": "response",
        "created_at": 1700000000,
        "status": "completed",
        "model": model,
        "output": [
            {"type": "reasoning", "id": "rs_fault", "summary": [{"type": "summary_text", "text": "A city."}]},
            {
                "type": "message",
                "id": "msg_fault",
                "role": "assistant",
                "status": "completed",
                "content": [{"type": "output_text", "text": text, "annotations": []}],
            },
        ],
        "usage": {**RESPONSES_USAGE, **usage},
    }


def responses_events(text: str = "Paris.", model: str = "m", **usage: Any) -> list[str]:
    """The same answer as Responses streaming events, ``response.created`` to ``response.completed``."""
    done = responses_answer(text, model, **usage)
    reasoning, message = done["output"]
    created = {**done, "status": "in_progress", "output": [], "usage": None}
    empty_message = {**message, "status": "in_progress", "content": []}
    part = {"type": "output_text", "text": "", "annotations": []}
    events: list[dict[str, Any]] = [
        {"type": "response.created", "response": created},
        {"type": "response.output_item.added", "output_index": 0, "item": reasoning},
        {"type": "response.output_item.done", "output_index": 0, "item": reasoning},
        {"type": "response.output_item.added", "output_index": 1, "item": empty_message},
        {
            "type": "response.content_part.added",
            "item_id": "msg_fault",
            "output_index": 1,
            "content_index": 0,
            "part": part,
        },
        *(
            {
                "type": "response.output_text.delta",
                "item_id": "msg_fault",
                "output_index": 1,
                "content_index": 0,
                "delta": w,
            }
            for w in _halves(text)
        ),
        {
            "type": "response.output_text.done",
            "item_id": "msg_fault",
            "output_index": 1,
            "content_index": 0,
            "text": text,
        },
        {
            "type": "response.content_part.done",
            "item_id": "msg_fault",
            "output_index": 1,
            "content_index": 0,
            "part": {**part, "text": text},
        },
        {"type": "response.output_item.done", "output_index": 1, "item": message},
        {"type": "response.completed", "response": done},
    ]
    numbered = [{**event, "sequence_number": n} for n, event in enumerate(events)]
    return [f"event: {event['type']}\ndata: {json.dumps(event)}" for event in numbered]


def _block_start(index: int, block: dict[str, Any]) -> dict[str, Any]:
    return {"type": "content_block_start", "index": index, "content_block": block}


def _delta(index: int, delta: dict[str, Any]) -> dict[str, Any]:
    return {"type": "content_block_delta", "index": index, "delta": delta}


def _halves(text: str) -> list[str]:
    middle = len(text) // 2
    return [part for part in (text[:middle], text[middle:]) if part]


class FaultServer:
    """``with FaultServer() as server: server.script(Reply(...)); ... server.base ...``."""

    def __init__(self) -> None:
        self.default = Reply()
        """The answer when the script is empty: plain (``Reply()``) or ``Reply(kind="cooperative")``."""
        self._replies: deque[Reply] = deque()
        self._routes: dict[str, deque[Reply]] = {}
        self._lock = threading.Lock()
        self.seen: list[Seen] = []
        self.open_connections = 0
        self.held = 0
        """Requests whose reply holds its status line back (``gate``/``delay``), not yet fully answered."""
        self.max_held = 0
        """The most requests :attr:`held` at once since the last :meth:`clear`."""
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, name="fault-server", daemon=True)

    @property
    def base(self) -> str:
        """The chat API base to give the client (``.../v1``)."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    @property
    def root(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._replies.extend(replies)

    def route(self, method: str, path: str, *replies: Reply) -> None:
        """Answer ``method path`` (exact path, no query) with ``replies`` in turn, the last one forever.

        Routes let a media test script the request queue (submit, status polls, artifacts) while the
        order of those calls is left to the client; unrouted requests use :meth:`script`.
        """
        with self._lock:
            self._routes[f"{method} {path}"] = deque(replies)

    def cooperate(self) -> None:
        """Answer every unscripted request from the request itself (see the module docstring)."""
        self.default = Reply(kind="cooperative")

    def clear(self) -> None:
        with self._lock:
            self._replies.clear()
            self._routes.clear()
            self.seen.clear()
            self.default = Reply()
            self.max_held = self.held

    def next_reply(self, method: str = "", path: str = "") -> Reply:
        with self._lock:
            routed = self._routes.get(f"{method} {path.split('?', maxsplit=1)[0]}")
            if routed:
                return routed.popleft() if len(routed) > 1 else routed[0]
            return self._replies.popleft() if self._replies else self.default

    def bodies(self, path_suffix: str = "/chat/completions") -> list[Any]:
        """The JSON bodies of the requests seen on ``path_suffix``, oldest first."""
        with self._lock:
            return [s.body for s in self.seen if s.path.endswith(path_suffix)]

    def record(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)

    def count(self, path_suffix: str = "", method: str | None = None) -> int:
        with self._lock:
            return sum(1 for s in self.seen if s.path.endswith(path_suffix) and method in (None, s.method))

    def _held(self, delta: int) -> None:
        with self._lock:
            self.held += delta
            self.max_held = max(self.max_held, self.held)

    def _connections(self, delta: int) -> None:
        with self._lock:
            self.open_connections += delta

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    owner: FaultServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-answer is what several tests do on purpose: not worth a traceback."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    def setup(self) -> None:
        super().setup()
        # Headers and body go out as separate small writes; without this, Nagle plus the client's
        # delayed ACK adds 40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.owner._connections(+1)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.owner._connections(-1)

    def do_GET(self) -> None:
        self._answer(None)

    def do_DELETE(self) -> None:
        self._answer(None)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        self._answer(body)

    do_PUT = do_POST  # a signed upload (the request queue's media uploads)

    def _answer(self, body: Any) -> None:
        owner = self.server.owner
        seen = Seen(self.command, self.path, dict(self.headers.items()), body)
        owner.record(seen)
        self._body = body
        reply = owner.next_reply(self.command, self.path)
        handler = getattr(self, f"_reply_{reply.kind}")
        holds = reply.gate is not None or reply.delay > 0
        if holds:
            owner._held(+1)
        try:
            if reply.gate is not None:
                reply.gate.wait()
            if reply.delay > 0:  # tests record time.sleep (tests/sleep_recorder.py): none unasked
                time.sleep(reply.delay)
            handler(reply)
            self.wfile.flush()
            seen.delivered = True
        finally:
            if holds:
                owner._held(-1)
            seen.answered.set()

    def _reply_cooperative(self, reply: Reply) -> None:
        body = self._body if isinstance(self._body, dict) else {}
        if self.path.endswith("/embeddings"):
            self._reply_json(Reply(body=embeddings_answer(body)))
        elif body.get("stream"):
            self._reply_sse(Reply(events=cooperative_stream(body)))
        else:
            self._reply_json(Reply(body=cooperative_answer(body)))

    def _reply_json(self, reply: Reply) -> None:
        body = reply.body
        if body is None and reply.status == 200:  # the plain answer, for whichever endpoint was asked
            body = embeddings_answer(self._body) if self.path.endswith("/embeddings") else chat_answer()
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(reply.status)
        headers = {"Content-Type": "application/json", **reply.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _reply_sse(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        for position, event in enumerate(_lines(reply)):
            if reply.reset_after is not None and position == reply.reset_after:
                self._reset()
                return
            if reply.stall_after is not None and position == reply.stall_after:
                time.sleep(reply.stall)
                self.close_connection = True
                return
            self._chunk(event)
        self._chunk(b"")

    def _reply_reset(self, reply: Reply) -> None:
        self._reset()

    def _reply_stall(self, reply: Reply) -> None:
        time.sleep(reply.stall)
        self.close_connection = True

    def _reply_raw(self, reply: Reply) -> None:
        self.wfile.write(reply.body if isinstance(reply.body, bytes) else str(reply.body).encode())
        self.wfile.flush()
        self.close_connection = True

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _reset(self) -> None:
        """Close with RST rather than FIN: a connection reset as a load balancer or crash produces it."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True


def _lines(reply: Reply) -> Iterator[bytes]:
    for event in reply.events:
        text = event if isinstance(event, str) else f"data: {json.dumps(event)}"
        yield f"{text}\n\n".encode()
    if reply.done:
        yield b"data: [DONE]\n\n"
