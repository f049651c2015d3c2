"""Names and defaults that GMI Cloud documents, written down once.

Everything a user can override lives here so that the chat config, the request-queue client, the CLI
and the emulator agree on it.
"""

from __future__ import annotations

from typing import Final

PROVIDER: Final = "gmi"
"""The LiteLLM model prefix this package owns: ``gmi/<org>/<model>``."""

DEFAULT_API_BASE: Final = "https://api.gmi-serving.com/v1"
DEFAULT_QUEUE_API_BASE: Final = "https://console.gmicloud.ai/api/v1/ie/requestqueue/apikey"

API_BASE_ENV: Final = "GMI_API_BASE"
QUEUE_API_BASE_ENV: Final = "GMI_QUEUE_API_BASE"
ORG_ID_ENV: Final = "GMI_ORG_ID"
ORG_ID_HEADER: Final = "X-Organization-ID"
ORG_ID_KWARG: Final = "org_id"
"""``completion(..., org_id="...")`` sends ``X-Organization-ID``; LiteLLM drops its own ``organization``
argument before a custom provider sees it."""

API_KEY_ENVS: Final = (
    "GMI_API_KEY",  # GMI docs, LiteLLM's built-in row, any-llm, OpenClaw, Hermes
    "GMI_CLOUD_APIKEY",  # both AI-SDK providers
    "GMICLOUD_API_KEY",  # models.dev, pi
    "GMI_CLOUD_API_KEY",  # several apps
    "GMI_MAAS_API_KEY",  # AgentBox, GMI's app host
)
"""Key variables in the order they are tried: GMI's docs' name, then the names public integrations
read (each line names them; AgentBox's per GMISWE/picture_compose's README)."""

MAX_STOP_SEQUENCES: Final = 4
TOP_K_RANGE: Final = (1, 128)
CONTEXT_BEHAVIORS: Final = ("truncate", "error")

DEFAULT_POLL_INTERVAL: Final = 2.0
"""Seconds between request-queue status polls at first (the client backs off from there)."""
DEFAULT_WAIT_TIMEOUT: Final = 600.0
"""Seconds a request-queue wait lasts before :class:`litellm_gmi.media.QueueTimeoutError`."""
