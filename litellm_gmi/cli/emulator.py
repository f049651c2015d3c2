"""``litellm-gmi emulator``: serve the local GMI emulator until Ctrl-C, for the demo and manual tries."""

from __future__ import annotations

import argparse
import threading

EMULATOR_KEY = "sk-emulator"


def _context_limit(text: str) -> tuple[str, int]:
    model, _, tokens = text.rpartition("=")
    if not model or not tokens.isdigit():
        raise argparse.ArgumentTypeError(f"expected MODEL=TOKENS, got {text!r}")
    return model, int(tokens)


def run(argv: list[str]) -> int:
    """Start the emulator, print how to point a shell at it, block until interrupted."""
    parser = argparse.ArgumentParser(prog="litellm-gmi emulator", description=__doc__)
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
    args = parser.parse_args(argv)
    from litellm_gmi.testing import GMIEmulator  # after parsing: `--help` stays instant

    limits = dict(args.context_limit)
    emulator = GMIEmulator(host=args.host, port=args.port, latency=args.latency, context_limits=limits)
    emulator.start()
    print(f"GMI emulator listening on {emulator.base_url}")
    print(f"export GMI_API_BASE={emulator.chat_base} GMI_API_KEY={EMULATOR_KEY}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("stopping")
    finally:
        emulator.stop()
    return 0
