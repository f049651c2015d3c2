"""``SleepRecorder``: what retry code waited, without waiting it (the ``sleeps`` fixture in conftest.py).

Shared by tests/test_faults.py (against the emulator) and tests/test_retries.py (against the fault
server); imported by its bare name, like ``fault_server``.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any


class SleepRecorder:
    """Stands in for ``time.sleep``/``asyncio.sleep``: records each delay, skips the long ones."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self._sync = time.sleep
        self._async = asyncio.sleep

    def sync(self, seconds: float) -> None:
        self.delays.append(float(seconds))
        self._sync(min(float(seconds), 0.01))

    async def asleep(self, seconds: float, result: Any = None) -> Any:
        self.delays.append(float(seconds))
        return await self._async(min(float(seconds), 0.01), result)

    def asked_for(self, seconds: float) -> bool:
        """Router adds up to 0.75 s of jitter to the header's value."""
        return any(seconds <= d < seconds + 1 for d in self.delays)
