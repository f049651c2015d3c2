"""``litellm-gmi emulator`` forwards to the separate gmi-emulator distribution, or says how to install it."""

from __future__ import annotations

import sys

import pytest

from litellm_gmi.cli import demo, main
from litellm_gmi.constants import API_KEY_ENVS

HINT = "pip install ./emulator"


@pytest.fixture
def emulator_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if gmi-emulator were not installed: importing it raises ImportError."""
    for name in ("gmi_emulator", "gmi_emulator.cli"):
        monkeypatch.setitem(sys.modules, name, None)


def test_serves_prints_the_export_line_and_stops_on_ctrl_c(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupt() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("gmi_emulator.cli.wait_forever", interrupt)
    assert main(["emulator", "--port", "0", "--context-limit", "zai-org/GLM-4.7-FP8=256"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("GMI emulator listening on http://127.0.0.1:")
    base = out[0].rsplit(" ", 1)[1]
    assert out[1] == (
        f"export GMI_API_BASE={base}/v1 GMI_QUEUE_API_BASE={base}/api/v1/ie/requestqueue/apikey "
        "GMI_API_KEY=sk-emulator"
    )
    assert out[2] == "stopping"


def test_help_names_the_litellm_gmi_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["emulator", "--help"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("usage: litellm-gmi emulator")


@pytest.mark.usefixtures("emulator_missing")
def test_without_the_emulator_one_line_hint_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["emulator"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("litellm-gmi emulator: the GMI emulator is not installed")
    assert HINT in captured.err
    assert "not on PyPI" in captured.err


@pytest.mark.usefixtures("emulator_missing")
def test_demo_without_a_key_or_the_emulator_gives_the_same_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in API_KEY_ENVS:
        monkeypatch.delenv(name, raising=False)
    assert demo.run([]) == 1
    err = capsys.readouterr().err
    assert err.startswith("litellm-gmi demo: the GMI emulator is not installed")
    assert HINT in err
