"""GMI Cloud as a first-class LiteLLM provider.

``import litellm_gmi`` is all it takes: ``litellm.completion("gmi/<org>/<model>", ...)`` then runs through
this package (parameter mapping, typed errors, reasoning, costs from the shipped catalog and the user's
refreshed overlay, see :func:`refresh_models`). Set ``LITELLM_GMI_AUTO_REGISTER=0`` to import without
registering, and call :func:`register` yourself.

The request-queue names below (``video_generation``, ``RequestQueueClient``, ...) load
:mod:`litellm_gmi.media` on first use, so chat-only users never pay for it.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

from litellm_gmi._version import __version__
from litellm_gmi.handler import GMIProvider, gmi_provider
from litellm_gmi.refresh import RefreshError, RefreshResult, refresh_models, start_refresh_on_start
from litellm_gmi.registration import builtin_row_active, register, unregister

_MEDIA_NAMES = frozenset(
    {
        "AsyncRequestQueueClient",
        "QueueStuckError",
        "QueueTimeoutError",
        "RequestCancelledError",
        "RequestFailedError",
        "RequestQueueClient",
        "avideo_content",
        "avideo_generation",
        "avideo_status",
        "video_content",
        "video_generation",
        "video_status",
    }
)

__all__ = [
    "AsyncRequestQueueClient",
    "GMIProvider",
    "QueueStuckError",
    "QueueTimeoutError",
    "RefreshError",
    "RefreshResult",
    "RequestCancelledError",
    "RequestFailedError",
    "RequestQueueClient",
    "__version__",
    "avideo_content",
    "avideo_generation",
    "avideo_status",
    "builtin_row_active",
    "gmi_provider",
    "refresh_models",
    "register",
    "unregister",
    "video_content",
    "video_generation",
    "video_status",
]


def __getattr__(name: str) -> Any:
    if name in _MEDIA_NAMES:
        return getattr(importlib.import_module("litellm_gmi.media"), name)
    raise AttributeError(f"module 'litellm_gmi' has no attribute {name!r}")


if os.environ.get("LITELLM_GMI_AUTO_REGISTER", "1") != "0":
    register()
    start_refresh_on_start()  # opt-in (LITELLM_GMI_REFRESH_ON_START=1): a daemon thread, never blocks
