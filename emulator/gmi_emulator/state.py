"""What the emulator's route modules share: the request log, the fault book, context limits, the clock.

One :class:`EmulatorState` belongs to one server. The test thread and the server's event-loop thread
both touch it, so every mutable piece guards itself with a short lock that is never held across an
``await`` (the benchmarks drive 500 concurrent requests through it).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from gmi_emulator.faults import FaultBook
from gmi_emulator.queue.jobs import QueueStore

if TYPE_CHECKING:
    from typing_extensions import override
else:  # the emulator depends on aiohttp alone; typing.override exists from Python 3.12
    try:
        from typing import override
    except ImportError:  # pragma: no cover - Python 3.10/3.11

        def override(func: Callable[..., Any]) -> Callable[..., Any]:
            return func


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
    """The body parsed as JSON, ``None`` when it was empty or not JSON."""
    query: str = ""
    body: bytes = b""
    """The raw body, for uploads and anything that is not JSON."""


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


class Memory:
    """A small locked dict for state a route keeps between requests (stored responses, prompt caches)."""

    def __init__(self) -> None:
        self._items: dict[str, Any] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        with self._lock:
            return self._items.get(key)

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._items[key] = value

    def __contains__(self, key: str) -> bool:
        with self._lock:
            return key in self._items


@dataclass
class EmulatorState:
    """Everything a route needs besides the request itself.

    ``context_limits`` (model id → tokens) overrides the model table's context window, so that tests can
    provoke an overflow with a short prompt; an id that is not in the table becomes a served model.
    """

    context_limits: dict[str, int] = field(default_factory=dict)
    latency: float = 0.0
    faults: FaultBook = field(default_factory=FaultBook)
    requests: RequestLog = field(default_factory=RequestLog)
    clock: Clock = field(default_factory=Clock)
    responses: Memory = field(default_factory=Memory)
    """``/v1/responses`` answers by id, for ``previous_response_id``."""
    prompt_cache: Memory = field(default_factory=Memory)
    """``/v1/messages`` prompt prefixes marked with ``cache_control``, by hash."""
    queue: QueueStore = field(default_factory=QueueStore)
    """The request queue's jobs and uploads (tests change its ``step`` or advance :attr:`clock`)."""


STATE_KEY: web.AppKey[EmulatorState] = web.AppKey("gmi_emulator_state", EmulatorState)
"""Where every route finds the state in ``request.app``."""
