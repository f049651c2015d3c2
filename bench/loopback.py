"""A minimal keep-alive HTTP/1.1 server with canned GMI answers: the cheapest possible loopback peer.

``python -m bench.loopback`` prints ``listening on http://127.0.0.1:PORT`` and serves until killed. It
answers every POST with one fixed ``chat.completion`` body, or, when the body asks for ``"stream"``, with
a role chunk, 200 content chunks, a finish chunk, a usage chunk and ``[DONE]`` (chunked encoding, the role
chunk flushed first). It never holds the GIL for long and never drops a connection, so it is never
the bottleneck; :mod:`bench.threaded` is the second, more ordinary peer.
"""

from __future__ import annotations

import asyncio
import json
import sys

MODEL = "deepseek-ai/DeepSeek-V3.2"
STREAM_CHUNKS = 200
_USAGE = {"prompt_tokens": 9, "completion_tokens": STREAM_CHUNKS, "total_tokens": 9 + STREAM_CHUNKS}


def _completion() -> bytes:
    body = {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 1750000000,
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "Paris is the capital of France."},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 9, "completion_tokens": 8, "total_tokens": 17},
    }
    return json.dumps(body).encode()


def _sse(delta: dict[str, object], finish: str | None = None, usage: bool = False) -> bytes:
    chunk: dict[str, object] = {
        "id": "chatcmpl-bench",
        "object": "chat.completion.chunk",
        "created": 1750000000,
        "model": MODEL,
        "choices": [] if usage else [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }
    if usage:
        chunk["usage"] = _USAGE
    return b"data: " + json.dumps(chunk).encode() + b"\n\n"


def _chunked(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


COMPLETION = _completion()
COMPLETION_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
    + str(len(COMPLETION)).encode()
    + b"\r\n\r\n"
)
STREAM_EVENTS: tuple[bytes, ...] = (
    _sse({"role": "assistant", "content": ""}),
    *(_sse({"content": f"w{i} "}) for i in range(STREAM_CHUNKS)),
    _sse({}, finish="length"),
    _sse({}, usage=True),
    b"data: [DONE]\n\n",
)
"""Every server-sent event of one stream, in order (the threaded server writes them one by one)."""
STREAM_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
STREAM_FIRST = _chunked(STREAM_EVENTS[0])
STREAM_REST = _chunked(b"".join(STREAM_EVENTS[1:])) + b"0\r\n\r\n"


async def _serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            body = await reader.readexactly(length) if length else b""
            if b'"stream": true' in body or b'"stream":true' in body:
                writer.write(STREAM_HEAD + STREAM_FIRST)
                await writer.drain()
                writer.write(STREAM_REST)
            else:
                writer.write(COMPLETION_HEAD + COMPLETION)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def _main(port: int) -> None:
    server = await asyncio.start_server(_serve, "127.0.0.1", port, backlog=2048)
    bound = server.sockets[0].getsockname()[1]
    print(f"listening on http://127.0.0.1:{bound}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(_main(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
