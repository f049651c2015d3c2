"""What a request-queue job looks like once parsed: its status, its artifacts and why it failed.

GMI's record shape has moved (GMI's 2025 video API reference, GMISWE/gmiswe.github.io, against the 2026 live
records of nrynss/thutapi and GMI's GMISWE/picture_compose): artifacts used to be flat ``outcome.video_url``
fields and are now ``outcome.media_urls[{id, url}]`` beside a ``thumbnail_image_url``, and nobody has seen a
failure body live. Parsing all of that in one place lets the clients, the LiteLLM functions and the CLI agree
on what a record means.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class RequestStatus(str, Enum):
    """The statuses GMI's own SDK enumerates."""

    CREATED = "created"
    QUEUED = "queued"
    DISPATCHED = "dispatched"
    PROCESSING = "processing"
    SUCCESS = "success"
    FAILED = "failed"
    CANCELLED = "cancelled"


TERMINAL_STATUSES = frozenset({RequestStatus.SUCCESS, RequestStatus.FAILED, RequestStatus.CANCELLED})

_ALIASES = {
    "error": RequestStatus.FAILED,
    "canceled": RequestStatus.CANCELLED,
    "running": RequestStatus.PROCESSING,
}
"""Spellings GMI's sample app tolerates defensively; mapping them keeps a poll loop from spinning forever."""

_LEGACY_URL_KEYS = ("video_url", "image_url", "audio_url", "url")
_REASON_KEYS = ("error", "reason", "message", "detail")


def parse_status(value: Any) -> RequestStatus | None:
    """The known status for ``value`` (case-insensitive), ``None`` for anything new."""
    text = str(value or "").strip().lower()
    try:
        return RequestStatus(text)
    except ValueError:
        return _ALIASES.get(text)


@dataclass(frozen=True)
class QueueRequest:
    """One job as GMI reported it; ``raw`` keeps every field, including ones this class does not name."""

    request_id: str
    model: str
    status: str
    created_at: float | None = None
    updated_at: float | None = None
    outcome: Mapping[str, Any] | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> QueueRequest:
        """Read a submit answer or a ``GET /requests/{id}`` record; ``id`` stands in for ``request_id``."""
        outcome = data.get("outcome")
        return cls(
            request_id=str(data.get("request_id") or data.get("id") or ""),
            model=str(data.get("model") or ""),
            status=str(data.get("status") or ""),
            created_at=_number(data.get("created_at")),
            updated_at=_number(data.get("updated_at")),
            outcome=outcome if isinstance(outcome, Mapping) else None,
            raw=dict(data),
        )

    @property
    def known_status(self) -> RequestStatus | None:
        """:attr:`status` as an enum member, when GMI used a value we know."""
        return parse_status(self.status)

    @property
    def is_terminal(self) -> bool:
        """No later poll can change this record."""
        return self.known_status in TERMINAL_STATUSES

    @property
    def succeeded(self) -> bool:
        return self.known_status is RequestStatus.SUCCESS

    @property
    def never_picked_up(self) -> bool:
        """Still ``queued`` and never touched: how GMI's dead model ids look ([V-live] nrynss/thutapi)."""
        return (
            self.known_status in (RequestStatus.QUEUED, RequestStatus.CREATED)
            and self.created_at is not None
            and self.updated_at == self.created_at
        )

    @property
    def artifact_urls(self) -> list[str]:
        """The generated files' URLs; see :func:`artifact_urls`."""
        return artifact_urls(self.outcome)

    @property
    def thumbnail_url(self) -> str | None:
        value = (self.outcome or {}).get("thumbnail_image_url")
        return value if isinstance(value, str) and value else None

    @property
    def failure_reason(self) -> str | None:
        """GMI's reason for a failed or cancelled job; see :func:`failure_reason`."""
        return failure_reason(self.raw)


def artifact_urls(outcome: Mapping[str, Any] | None, *, thumbnail_fallback: bool = False) -> list[str]:
    """``media_urls[].url`` by name; else the legacy flat fields; else, if asked, the thumbnail.

    Taking "the first URL in outcome" is wrong: it can be the thumbnail. ``media_urls`` entries may also
    be plain strings (genblaze keeps that fallback). The thumbnail fallback is for image jobs, where GMI
    has put the image itself there.
    """
    if not outcome:
        return []
    media = outcome.get("media_urls")
    urls: list[str] = []
    if isinstance(media, list):
        for entry in media:
            url = entry.get("url") if isinstance(entry, Mapping) else entry
            if isinstance(url, str) and url:
                urls.append(url)
    if urls:
        return urls
    legacy = [outcome[key] for key in _LEGACY_URL_KEYS if isinstance(outcome.get(key), str) and outcome[key]]
    if legacy:
        return list(dict.fromkeys(legacy))
    thumb = outcome.get("thumbnail_image_url")
    return [thumb] if thumbnail_fallback and isinstance(thumb, str) and thumb else []


def failure_reason(record: Mapping[str, Any]) -> str | None:
    """The first reason found in ``outcome.error``, ``error``, ``reason`` or ``outcome.message``.

    No failure body has been observed live, so every place GMI's sample code or other clients read
    is tried; a nested ``{"message": ...}`` is unwrapped.
    """
    outcome = record.get("outcome")
    outcome = outcome if isinstance(outcome, Mapping) else {}
    for value in (outcome.get("error"), record.get("error"), record.get("reason"), outcome.get("message")):
        text = _text(value)
        if text:
            return text
    return None


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, Mapping):
        for key in _REASON_KEYS:
            text = _text(value.get(key))
            if text:
                return text
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
