"""Limits and paths GMI documents, written down here from the docs, not taken from any client.

Each value names the reference it comes from (files in the litellm_gmi repo's ``shared/reference``:
``gmi-llm-api.md``, ``gmi-request-queue-api.md``, ``gmi_api_facts.md``, ``catalog_sources.md``).
"""

from __future__ import annotations

from typing import Final

CHAT_PATH: Final = "/v1"
"""``https://api.gmi-serving.com/v1`` (gmi-llm-api.md "List Models", "Create Chat Completion")."""

QUEUE_PATH: Final = "/api/v1/ie/requestqueue/apikey"
"""``https://console.gmicloud.ai/api/v1/ie/requestqueue/apikey`` (gmi-request-queue-api.md; facts §3.1)."""

MAX_STOP_SEQUENCES: Final = 4
"""``stop``: "Up to 4 stop sequences" (gmi-llm-api.md, Parameters table)."""

TOP_K_RANGE: Final = (1, 128)
"""``top_k``: "Top-k sampling (1-128)" (gmi-llm-api.md). GMI's own AI-SDK provider calls ``top_k``
unsupported (facts §1.3, [C]); the emulator follows the API reference and accepts it."""

CONTEXT_BEHAVIORS: Final = ("truncate", "error")
"""``context_length_exceeded_behavior``: "truncate" (default) or "error" (gmi-llm-api.md)."""

DEFAULT_CONTEXT_BEHAVIOR: Final = "truncate"
""""Default context handling ... truncates instead of erroring" (gmi-llm-api.md, Important Notes 3)."""

# The API reference's table also says ``max_tokens`` is "Max output tokens (1-128)" with a default of
# 2000, which contradicts itself; live reports show a per-model ceiling instead ("the valid range of
# max_tokens is [1, 393216]", facts §1.3 and §1.7). The emulator enforces the per-model ceiling from
# its model table and does not apply the documented 128.
MAX_TOKENS_MESSAGE: Final = "Invalid max_tokens value, the valid range of max_tokens is [1, {upper}]"
"""Wording of the out-of-range 400 (facts §1.7, from VERCEL-AISDK's recorded message)."""

UPLOAD_FILE_TYPES: Final = {
    "png": "image",
    "jpeg": "image",
    "jpg": "image",
    "mp4": "video",
    "mp3": "audio",
    "wav": "audio",
}
"""``file_type`` values the upload grant accepts, with the category of the signed content type
``<category>/<ext>`` (gmi-request-queue-api.md "Upload API"; facts §3.6)."""

TERMINAL_STATUSES: Final = ("success", "failed", "cancelled")
"""Terminal request-queue statuses (facts §3.3, GMI's python-sdk enum)."""
