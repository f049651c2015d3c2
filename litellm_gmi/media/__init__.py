"""GMI's request queue (image, video and audio generation, uploads) for LiteLLM users.

* :class:`RequestQueueClient` / :class:`AsyncRequestQueueClient`: submit, wait, cancel, upload, download.
* ``litellm.image_generation(model="gmi/<image model>")`` and ``litellm.image_edit`` go through
  :class:`~litellm_gmi.provider.GMIProvider` (see :mod:`litellm_gmi.media.images`).
* :func:`video_generation`, :func:`video_status`, :func:`video_content` and their async twins mirror
  LiteLLM's video API on every supported release; where LiteLLM has the hook ``litellm.video_generation``
  reaches GMI too (:mod:`litellm_gmi.videos.transformation`), through the same code
  (:mod:`litellm_gmi.media.video`).
"""

from __future__ import annotations

from litellm_gmi.media.errors import (
    QueueStuckError,
    QueueTimeoutError,
    RequestCancelledError,
    RequestFailedError,
    SubmitUncertainError,
)
from litellm_gmi.media.queue_client import AsyncRequestQueueClient, RequestQueueClient
from litellm_gmi.media.records import (
    TERMINAL_STATUSES,
    QueueRequest,
    RequestStatus,
    artifact_urls,
    failure_reason,
)
from litellm_gmi.media.video import (
    avideo_content,
    avideo_generation,
    avideo_status,
    video_content,
    video_generation,
    video_status,
)

__all__ = [
    "TERMINAL_STATUSES",
    "AsyncRequestQueueClient",
    "QueueRequest",
    "QueueStuckError",
    "QueueTimeoutError",
    "RequestCancelledError",
    "RequestFailedError",
    "RequestQueueClient",
    "RequestStatus",
    "SubmitUncertainError",
    "artifact_urls",
    "avideo_content",
    "avideo_generation",
    "avideo_status",
    "failure_reason",
    "video_content",
    "video_generation",
    "video_status",
]
