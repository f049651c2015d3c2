"""A local GMI Cloud for tests, demos and benchmarks: ``with GMIEmulator() as emu: ...``.

It serves GMI's chat completions and model list, embeddings, Anthropic Messages, OpenAI Responses and
the request queue on 127.0.0.1, from its own model table written from GMI's public docs. It imports
neither LiteLLM nor any GMI client, so a client tested against it cannot be agreeing with itself.
"""

from __future__ import annotations

from gmi_emulator.app import create_app
from gmi_emulator.fake_time import FakeTime
from gmi_emulator.faults import Fault
from gmi_emulator.server import GMIEmulator
from gmi_emulator.state import EmulatorState, RecordedRequest

__version__ = "0.1.0"
__all__ = [
    "EmulatorState",
    "FakeTime",
    "Fault",
    "GMIEmulator",
    "RecordedRequest",
    "__version__",
    "create_app",
]
