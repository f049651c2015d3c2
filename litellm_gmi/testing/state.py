"""What the emulator's route modules share: the request log, the fault book, context limits, the clock.

One :class:`EmulatorState` belongs to one server. The test thread and the server's event-loop thread
both touch it, so every mutable piece guards itself with a short lock that is never held across an
``await`` (the benchmarks drive 500 concurrent requests through it).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from typing_extensions import override

from litellm_gmi.testing.faults import FaultBook

CREATED: int = 1750000000
"""Fixed ``created`` timestamp so that the same request always gets byte-identical answers."""


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the emulator received it; ``headers`` look names up case-insensitively.

    Headers are kept as sent (``Authorization`` included) because tests check which credential and
    organisation a client used; this log lives only in the test process and is never served back.
    """

    method: str
    path: str
    headers: dict[str, str]
    json: Any | None
    query: str = ""


class Headers(dict[str, str]):
    """A plain ``dict`` whose lookups ignore case, like HTTP itself."""

    def __init__(self, items: Mapping[str, str]) -> None:
        super().__init__({k.lower(): v for k, v in items.items()})

    @override
    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    @override
    def __contains__(self, key: object) -> bool:
        return super().__contains__(key.lower() if isinstance(key, str) else key)

    @override
    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)


class RequestLog(list[RecordedRequest]):
    """The ordered list of every request; appends and clears are locked so threads never interleave."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    @override
    def append(self, item: RecordedRequest) -> None:
        with self._lock:
            super().append(item)

    @override
    def clear(self) -> None:
        with self._lock:
            super().clear()

    def snapshot(self) -> list[RecordedRequest]:
        """A copy that stays stable while the server keeps appending."""
        with self._lock:
            return list(self)


class Clock:
    """Wall-clock time that tests can fast-forward (the request queue's jobs progress with it)."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        """Seconds since the epoch, plus whatever :meth:`advance` added."""
        with self._lock:
            return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move time forward without sleeping."""
        with self._lock:
            self._offset += seconds


@dataclass
class EmulatorState:
    """Everything a route needs besides the request itself.

    ``catalog`` is loaded lazily from :func:`litellm_gmi.catalog.load_catalog`; a test may assign its own
    mapping (GMI id → catalog entry) before sending requests.
    """

    context_limits: dict[str, int] = field(default_factory=dict)
    latency: float = 0.0
    faults: FaultBook = field(default_factory=FaultBook)
    requests: RequestLog = field(default_factory=RequestLog)
    clock: Clock = field(default_factory=Clock)
    catalog: Mapping[str, Mapping[str, Any]] | None = None
    extensions: dict[str, Any] = field(default_factory=dict)
    """Free slots for route modules that need their own state (the request queue keeps its jobs here)."""

    def catalog_entries(self) -> Mapping[str, Mapping[str, Any]]:
        """The package catalog (GMI id → entry), read once per state."""
        if self.catalog is None:
            self.catalog = _load_catalog()
        return self.catalog


def _load_catalog() -> Mapping[str, Mapping[str, Any]]:
    from litellm_gmi.catalog import load_catalog  # lazily: only when a server first needs it

    entries: Mapping[str, Mapping[str, Any]] = load_catalog()
    return entries
