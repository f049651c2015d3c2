"""``litellm-gmi emulator`` option parsing (the server itself is covered by test_emulator.py)."""

from __future__ import annotations

import argparse

import pytest

from litellm_gmi.cli.emulator import _context_limit


def test_context_limit_parses_model_and_tokens() -> None:
    assert _context_limit("zai-org/GLM-4.7-FP8=256") == ("zai-org/GLM-4.7-FP8", 256)


@pytest.mark.parametrize("text", ["no-equals", "=12", "model=", "model=12k"])
def test_context_limit_rejects_malformed_values(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="MODEL=TOKENS"):
        _context_limit(text)
