"""How an armed :class:`Fault` acts on the wire, for every API the emulator serves.

Each API hands over its own error builder, so a rate limit on ``/v1/messages`` is Anthropic-shaped and
one on ``/v1/chat/completions`` is in GMI's envelope, while the sabotage itself is written once:

* ``rate_limit`` (429 with ``Retry-After``), ``server_error`` (500), ``unavailable`` (503) replace the
  answer; ``delay`` waits, then lets the request through;
* ``malformed`` cuts the JSON body in half (or a stream to a broken first line);
* ``drop_stream`` closes the connection after ``after_chunks`` events (without answering a plain call);
* ``stream_error`` sends an error event after ``after_chunks`` events and never finishes the stream
  (a plain call gets a 500).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from aiohttp import web

from gmi_emulator.faults import FAULT_HEADER, Fault, parse_fault_header
from gmi_emulator.state import EmulatorState

ErrorResponse = Callable[[int, str, Mapping[str, str] | None], web.Response]
"""``(status, message, headers) -> response`` in one API's error shape."""

EARLY_ANSWERS: Mapping[str, tuple[int, str]] = {
    "rate_limit": (429, "Rate limit reached for your organization's tokens per minute (emulated)"),
    "server_error": (500, "Internal server error (emulated)"),
    "unavailable": (503, "The model is temporarily unavailable (emulated)"),
}
STREAM_FAILURE = (500, "The engine stopped while generating (emulated)")


def fault_for(request: web.Request, state: EmulatorState, model: str | None) -> Fault | None:
    """The fault for this request: one asked for in the header wins and leaves the armed ones alone.

    Raises ``ValueError`` for a malformed header.
    """
    header = request.headers.get(FAULT_HEADER)
    if header:
        return parse_fault_header(header)
    return state.faults.take(model)


async def early_answer(fault: Fault, error: ErrorResponse) -> web.Response | None:
    """The answer that replaces the real one, or ``None`` when the request should go on."""
    if fault.kind == "delay":
        await asyncio.sleep(fault.delay)
        return None
    if fault.kind not in EARLY_ANSWERS:
        return None
    status, message = EARLY_ANSWERS[fault.kind]
    wait = fault.retry_after if fault.retry_after is not None else (1 if status == 429 else None)
    headers = {"Retry-After": seconds(wait)} if wait is not None else None
    return error(status, message, headers)


def plain_answer(
    request: web.Request, payload: Any, fault: Fault | None, error: ErrorResponse
) -> web.Response:
    """A JSON answer, sabotaged by the fault kinds that act on a finished body."""
    text = json.dumps(payload)
    kind = fault.kind if fault is not None else None
    if kind == "malformed":
        return web.Response(text=text[: len(text) // 2], content_type="application/json")
    if kind == "drop_stream":
        abort(request)
        return web.Response()
    if kind == "stream_error":  # no stream to break: fail the whole answer
        return error(*STREAM_FAILURE, None)
    return web.Response(text=text, content_type="application/json")


async def write_stream(
    request: web.Request,
    body: Sequence[bytes],
    closing: Sequence[bytes],
    fault: Fault | None,
    error_event: bytes,
) -> web.StreamResponse:
    """Write SSE ``body`` events then ``closing`` ones; stream faults cut after ``1 + after_chunks``."""
    kind = fault.kind if fault is not None else None
    if kind == "malformed":
        return web.Response(text='{"id": "', content_type="application/json")
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
    await response.prepare(request)
    events = list(body)
    if fault is not None and kind in ("drop_stream", "stream_error"):
        events = events[: 1 + fault.after_chunks]
    if kind == "drop_stream":
        for event in events:  # one write each, so the client surely sees them before the cut
            await response.write(event)
        transport = request.transport
        if transport is not None:  # close mid-body: what was written arrives, the body never ends
            transport.close()
        return response
    events += [error_event] if kind == "stream_error" else list(closing)
    # The first event goes out alone (first byte early); the rest in one write, so 500 concurrent
    # 200-chunk streams cost the server a few writes each rather than hundreds.
    await response.write(events[0])
    await response.write(b"".join(events[1:]))
    await response.write_eof()
    return response


def abort(request: web.Request) -> None:
    """Close the connection without answering; aiohttp's later write goes nowhere."""
    transport = request.transport
    if transport is not None:
        transport.abort()


def seconds(value: float) -> str:
    """``Retry-After`` text: ``1`` rather than ``1.0``."""
    return str(int(value)) if float(value).is_integer() else str(value)


def bad_header(exc: ValueError) -> str:
    """The message for a malformed fault header."""
    return f"bad {FAULT_HEADER} header: {exc}"
