"""Hostile media answers for the independent fault server (tests/fault_server.py), issue 21 items 7-9.

Each builds a :class:`Reply`: a redirect to wherever a hostile queue or storage host points, a small
gzip that inflates far past any cap, an artifact of a given size. A second :class:`FaultServer` on
another port plays "another host": a different origin on the same loopback address.
"""

from __future__ import annotations

import errno
import gzip
import os
from pathlib import Path

from fault_server import Reply


def redirect(location: str, status: int = 307) -> Reply:
    return Reply(status=status, body={}, headers={"Location": location})


def gzip_bomb(inflated: int) -> Reply:
    """A 200 whose gzip body (a few KB) decodes to ``inflated`` zero bytes, served as an artifact."""
    packed = gzip.compress(b"\0" * inflated, compresslevel=9)
    head = "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Encoding: gzip\r\n"
    return Reply(kind="raw", body=f"{head}Content-Length: {len(packed)}\r\n\r\n".encode() + packed)


def artifact(size: int, *, declare_length: bool = True) -> Reply:
    """A PNG-looking artifact of ``size`` bytes; without a Content-Length the client cannot see it coming."""
    data = b"\x89PNG" + b"x" * (size - 4)
    length = f"Content-Length: {size}\r\n" if declare_length else ""
    return Reply(
        kind="raw", body=f"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n{length}\r\n".encode() + data
    )


def queued(request_id: str = "req-1", model: str = "seedream-5.0-lite") -> dict[str, object]:
    return {"request_id": request_id, "model": model, "status": "queued", "created_at": 1, "updated_at": 1}


def fifo_has_reader(fifo: Path) -> bool:
    """Whether someone holds ``fifo`` open for reading (blocked there); if so they get end-of-file.

    A writer's non-blocking open fails with ENXIO exactly when there is no reader: the proof that code
    under test never opened the path.
    """
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno != errno.ENXIO:
            raise
        return False
    os.close(fd)
    return True
