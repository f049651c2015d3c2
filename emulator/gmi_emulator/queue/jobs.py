"""The emulated request queue's bookkeeping: jobs whose status is a function of the clock, and uploads.

What each model does is in :mod:`gmi_emulator.queue.media_table`. In short:

* a job walks ``queued → dispatched → processing → success`` (GMI's python-sdk ``RequestStatus``), one status
  per :attr:`QueueStore.step` seconds of the state's clock; models whose docs show ``dispatched`` in the
  submit answer (Veo3) start there;
* ``sync`` models answer ``success`` with the outcome inside the submit answer; ``stuck`` models stay
  ``queued`` forever with ``updated_at == created_at``;
* ``legacy`` models answer the flat ``outcome.video_url`` shape, every other model
  ``outcome.media_urls[{id, url}]`` plus ``thumbnail_image_url`` ([V-live] nrynss/thutapi);
* an emulator convention, not GMI's: a payload with ``"prompt": "fail"`` ends ``failed``.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gmi_emulator.queue.media_table import MediaModel

STORAGE_PATH = "/emulator-storage"
"""Artifacts, signed upload targets and public upload URLs, all on the emulator itself."""

FAIL_PROMPT = "fail"
FAILURE_REASON = "Generation failed (emulated): the prompt was rejected by the content policy"
PROGRESSION = ("queued", "dispatched", "processing")
DEFAULT_STEP = 0.2
_EXTENSIONS = {"image": "png", "video": "mp4", "audio": "wav"}


@dataclass
class Job:
    """One submitted request; its status is computed from the clock, never stored."""

    request_id: str
    spec: MediaModel
    payload: dict[str, Any]
    created: float
    cancelled_at: float | None = None

    @property
    def model(self) -> str:
        return self.spec.id

    @property
    def fails(self) -> bool:
        return self.payload.get("prompt") == FAIL_PROMPT

    def status(self, now: float, step: float) -> tuple[str, float]:
        """``(status, time it was entered)``."""
        behaviour = self.spec.behaviour
        if behaviour == "sync":
            return ("failed" if self.fails else "success"), self.created
        if self.cancelled_at is not None and self.cancelled_at <= now:
            return "cancelled", self.cancelled_at
        if behaviour == "stuck":
            return "queued", self.created
        steps = PROGRESSION[PROGRESSION.index(self.spec.first_status) :]
        index = int(max(now - self.created, 0.0) / step)
        if index < len(steps):
            return steps[index], self.created + index * step
        return ("failed" if self.fails else "success"), self.created + len(steps) * step

    def record(self, now: float, step: float, origin: str) -> dict[str, Any]:
        """The ``GET /requests/{id}`` body at time ``now``; ``origin`` is the emulator's own URL."""
        status, since = self.status(now, step)
        record: dict[str, Any] = {
            "request_id": self.request_id,
            "org_id": "org-emulated",
            "user_id": "user-emulated",
            "model": self.model,
            "status": status,
            "is_public": False,
            "payload": self.payload,
            "outcome": None,
            "created_at": int(self.created),
            "updated_at": int(since),
            "queued_at": int(self.created),
        }
        if status == "success":
            record["outcome"] = self._outcome(origin)
        elif status == "failed" and self.spec.behaviour == "legacy":
            record["error"] = FAILURE_REASON  # [C]: genblaze-gmicloud reads a top-level error
        elif status == "failed":
            record["outcome"] = {"error": FAILURE_REASON}  # GMI's picture_compose reads outcome.error
        elif status == "cancelled":
            record["reason"] = "cancelled by the user"
        return record

    def _outcome(self, origin: str) -> dict[str, Any]:
        ext = _EXTENSIONS[self.spec.mode]
        base = f"{origin}{STORAGE_PATH}/artifacts/{self.request_id}"
        thumbnail = f"{base}/thumbnail.png"
        if self.spec.behaviour == "legacy":
            return {"video_url": f"{base}/sample_0.{ext}", "thumbnail_image_url": f"{base}/sample_0.{ext}"}
        count = _image_count(self.payload) if self.spec.mode == "image" else 1
        urls = [{"id": str(i), "url": f"{base}/sample_{i}.{ext}"} for i in range(count)]
        return {"media_urls": urls, "thumbnail_image_url": thumbnail}


def _image_count(payload: Mapping[str, Any]) -> int:
    for key in ("max_images", "number_of_images", "n"):
        value = payload.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return min(value, 4)
    return 1


@dataclass
class QueueStore:
    """Jobs and uploads of one emulator; the lock guards only dict bookkeeping."""

    step: float = DEFAULT_STEP
    """Seconds per status; tests shrink it or advance the state's clock instead of sleeping."""
    jobs: dict[str, Job] = field(default_factory=dict)
    grants: dict[str, str] = field(default_factory=dict)
    """Upload token → ``file_type`` it was granted for."""
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    """Upload token → (content type, bytes) once PUT."""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, spec: MediaModel, payload: dict[str, Any], now: float) -> Job:
        job = Job(str(uuid.uuid4()), spec, payload, now)
        with self.lock:
            self.jobs[job.request_id] = job
        return job

    def get(self, request_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(request_id)

    def all(self, model: str | None = None) -> list[Job]:
        with self.lock:
            return [job for job in self.jobs.values() if model is None or job.model == model]

    def grant(self, file_type: str) -> str:
        token = uuid.uuid4().hex
        with self.lock:
            self.grants[token] = file_type
        return token
