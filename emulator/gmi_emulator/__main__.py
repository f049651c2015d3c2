"""``python -m gmi_emulator --port 8765``: the same server as the ``gmi-emulator`` script."""

from __future__ import annotations

from gmi_emulator.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
