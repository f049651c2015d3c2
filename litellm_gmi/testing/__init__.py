"""A local GMI Cloud for tests, the demo and the benchmarks: ``with GMIEmulator() as emu: ...``."""

from __future__ import annotations

from litellm_gmi.testing.app import create_app
from litellm_gmi.testing.emulator import GMIEmulator
from litellm_gmi.testing.fake_time import FakeTime
from litellm_gmi.testing.faults import Fault
from litellm_gmi.testing.state import EmulatorState, RecordedRequest

__all__ = ["EmulatorState", "FakeTime", "Fault", "GMIEmulator", "RecordedRequest", "create_app"]
