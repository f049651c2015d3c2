"""Deterministic stand-ins for what a model would say: words, thoughts, ids and token counts.

Everything here is a pure function of its input, so the same request always gets the same answer and
cassettes recorded against the emulator replay byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

# fmt: off
_VOCABULARY = (
    "the", "emulator", "answers", "every", "request", "with", "words", "drawn", "from", "a", "small",
    "fixed", "list", "so", "tests", "can", "predict", "them", "while", "still", "looking", "like", "text",
    "that", "model", "might", "write", "about", "clouds", "rivers", "mountains", "code", "and", "tea",
)
# fmt: on


def digest(value: Any) -> str:
    """Stable hex hash of any JSON-able value (keys sorted, so key order does not matter)."""
    raw = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def words(seed: str, count: int) -> list[str]:
    """``count`` vocabulary words picked by ``seed``; a longer list always extends a shorter one."""
    start = int(seed[:8], 16)
    return [_VOCABULARY[(start + 7 * i) % len(_VOCABULARY)] for i in range(count)]


def thought(seed: str) -> list[str]:
    """A short fixed-shape reasoning trace, one word per streamed delta."""
    return ["Let", "me", "think:", "the", "user", "wants", *words(seed[8:], 4), "answer", "briefly."]


def text_tokens(text: str) -> int:
    """Rough token count: one per four characters, never zero for non-empty text."""
    return math.ceil(len(text) / 4)


def prompt_tokens(texts: Sequence[str]) -> int:
    """``ceil(len(all text) / 4) + 4`` per message: cheap, deterministic, good enough for limits."""
    return text_tokens("".join(texts)) + 4 * len(texts)


def content_text(content: Any) -> str:
    """The text of a message's content: a string, or a list of parts/blocks carrying ``text``."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(p.get("text", "")) for p in content if isinstance(p, Mapping))
    return ""
