"""``python -m litellm_gmi.testing --port 8765``: the same server as ``litellm-gmi emulator``."""

from __future__ import annotations

import sys

from litellm_gmi.cli.emulator import run

if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1:]))
