"""Simulated time for request-queue tests: a client's sleeps move the emulator's job clock instead.

Pass ``sleep=fake.sleep`` (or ``fake.asleep``) and ``clock=fake.clock`` to a queue client; a wait then
makes exactly the polls it would make in real time, in no time, which also keeps cassettes replayable.
"""

from __future__ import annotations

from gmi_emulator.server import GMIEmulator


class FakeTime:
    """A clock that only moves when the client sleeps, dragging the emulator's clock along."""

    def __init__(self, emulator: GMIEmulator, start: float = 1000.0) -> None:
        self.now = start
        self.emulator = emulator
        self.sleeps: list[float] = []

    def clock(self) -> float:
        """The simulated time, in seconds."""
        return self.now

    def sleep(self, seconds: float) -> None:
        """Advance both clocks by ``seconds`` and remember the request."""
        self.sleeps.append(seconds)
        self.now += seconds
        self.emulator.state.clock.advance(seconds)

    async def asleep(self, seconds: float) -> None:
        """Async twin of :meth:`sleep`."""
        self.sleep(seconds)
