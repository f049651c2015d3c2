"""Differences between the LiteLLM releases we support, decided once at import.

Measured by this project, bisecting LiteLLM releases (without it: 1.81.1 to 1.88.0; with it: 1.89.0 on):
from 1.89.0 LiteLLM's outer stream wrapper (``CustomStreamWrapper`` in
litellm/litellm_core_utils/streaming_handler.py) passes ``ModelResponseStream`` chunks from custom
providers through; before it, a custom provider must yield ``GenericStreamingChunk`` dicts.
tests/litellm_seams/test_compat.py pins the switch.

The version comes from PRIVATE ``litellm._version.version``, which ``import litellm`` has already computed
on every supported release; asking ``importlib.metadata`` again cost 7-11 ms of ``import litellm_gmi``.
tests/litellm_seams/test_compat.py pins that the two agree.

Checked at registration (:mod:`.registry`, ``litellm._version.version``): where it is gone the
version comes from ``importlib.metadata`` instead, so nothing breaks. Needed on 1.81.1 through 1.110.2.
"""

from __future__ import annotations

import contextlib
import re
from typing import Final


def _release(text: str) -> tuple[int, ...]:
    """``"1.89.0rc2"`` → ``(1, 89, 0)``: the leading digits of each of the first three parts."""
    parts: list[int] = []
    for piece in text.split(".")[:3]:
        digits = re.match(r"\d*", piece)
        parts.append(int(digits.group() or 0) if digits else 0)
    return tuple(parts)


def _litellm_version() -> str:
    version: object = None
    # A LiteLLM that moved it falls through to the slow public way below.
    with contextlib.suppress(ImportError):
        from litellm._version import version  # PRIVATE: set by ``import litellm`` itself
    if not isinstance(version, str) or version == "unknown":
        from importlib.metadata import version as metadata_version

        return metadata_version("litellm")
    return version


LITELLM_VERSION: Final = _litellm_version()
STREAM_PASSTHROUGH: Final = _release(LITELLM_VERSION) >= (1, 89, 0)
"""True when LiteLLM accepts ``ModelResponseStream`` chunks from a custom provider as they are."""
