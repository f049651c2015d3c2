"""The ``gmi-emulator`` command line: option parsing and the module entry point."""

from __future__ import annotations

import argparse

import pytest

from gmi_emulator.cli import _context_limit, parser


def test_context_limit_parses_model_and_tokens() -> None:
    assert _context_limit("zai-org/GLM-4.7-FP8=256") == ("zai-org/GLM-4.7-FP8", 256)


@pytest.mark.parametrize("text", ["no-equals", "=12", "model=", "model=12k"])
def test_context_limit_rejects_malformed_values(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="MODEL=TOKENS"):
        _context_limit(text)


def test_defaults_and_repeated_limits() -> None:
    args = parser().parse_args(["--context-limit", "a/b=1", "--context-limit", "c/d=2"])
    assert (args.host, args.port, args.latency) == ("127.0.0.1", 8765, 0.0)
    assert dict(args.context_limit) == {"a/b": 1, "c/d": 2}
