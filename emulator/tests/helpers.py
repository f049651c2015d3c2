"""Small readers shared by the emulator's tests."""

from __future__ import annotations

import json
from typing import Any

AUTH = {"Authorization": "Bearer sk-emulator-test"}


def sse_events(text: str) -> list[Any]:
    """Decoded ``data:`` payloads; the ``[DONE]`` sentinel stays a string."""
    events: list[Any] = []
    for line in text.splitlines():
        if line.startswith("data: "):
            data = line[len("data: ") :]
            events.append(data if data == "[DONE]" else json.loads(data))
    return events


def named_events(text: str) -> list[tuple[str, dict[str, Any]]]:
    """``(event name, data)`` pairs of a stream that names its events (Anthropic, Responses)."""
    pairs = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        pairs.append((lines["event"], json.loads(lines["data"])))
    return pairs
