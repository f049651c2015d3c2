"""``litellm-gmi`` command line: one subcommand module per job, loaded only when it is asked for."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

_SUBCOMMANDS = {
    "models": ("litellm_gmi.cli.models", "List GMI's live models and diff them against the catalog."),
    "media": ("litellm_gmi.cli.media", "Submit, watch and fetch request-queue jobs (video, image, audio)."),
    "emulator": ("litellm_gmi.cli.emulator", "Run the local GMI emulator on 127.0.0.1."),
    "demo": ("litellm_gmi.cli.demo", "Plain, streamed and tool calls plus a cost lookup, live or emulated."),
    "proxy-config": ("litellm_gmi.cli.proxy_config", "Print a proxy model_list for every catalog model."),
    "doctor": (
        "litellm_gmi.cli.doctor",
        "Check the LiteLLM internals this package relies on.",
    ),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``litellm-gmi`` script; returns the process exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="litellm-gmi", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (_, help_text) in _SUBCOMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    if not args or args[0] not in _SUBCOMMANDS:
        parser.parse_args(args)  # prints usage and exits 2
        return 2
    module = importlib.import_module(_SUBCOMMANDS[args[0]][0])
    run: object = module.run
    assert callable(run)
    result = run(args[1:])
    return int(result)
