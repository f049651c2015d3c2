"""``litellm_gmi.video_generation`` and friends: LiteLLM's video API shape, on GMI's request queue.

Two front doors, one implementation. Where LiteLLM lets a custom provider serve video (1.108.7 and
1.110.2, not 1.109.3: :mod:`litellm_gmi.videos.route`), ``litellm.video_generation(model="gmi/Veo3")``,
``video_status``, ``video_content`` and the proxy's ``/v1/videos`` reach GMI through
:class:`~litellm_gmi.videos.transformation.GMIVideoConfig`. These functions work on every supported release
(on older ones LiteLLM's own refuse ``gmi/`` and point here), and add ``wait=True``. Both build the payload
with :func:`prepare` / :meth:`VideoJob.payload`, read answers with :func:`to_video` and
:func:`content_url`, and send through :class:`~litellm_gmi.media.protocol.QueueProtocol`'s calls.

``video_id`` is GMI's ``request_id``. Statuses map to OpenAI's: created/queued/dispatched → ``queued``,
processing → ``in_progress``, success → ``completed``, failed/cancelled → ``failed`` (GMI's own status is
kept in ``_hidden_params["gmi_status"]``). ``video_generation(..., wait=True)`` blocks until the job ends.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from litellm.exceptions import BadRequestError, NotFoundError
from litellm.types.videos.main import VideoObject

from litellm_gmi.constants import DEFAULT_WAIT_TIMEOUT, PROVIDER
from litellm_gmi.media.faces import Connection, Plan, acalling, calling
from litellm_gmi.media.inputs import classify, local_paths_allowed
from litellm_gmi.media.pricing import media_cost
from litellm_gmi.media.records import QueueRequest, RequestStatus
from litellm_gmi.media.steps import Steps, op
from litellm_gmi.media.video_params import video_payload

_OPENAI_STATUS = {
    RequestStatus.CREATED: "queued",
    RequestStatus.QUEUED: "queued",
    RequestStatus.DISPATCHED: "queued",
    RequestStatus.PROCESSING: "in_progress",
    RequestStatus.SUCCESS: "completed",
    RequestStatus.FAILED: "failed",
    RequestStatus.CANCELLED: "failed",
}
_PROGRESS = {RequestStatus.DISPATCHED: 10, RequestStatus.PROCESSING: 50, RequestStatus.SUCCESS: 100}
_WAIT_KEYS = ("poll_interval", "max_poll_interval")
_NOT_PAYLOAD = frozenset(
    {"litellm_logging_obj", "litellm_call_id", "metadata", "mock_response", "client", "proxy_server_request"}
)


@dataclass(frozen=True)
class VideoJob:
    """A video request decided before any I/O; ``reference`` may still need uploading."""

    model: str
    prompt: str
    seconds: Any
    size: str | None
    extra: dict[str, Any]
    reference: Any
    wait: dict[str, Any] | None
    local_paths: bool = False
    """Whether a non-URL string ``reference`` may be read as a local path (never for a proxied call)."""

    def reference_input(self) -> str | tuple[bytes, str] | None:
        """The reference as a URL or bytes to upload, checked before any network call."""
        return None if self.reference is None else classify(self.reference, local_paths=self.local_paths)

    def payload(self, reference_url: str | None) -> dict[str, Any]:
        mapped = video_payload(self.model, seconds=self.seconds, size=self.size, reference=reference_url)
        return {"prompt": self.prompt, **mapped, **self.extra}


def _gmi_model(model: str | None, custom_llm_provider: str | None) -> str:
    if custom_llm_provider not in (None, PROVIDER):
        raise ValueError(f"litellm_gmi video functions only serve provider {PROVIDER!r}")
    if not model:
        raise ValueError("model is required, e.g. model='gmi/Veo3'")
    return model.removeprefix(PROVIDER + "/")


def _no_query(extra_query: Mapping[str, object] | None) -> None:
    if extra_query:
        raise ValueError("GMI's request queue takes no query parameters; put fields in extra_body")


def prepare(
    prompt: str,
    model: str | None,
    custom_llm_provider: str | None,
    input_reference: Any,
    seconds: Any,
    size: str | None,
    timeout: Any,
    extra_query: Mapping[str, object] | None,
    extra_body: Mapping[str, object] | None,
    kwargs: dict[str, Any],
) -> VideoJob:
    """Split LiteLLM-style arguments into GMI's payload and the wait settings."""
    _no_query(extra_query)
    local_paths = local_paths_allowed(kwargs)
    wait_for = bool(kwargs.pop("wait", False))
    wait = {key: float(kwargs.pop(key)) for key in _WAIT_KEYS if kwargs.get(key) is not None}
    wait["timeout"] = float(kwargs.pop("wait_timeout", None) or timeout or DEFAULT_WAIT_TIMEOUT)
    extra = {k: v for k, v in kwargs.items() if k not in _NOT_PAYLOAD and v is not None}
    extra.update(extra_body or {})
    return VideoJob(
        model=_gmi_model(model, custom_llm_provider),
        prompt=prompt,
        seconds=seconds,
        size=size,
        extra=extra,
        reference=input_reference,
        wait=wait if wait_for else None,
        local_paths=local_paths,
    )


def to_video(record: QueueRequest, *, seconds: Any = None, size: str | None = None) -> VideoObject:
    """LiteLLM's ``VideoObject`` for a GMI record."""
    status = record.known_status
    failed = status in (RequestStatus.FAILED, RequestStatus.CANCELLED)
    video = VideoObject(
        id=record.request_id,
        object="video",
        status=_OPENAI_STATUS.get(status, "queued") if status else "queued",
        created_at=int(record.created_at) if record.created_at else int(time.time()),
        completed_at=int(record.updated_at) if record.is_terminal and record.updated_at else None,
        error={"code": record.status, "message": record.failure_reason or record.status} if failed else None,
        progress=_PROGRESS.get(status, 0) if status else None,
        seconds=None if seconds is None else f"{float(seconds):g}",
        size=size,
        model=record.model,
    )
    hidden: dict[str, Any] = {
        "gmi_request_id": record.request_id,
        "gmi_status": record.status,
        "artifact_urls": record.artifact_urls,
        "thumbnail_url": record.thumbnail_url,
        "custom_llm_provider": PROVIDER,
    }
    cost = media_cost(record.model, seconds=float(seconds) if seconds is not None else None)
    if cost is not None:
        hidden["response_cost"] = cost
    video._hidden_params = hidden
    return video


def content_url(record: QueueRequest, variant: str | None) -> str:
    """The file behind ``video_content``: the video, or with ``variant="thumbnail"`` its thumbnail."""
    if not record.succeeded:
        raise BadRequestError(
            message=f"GMI video {record.request_id} is {record.status}; content exists once it completes",
            model=record.model,
            llm_provider=PROVIDER,
        )
    url = record.thumbnail_url if variant == "thumbnail" else next(iter(record.artifact_urls), None)
    if url is None:
        raise NotFoundError(
            message=f"GMI video {record.request_id} has no {variant or 'video'} URL",
            model=record.model,
            llm_provider=PROVIDER,
        )
    return url


# ------------------------------------------------------ cores (the sync and async faces are below) ---
def _generation(
    prompt: str,
    model: str | None = None,
    input_reference: Any = None,
    seconds: str | None = None,
    size: str | None = None,
    user: str | None = None,
    timeout: float = 600,
    custom_llm_provider: str | None = None,
    extra_headers: dict[str, object] | None = None,
    extra_query: dict[str, object] | None = None,
    extra_body: dict[str, object] | None = None,
    **kwargs: Any,
) -> Plan[VideoObject]:
    """Submit a video job (``model="gmi/Veo3"``); returns at once unless ``wait=True``.

    ``input_reference`` may be a URL or a file (uploaded first); other keyword arguments are payload
    fields. ``user`` is accepted for LiteLLM compatibility and not sent (GMI has no such field).
    """
    conn = Connection.of(kwargs, extra_headers, timeout)
    job = prepare(
        prompt,
        model,
        custom_llm_provider,
        input_reference,
        seconds,
        size,
        timeout,
        extra_query,
        extra_body,
        kwargs,
    )
    return Plan(conn, _generate(job, job.reference_input(), seconds, size))


def _generate(
    job: VideoJob, ref: str | tuple[bytes, str] | None, seconds: Any, size: str | None
) -> Steps[VideoObject]:
    url = ref if isinstance(ref, str) or ref is None else (yield op("upload", *ref))
    record = yield op("submit", job.model, job.payload(url))
    if job.wait is not None:
        record = yield op("wait", record, **job.wait)
    return to_video(record, seconds=seconds, size=size)


def _status(
    video_id: str,
    timeout: float = 600,
    custom_llm_provider: str | None = None,
    extra_headers: dict[str, object] | None = None,
    extra_query: dict[str, object] | None = None,
    extra_body: dict[str, object] | None = None,
    **kwargs: Any,
) -> Plan[VideoObject]:
    """The job's current state as a ``VideoObject``."""
    _gmi_model("gmi", custom_llm_provider)
    _no_query(extra_query)
    return Plan(Connection.of(kwargs, extra_headers, timeout), _read_status(video_id))


def _read_status(video_id: str) -> Steps[VideoObject]:
    return to_video((yield op("status", video_id)))


def _content(
    video_id: str,
    timeout: float | None = None,
    custom_llm_provider: str | None = None,
    variant: str | None = None,
    extra_headers: dict[str, object] | None = None,
    extra_query: dict[str, object] | None = None,
    extra_body: dict[str, object] | None = None,
    **kwargs: Any,
) -> Plan[bytes]:
    """The finished video's bytes (``variant="thumbnail"`` for the thumbnail): ``BadRequestError`` until
    the job has completed, ``NotFoundError`` when it has no such file."""
    _gmi_model("gmi", custom_llm_provider)
    _no_query(extra_query)
    return Plan(Connection.of(kwargs, extra_headers, timeout), _read_content(video_id, variant))


def _read_content(video_id: str, variant: str | None) -> Steps[bytes]:
    record = yield op("status", video_id)
    return (yield op("fetch", content_url(record, variant)))  # type: ignore[no-any-return]


# ------------------------------------------------------------------------------------ the faces ---
video_generation = calling(_generation, "video_generation")
video_status = calling(_status, "video_status")
video_content = calling(_content, "video_content")
avideo_generation = acalling(_generation, "avideo_generation")
avideo_status = acalling(_status, "avideo_status")
avideo_content = acalling(_content, "avideo_content")
