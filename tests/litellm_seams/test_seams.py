"""Every LiteLLM internal the package relies on is there on this release, and loud when it is not."""

from __future__ import annotations

import warnings
from pathlib import Path

import litellm
import pytest

from litellm_gmi.chat import recovered
from litellm_gmi.cli import main
from litellm_gmi.litellm_seams import call_record
from litellm_gmi.litellm_seams import registry as seams
from litellm_gmi.litellm_seams.version import LITELLM_VERSION

ROOT = Path(__file__).resolve().parents[2]


def test_every_seam_is_in_place_or_not_needed_on_this_release() -> None:
    missing = [(seam.name, status.detail) for seam, status in seams.check() if status.state == seams.MISSING]
    assert missing == []


def test_a_seam_litellm_removed_is_named_in_a_warning_with_the_release(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(litellm.constants, "DEFAULT_CHAT_COMPLETION_PARAM_VALUES")
    with pytest.warns(RuntimeWarning) as caught:
        missing = seams.warn_missing()
    assert [seam.name for seam in missing] == ["litellm.constants.DEFAULT_CHAT_COMPLETION_PARAM_VALUES"]
    text = str(caught[0].message)
    assert "DEFAULT_CHAT_COMPLETION_PARAM_VALUES" in text
    assert LITELLM_VERSION in text


def test_doctor_fails_when_a_seam_is_gone(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["doctor"]) == 0
    assert f"LiteLLM {LITELLM_VERSION}" in capsys.readouterr().out
    monkeypatch.delattr(litellm.constants, "DEFAULT_CHAT_COMPLETION_PARAM_VALUES")
    assert main(["doctor"]) == 1
    assert (
        "MISSING             litellm.constants.DEFAULT_CHAT_COMPLETION_PARAM_VALUES"
        in capsys.readouterr().out
    )


def test_the_seams_page_is_generated_from_the_seams() -> None:
    assert (ROOT / "docs" / "litellm-seams.md").read_text() == seams.markdown()


def test_a_call_record_that_moved_is_said_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """If LiteLLM's Logging lost model_call_details, reasoning_effort would stop reaching GMI silently."""
    monkeypatch.setattr(call_record, "_warned_record_moved", False)

    class MovedRecord:  # a logging object of a LiteLLM that renamed its call record
        pass

    with pytest.warns(RuntimeWarning, match="model_call_details"):
        recovered.recover_params({}, MovedRecord(), model="openai/gpt-5.2")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        recovered.recover_params({}, MovedRecord(), model="openai/gpt-5.2")  # said once
