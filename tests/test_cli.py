"""The ``litellm-gmi`` dispatcher: known subcommands load their module, anything else is a usage error."""

from __future__ import annotations

import pytest

from litellm_gmi.cli import _SUBCOMMANDS, main


def test_unknown_subcommand_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_every_subcommand_module_has_a_run_function() -> None:
    import importlib

    for module_name, _ in _SUBCOMMANDS.values():
        assert callable(importlib.import_module(module_name).run)
