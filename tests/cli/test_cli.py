"""The ``litellm-gmi`` dispatcher: known subcommands load their module, anything else is a usage error.

``--help`` and usage errors are answered without loading LiteLLM (seconds, and three warnings when
``LITELLM_LOCAL_MODEL_COST_MAP`` is unset): checked in a subprocess that lists what it loaded at exit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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


CHEAP_CALLS = [
    (["--help"], 0),
    (["models", "--help"], 0),
    (["media", "--help"], 0),
    (["media", "submit", "--help"], 0),
    (["emulator", "--help"], 0),
    (["demo", "--help"], 0),
    (["proxy-config", "--help"], 0),
    (["frobnicate"], 2),
    (["models", "--bogus"], 2),
    (["proxy-config", "--mode", "bogus"], 2),
    (["media", "status"], 2),
]


LOADED_MARK = "loaded modules:"
WRAPPER = (
    "import atexit, json, runpy, sys\n"
    f"sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})\n"
    "from network_guard import block_network\n"
    "block_network()\n"
    "def report():\n"
    "    loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('litellm', 'litellm_gmi'))\n"
    f"    print({LOADED_MARK!r}, json.dumps(loaded), file=sys.stderr)\n"
    "atexit.register(report)\n"
    "entry = sys.argv.pop(1)\n"
    "if entry == '-m':\n"
    "    runpy.run_module(sys.argv.pop(1), run_name='__main__', alter_sys=True)\n"
    "else:\n"
    "    sys.argv[0] = entry\n"
    "    runpy.run_path(entry, run_name='__main__')\n"
)
"""Runs ``-m MODULE ARGS`` or ``SCRIPT ARGS`` offline; at exit, lists what it loaded of ours and LiteLLM's."""


def _run_cli(entry: list[str], argv: list[str]) -> tuple[int, str, set[str], list[str]]:
    """Exit code, stdout, modules of litellm/litellm_gmi loaded, and the other stderr lines of one call.

    Run as a user runs it, without LITELLM_LOCAL_MODEL_COST_MAP, so LiteLLM's warnings would show if it
    loaded (its cost-map download would be refused by the network guard).
    """
    env = {name: value for name, value in os.environ.items() if name != "LITELLM_LOCAL_MODEL_COST_MAP"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and entry point
        [sys.executable, "-c", WRAPPER, *entry, *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    *messages, report = result.stderr.splitlines()
    assert report.startswith(LOADED_MARK), result.stderr
    return result.returncode, result.stdout, set(json.loads(report.removeprefix(LOADED_MARK))), messages


@pytest.mark.parametrize(("argv", "code"), CHEAP_CALLS, ids=[" ".join(a) for a, _ in CHEAP_CALLS])
def test_help_and_usage_errors_never_load_litellm(argv: list[str], code: int) -> None:
    exit_code, out, loaded, messages = _run_cli(["-m", "litellm_gmi.cli"], argv)
    assert exit_code == code
    assert "litellm_gmi.cli" in loaded  # the report sees our modules...
    assert "litellm" not in loaded  # ...and LiteLLM is not among them
    if code == 0:
        assert out.startswith("usage: litellm-gmi")
        assert messages == []  # no LiteLLM warnings, nothing else
    else:
        assert messages[-1].startswith("litellm-gmi")
        assert "error:" in messages[-1]


def test_the_installed_script_answers_help_without_litellm() -> None:
    script = Path(sys.executable).with_name("litellm-gmi")
    if not script.is_file():
        pytest.skip("the litellm-gmi script is not installed in this environment")
    exit_code, out, loaded, _ = _run_cli([str(script)], ["media", "--help"])
    assert exit_code == 0
    assert out.startswith("usage: litellm-gmi media")
    assert "litellm_gmi.cli.media" in loaded
    assert "litellm" not in loaded
