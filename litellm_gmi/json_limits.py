"""JSON read from outside the process (GMI's answers, the user's overlay) with its nesting bounded.

CPython's ``json.loads`` recurses once per nested array or object and raises ``RecursionError`` (not a
``ValueError``) near 1,000 levels. From an answer that escaped every handler as LiteLLM's retryable
``APIConnectionError`` with a Python traceback in its text, a 400 included (issue 21, item 10); from
the overlay, it escaped ``import litellm_gmi`` (item 5). Here the depth is measured first, in one
linear pass, and anything deeper than the caller's bound is a ``ValueError`` like any other bad JSON.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

MAX_DEPTH: Final = 128
"""Deepest nesting read from an answer. A chat completion is about 6 deep; tool arguments and structured
output arrive as strings, so their own nesting does not count."""

_STRING: Final = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKET: Final = re.compile(r"[\[\]{}]")


def depths(text: str) -> tuple[int, int]:
    """``(net, deepest)``: how far ``text`` leaves arrays and objects open, and the deepest it goes.

    Brackets inside complete strings do not count. Linear in ``len(text)``; JSON strings hold no raw
    newline, so a document can be measured one line at a time, adding up the ``net`` of each line.
    """
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return depth, deepest


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH, **options: Any) -> Any:
    """``json.loads(text, **options)``, raising ``ValueError`` for a document nested past ``max_depth``."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    _, deepest = depths(text)
    if deepest > max_depth:
        raise ValueError(f"JSON nested {deepest} levels deep (at most {max_depth} are read)")
    try:
        return json.loads(text, **options)
    except RecursionError:  # the bound above keeps this unreachable; kept so no RecursionError escapes
        raise ValueError("JSON nested too deep to read") from None
