"""The emulated request queue's bookkeeping: jobs whose status is a function of the clock, uploads, media.

Which model does what (documented for tests and the demo):

* every image/video/audio model in the catalog walks ``created → queued → dispatched → processing →
  success``, one status per :attr:`QueueStore.step` seconds of the state's :class:`Clock`;
* ``seedream-5.0-lite`` answers ``success`` with its outcome inside the submit response (synchronous);
* ``Flux2-Klein`` and ``Z-Image`` stay ``queued`` forever with ``updated_at == created_at`` (dead ids);
* ``Kling-Text2Video-V2.1-Master`` / ``Kling-Image2Video-V2.1-Master`` answer the legacy flat
  ``outcome.video_url`` shape; every other model answers ``outcome.media_urls[{id, url}]``;
* any job whose payload has ``"prompt": "fail"`` ends ``failed`` with ``outcome.error``.
"""

from __future__ import annotations

import io
import struct
import threading
import uuid
import wave
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from litellm_gmi.constants import DEFAULT_QUEUE_API_BASE
from litellm_gmi.testing.state import EmulatorState

QUEUE_PATH = urlsplit(DEFAULT_QUEUE_API_BASE).path
STORAGE_PATH = "/emulator-storage"
"""Artifacts, signed upload targets and public upload URLs, all on the emulator itself."""

SYNC_MODELS = frozenset({"seedream-5.0-lite"})
STUCK_MODELS = frozenset({"Flux2-Klein", "Z-Image"})
LEGACY_MODELS = frozenset({"Kling-Text2Video-V2.1-Master", "Kling-Image2Video-V2.1-Master"})
FAIL_PROMPT = "fail"
FAILURE_REASON = "Generation failed (emulated): the prompt was rejected by the content policy"
PROGRESSION = ("created", "queued", "dispatched", "processing")
DEFAULT_STEP = 0.2
_EXTENSIONS = {"image": "png", "video": "mp4", "audio": "wav"}
_FALLBACK_MODES = {"seedream-5.0-lite": "image", "Flux2-Klein": "image", "Z-Image": "image", "Veo3": "video"}


def _png() -> bytes:
    """A valid 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x10\x80\xf0")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _mp4() -> bytes:
    """An ``ftyp`` box and a small ``mdat``: enough for ``file`` to call it MP4."""
    ftyp = b"ftypisom" + struct.pack(">I", 512) + b"isomiso2avc1mp41"
    mdat = b"mdat" + bytes(range(64))
    return struct.pack(">I", len(ftyp) + 4) + ftyp + struct.pack(">I", len(mdat) + 4) + mdat


def _wav() -> bytes:
    """A tenth of a second of 8 kHz silence."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 800)
    return buffer.getvalue()


MEDIA: Mapping[str, tuple[str, bytes]] = {
    "png": ("image/png", _png()),
    "mp4": ("video/mp4", _mp4()),
    "wav": ("audio/wav", _wav()),
}
"""Fake artifact bytes by extension, fixed so downloads are deterministic."""


@dataclass
class Job:
    """One submitted request; its status is computed from the clock, never stored."""

    request_id: str
    model: str
    mode: str
    payload: dict[str, Any]
    created: float
    cancelled_at: float | None = None

    @property
    def fails(self) -> bool:
        return self.payload.get("prompt") == FAIL_PROMPT

    def status(self, now: float, step: float) -> tuple[str, float]:
        """``(status, time it was entered)``."""
        if self.model in SYNC_MODELS:
            return ("failed" if self.fails else "success"), self.created
        if self.cancelled_at is not None and self.cancelled_at <= now:
            return "cancelled", self.cancelled_at
        if self.model in STUCK_MODELS:
            return "queued", self.created
        index = int(max(now - self.created, 0.0) / step)
        if index < len(PROGRESSION):
            return PROGRESSION[index], self.created + index * step
        return ("failed" if self.fails else "success"), self.created + len(PROGRESSION) * step

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
        elif status == "failed":
            record["outcome"] = {"error": FAILURE_REASON}
        elif status == "cancelled":
            record["reason"] = "cancelled by the user"
        return record

    def _outcome(self, origin: str) -> dict[str, Any]:
        ext = _EXTENSIONS.get(self.mode, "png")
        base = f"{origin}{STORAGE_PATH}/artifacts/{self.request_id}"
        thumbnail = f"{base}/thumbnail.png"
        if self.model in LEGACY_MODELS:
            return {"video_url": f"{base}/sample_0.{ext}", "thumbnail_image_url": f"{base}/sample_0.{ext}"}
        count = _image_count(self.payload) if self.mode == "image" else 1
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

    def add(self, model: str, mode: str, payload: dict[str, Any], now: float) -> Job:
        job = Job(str(uuid.uuid4()), model, mode, payload, now)
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


def queue_store(state: EmulatorState) -> QueueStore:
    """The state's queue store, created on first use (tests use it to change :attr:`QueueStore.step`)."""
    store = state.extensions.get("queue")
    if not isinstance(store, QueueStore):
        store = state.extensions["queue"] = QueueStore()
    return store


def media_models(state: EmulatorState) -> dict[str, str]:
    """Queue model id → mode (image/video/audio): the catalog's media rows plus the special ids above."""
    models = dict(_FALLBACK_MODES)
    for model_id, entry in state.catalog_entries().items():
        mode = entry.get("mode")
        if mode in _EXTENSIONS:
            models[model_id] = str(mode)
    return models
