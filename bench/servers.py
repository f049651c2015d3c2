"""The peer the bench talks to, in its own process so that it never competes for the client's GIL."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_URL = re.compile(r"(http://127\.0\.0\.1:\d+)")
COMMANDS = {
    "emulator": [sys.executable, "-m", "gmi_emulator", "--port", "0"],
    "loopback": [sys.executable, "-m", "bench.loopback", "0"],
}


@contextmanager
def serve(kind: str) -> Iterator[str]:
    """Start the ``emulator`` or the minimal ``loopback`` server; yield its chat base URL (``.../v1``)."""
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        COMMANDS[kind], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        match = None
        while match is None:
            line = process.stdout.readline()
            if not line:
                raise RuntimeError(f"the {kind} server exited before listening")
            match = _URL.search(line)
        yield match.group(1) + "/v1"
    finally:
        process.terminate()
        process.wait(10)
