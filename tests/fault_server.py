"""A scripted HTTP server for fault tests, independent of the emulator.

Written from the failure modes reported against a real GMI (issue 14), with nothing but the standard
library: a ``ThreadingHTTPServer`` on 127.0.0.1 that answers each request with the next scripted
:class:`Reply` (or a plain successful chat answer when the script is empty). It is a different kind of
server from the aiohttp emulator on purpose, so a fault test does not inherit the emulator's
assumptions, and it counts the connections it holds open so a test can see a leak from the other side.
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
    ``raw``    ``body`` bytes written verbatim, then the connection closes.
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


def good_stream(*words: str) -> list[dict[str, Any]]:
    """A complete stream: one chunk per word, a finish chunk and GMI's usage-only tail."""
    return [
        *(chunk(w) for w in (words or ("Par", "is."))),
        chunk(finish="stop"),
        chunk(usage={"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11}),
    ]


class FaultServer:
    """``with FaultServer() as server: server.script(Reply(...)); ... server.base ...``."""

    def __init__(self) -> None:
        self._replies: deque[Reply] = deque()
        self._routes: dict[str, deque[Reply]] = {}
        self._lock = threading.Lock()
        self.seen: list[Seen] = []
        self.open_connections = 0
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

    def clear(self) -> None:
        with self._lock:
            self._replies.clear()
            self._routes.clear()
            self.seen.clear()

    def next_reply(self, method: str = "", path: str = "") -> Reply:
        with self._lock:
            routed = self._routes.get(f"{method} {path.split('?', maxsplit=1)[0]}")
            if routed:
                return routed.popleft() if len(routed) > 1 else routed[0]
            return self._replies.popleft() if self._replies else Reply(body=chat_answer())

    def record(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)

    def count(self, path_suffix: str = "", method: str | None = None) -> int:
        with self._lock:
            return sum(1 for s in self.seen if s.path.endswith(path_suffix) and method in (None, s.method))

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

    def _answer(self, body: Any) -> None:
        owner = self.server.owner
        seen = Seen(self.command, self.path, dict(self.headers.items()), body)
        owner.record(seen)
        reply = owner.next_reply(self.command, self.path)
        handler = getattr(self, f"_reply_{reply.kind}")
        try:
            handler(reply)
            self.wfile.flush()
            seen.delivered = True
        finally:
            seen.answered.set()

    def _reply_json(self, reply: Reply) -> None:
        data = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
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
