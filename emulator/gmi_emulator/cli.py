"""``gmi-emulator``: serve the GMI emulator on 127.0.0.1 until Ctrl-C; print how to point a shell at it."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence

from gmi_emulator.server import GMIEmulator

EMULATOR_KEY = "sk-emulator"
"""Any key works; this one is printed in the ``export`` line."""


def _context_limit(text: str) -> tuple[str, int]:
    model, _, tokens = text.rpartition("=")
    if not model or not tokens.isdigit():
        raise argparse.ArgumentTypeError(f"expected MODEL=TOKENS, got {text!r}")
    return model, int(tokens)


def parser(prog: str = "gmi-emulator") -> argparse.ArgumentParser:
    """The command line, shared with ``litellm-gmi emulator``."""
    parser = argparse.ArgumentParser(prog=prog, description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port to bind; 0 picks a free one")
    parser.add_argument("--latency", type=float, default=0.0, metavar="SECONDS", help="added per request")
    parser.add_argument(
        "--context-limit",
        action="append",
        default=[],
        type=_context_limit,
        metavar="MODEL=TOKENS",
        help="enforce a smaller context for MODEL, to try context errors with a short prompt (repeatable)",
    )
    return parser


def wait_forever() -> None:
    """Block until Ctrl-C (a function of its own, so tests can interrupt it)."""
    threading.Event().wait()


def main(argv: Sequence[str] | None = None, prog: str = "gmi-emulator") -> int:
    """Start the emulator, print its URLs and an ``export`` line, block until interrupted."""
    args = parser(prog).parse_args(sys.argv[1:] if argv is None else list(argv))
    emulator = GMIEmulator(
        host=args.host, port=args.port, latency=args.latency, context_limits=dict(args.context_limit)
    )
    emulator.start()
    print(f"GMI emulator listening on {emulator.base_url}")
    print(
        f"export GMI_API_BASE={emulator.chat_base} GMI_QUEUE_API_BASE={emulator.queue_base} "
        f"GMI_API_KEY={EMULATOR_KEY}",
        flush=True,
    )
    try:
        wait_forever()
    except KeyboardInterrupt:
        print("stopping")
    finally:
        emulator.stop()
    return 0
