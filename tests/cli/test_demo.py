"""The README's third command: ``litellm-gmi demo`` with no key runs against the emulator."""

from __future__ import annotations

import pytest

from litellm_gmi.cli import demo, main
from litellm_gmi.constants import API_KEY_ENVS


@pytest.fixture
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*API_KEY_ENVS, "GMI_API_BASE", "GMI_ORG_ID"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_key")
def test_demo_without_a_key_runs_all_four_calls_against_the_emulator(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "the local emulator at http://127.0.0.1:" in out
    for title in ("1. plain call", "2. streamed call", "3. tool call", "4. cost lookup"):
        assert f"## {title}" in out
    assert '"get_weather"' in out
    assert "context 163,840 tokens" in out


@pytest.mark.usefixtures("no_key")
def test_demo_leaves_the_environment_as_it_found_it(capsys: pytest.CaptureFixture[str]) -> None:
    import os

    assert demo.run([]) == 0
    assert "GMI_API_KEY" not in os.environ
    assert "GMI_API_BASE" not in os.environ


def test_demo_reports_a_bad_live_key_in_one_line(
    gmi_env: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GMI_API_KEY", "sk-invalid-demo-key-000000")
    assert demo.run([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("\nauthentication failed:")
    assert "sk-invalid-demo-key-000000" not in err
