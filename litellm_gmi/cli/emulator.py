"""``litellm-gmi emulator``: the ``gmi-emulator`` server, when that separate distribution is installed.

The emulator ships apart from the client (``emulator/`` in this repository) so that it imports nothing
of it; this subcommand only forwards to it, or says in one line how to install it.
"""

from __future__ import annotations

import sys

INSTALL_HINT = (
    "the GMI emulator is not installed: run `pip install ./emulator` in a clone of litellm-gmi "
    "(it is not on PyPI)"
)


def missing(prog: str) -> int:
    """Print the one-line install hint for ``prog`` and return the exit code 1."""
    print(f"{prog}: {INSTALL_HINT}", file=sys.stderr)
    return 1


def run(argv: list[str]) -> int:
    """Serve the emulator until Ctrl-C (see ``gmi-emulator --help``)."""
    try:
        from gmi_emulator.cli import main
    except ImportError:
        return missing("litellm-gmi emulator")
    return main(argv, prog="litellm-gmi emulator")
