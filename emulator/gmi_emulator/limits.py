"""Limits and paths GMI documents, written down here from the docs, not taken from any client.

Each value names the public source it comes from: the "LLM API reference" is
docs.gmicloud.ai/inference-engine/api-reference/llm-api-reference, the "video API reference" (the request
queue) is docs.gmicloud.ai/inference-engine/api-reference/video-api-reference; client code is named by its
public repository.
"""

from __future__ import annotations

from typing import Final

CHAT_PATH: Final = "/v1"
"""``https://api.gmi-serving.com/v1`` (LLM API reference, "List Models", "Create Chat Completion")."""

QUEUE_PATH: Final = "/api/v1/ie/requestqueue/apikey"
"""``https://console.gmicloud.ai/api/v1/ie/requestqueue/apikey`` (video API reference)."""

MAX_STOP_SEQUENCES: Final = 4
"""``stop``: "Up to 4 stop sequences" (LLM API reference, Parameters table)."""

TOP_K_RANGE: Final = (1, 128)
"""``top_k``: "Top-k sampling (1-128)" (LLM API reference). GMI's own AI-SDK provider calls ``top_k``
unsupported (GMISWE/ai-sdk-provider-gmicloud, [C]); the emulator follows the API reference and accepts it."""

CONTEXT_BEHAVIORS: Final = ("truncate", "error")
"""``context_length_exceeded_behavior``: "truncate" (default) or "error" (LLM API reference)."""

DEFAULT_CONTEXT_BEHAVIOR: Final = "truncate"
""""Default context handling ... truncates instead of erroring" (LLM API reference, Important Notes 3)."""

# The API reference's table also says ``max_tokens`` is "Max output tokens (1-128)" with a default of 2000,
# which contradicts itself; live reports show a per-model ceiling instead ("the valid range of max_tokens is
# [1, 393216]", recorded in Vercel's AI SDK GMI provider tests, vercel/ai ``packages/gmicloud``). The emulator
# enforces the per-model ceiling from its model table and does not apply the documented 128.
MAX_TOKENS_MESSAGE: Final = "Invalid max_tokens value, the valid range of max_tokens is [1, {upper}]"
"""Wording of the out-of-range 400 (the message recorded in vercel/ai ``packages/gmicloud``'s tests)."""

UPLOAD_FILE_TYPES: Final = {
    "png": "image",
    "jpeg": "image",
    "jpg": "image",
    "mp4": "video",
    "mp3": "audio",
    "wav": "audio",
}
"""``file_type`` values the upload grant accepts, with the category of the signed content type
``<category>/<ext>`` (video API reference, "Upload API"; GMISWE/picture_compose ``app.py``)."""

TERMINAL_STATUSES: Final = ("success", "failed", "cancelled")
"""Terminal request-queue statuses (GMI's python-sdk, GMISWE/python-sdk ``_enums.py`` ``RequestStatus``)."""
