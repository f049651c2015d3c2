"""The peers the bench talks to, each in its own process so that it never competes for the client's GIL.

Both are the bench's own canned servers (:mod:`bench.loopback`, :mod:`bench.threaded`); the bench does not
depend on the package's GMI emulator, whose cost and behaviour are not what is being measured.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_URL = re.compile(r"(http://127\.0\.0\.1:\d+)")
SERVERS = {
    "loopback": "asyncio loopback (bench/loopback.py)",
    "threaded": "http.server.ThreadingHTTPServer (bench/threaded.py)",
}


@contextmanager
def serve(kind: str) -> Iterator[str]:
    """Start the ``loopback`` or ``threaded`` server; yield its chat base URL (``.../v1``)."""
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", f"bench.{kind}", "0"], cwd=ROOT, stdout=subprocess.PIPE, text=True
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
