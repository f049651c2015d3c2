"""Fault switching: which of the next chat requests fail, and how.

A fault is armed with :meth:`FaultBook.add` (``GMIEmulator.inject``) and used up by the next ``times``
matching requests, or requested per call with the ``X-GMI-Emulator-Fault`` header so that tests going
through a proxy can still steer one specific request.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal, cast, get_args

FaultKind = Literal[
    "rate_limit", "server_error", "unavailable", "delay", "drop_stream", "stream_error", "malformed"
]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)
FAULT_HEADER = "X-GMI-Emulator-Fault"


@dataclass(frozen=True)
class Fault:
    """How one request misbehaves; see the emulator's docs for what each ``kind`` does on the wire."""

    kind: FaultKind
    times: int = 1
    model: str | None = None
    retry_after: float | None = None
    delay: float = 0.0
    after_chunks: int = 3

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {', '.join(FAULT_KINDS)}")
        if self.times < 1 or self.after_chunks < 0 or self.delay < 0:
            raise ValueError("times must be >= 1, after_chunks and delay >= 0")


@dataclass
class _Armed:
    fault: Fault
    left: int


class FaultBook:
    """Armed faults, first armed first used; the lock is held only for the bookkeeping."""

    def __init__(self) -> None:
        self._armed: list[_Armed] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        """Arm ``fault`` for its next ``fault.times`` matching requests."""
        with self._lock:
            self._armed.append(_Armed(fault, fault.times))

    def clear(self) -> None:
        """Disarm everything."""
        with self._lock:
            self._armed.clear()

    def take(self, model: str | None) -> Fault | None:
        """Use up one application of the first fault that matches ``model``, if any."""
        with self._lock:
            for slot in self._armed:
                if slot.fault.model is None or slot.fault.model == model:
                    slot.left -= 1
                    if slot.left <= 0:
                        self._armed.remove(slot)
                    return slot.fault
        return None

    def pending(self) -> int:
        """How many fault applications are still armed (handy in assertions)."""
        with self._lock:
            return sum(slot.left for slot in self._armed)


def parse_fault_header(value: str) -> Fault:
    """Read ``<kind>[;retry_after=N][;delay=S][;after_chunks=N]``; raise ``ValueError`` if malformed."""
    kind, *options = (part.strip() for part in value.split(";"))
    retry_after: float | None = None
    delay = 0.0
    after_chunks = 3
    for option in filter(None, options):
        name, sep, raw = option.partition("=")
        if not sep:
            raise ValueError(f"fault option {option!r} has no value")
        if name == "retry_after":
            retry_after = float(raw)
        elif name == "delay":
            delay = float(raw)
        elif name == "after_chunks":
            after_chunks = int(raw)
        else:
            raise ValueError(f"unknown fault option {name!r}")
    if kind not in FAULT_KINDS:
        raise ValueError(f"unknown fault kind {kind!r}")
    return Fault(cast(FaultKind, kind), retry_after=retry_after, delay=delay, after_chunks=after_chunks)
