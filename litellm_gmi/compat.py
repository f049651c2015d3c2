"""Differences between the LiteLLM releases we support, decided once at import.

Measured in shared/reference/litellm_extension_points.md §3a: from 1.89.0 LiteLLM's outer stream wrapper
passes ``ModelResponseStream`` chunks from custom providers through; before it, a custom provider must
yield ``GenericStreamingChunk`` dicts.
"""

from __future__ import annotations

import re
from importlib.metadata import version
from typing import Final


def _release(text: str) -> tuple[int, ...]:
    """``"1.89.0rc2"`` → ``(1, 89, 0)``: the leading digits of each of the first three parts."""
    parts: list[int] = []
    for piece in text.split(".")[:3]:
        digits = re.match(r"\d*", piece)
        parts.append(int(digits.group() or 0) if digits else 0)
    return tuple(parts)


LITELLM_VERSION: Final = version("litellm")
STREAM_PASSTHROUGH: Final = _release(LITELLM_VERSION) >= (1, 89, 0)
"""True when LiteLLM accepts ``ModelResponseStream`` chunks from a custom provider as they are."""
