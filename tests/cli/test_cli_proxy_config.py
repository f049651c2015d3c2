"""``litellm-gmi proxy-config``: a ``model_list`` generated from the catalog, read back by a YAML loader."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from litellm_gmi import catalog
from litellm_gmi.cli import main
from litellm_gmi.cli.proxy_config import render


def _generated(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    assert main(["proxy-config", *args]) == 0
    document = yaml.safe_load(capsys.readouterr().out)
    assert set(document) == {"model_list"}  # includable as is: LiteLLM merges top-level lists
    entries: list[dict[str, Any]] = document["model_list"]
    return entries


def test_one_entry_per_current_model_with_its_model_info(capsys: pytest.CaptureFixture[str]) -> None:
    entries = _generated(capsys)
    current = [e for e in catalog.load_catalog().values() if not e["deprecated"]]
    assert [e["model_name"] for e in entries] == [f"gmi/{e['id']}" for e in current]
    for entry, model in zip(entries, current, strict=True):
        assert entry["litellm_params"] == {"model": f"gmi/{model['id']}", "api_key": "os.environ/GMI_API_KEY"}
        expected = {k: v for k, v in catalog.litellm_row(model).items() if k != "litellm_provider"}
        assert entry["model_info"] == expected, model["id"]  # floats, ints, flags and lists survive YAML


def test_costs_context_mode_and_tiers_are_in_model_info(capsys: pytest.CaptureFixture[str]) -> None:
    by_name = {e["model_name"]: e["model_info"] for e in _generated(capsys)}
    m3, m3_row = by_name["gmi/MiniMaxAI/MiniMax-M3"], catalog.load_catalog()["MiniMaxAI/MiniMax-M3"]
    assert (m3["mode"], m3["max_input_tokens"]) == ("chat", 1048576)
    assert m3["input_cost_per_token"] == pytest.approx(m3_row["input_cost_per_token"])
    assert m3["input_cost_per_token_above_512k_tokens"] == pytest.approx(
        m3_row["input_cost_per_token_above_512k_tokens"]  # type: ignore[typeddict-item]
    )
    assert isinstance(by_name["gmi/openai/gpt-4o-mini"]["output_cost_per_token"], float)  # 6e-07, not "6e-07"
    assert by_name["gmi/seedream-5.0-lite"]["mode"] == "image_generation"
    assert by_name["gmi/BAAI/bge-m3"]["mode"] == "embedding"
    unpriced = [
        f"gmi/{m}"
        for m, r in catalog.load_catalog().items()
        if r["mode"] == "chat" and r["input_cost_per_token"] is None and f"gmi/{m}" in by_name
    ]
    assert unpriced  # DeepSeek-V3 today
    assert [m for m in unpriced if "input_cost_per_token" in by_name[m]] == []  # unknown stays unknown
    assert "gmi/google/gemini-3-pro-preview" not in by_name  # deprecated


def test_filters_and_names(capsys: pytest.CaptureFixture[str]) -> None:
    chat = _generated(capsys, "--mode", "chat", "--include-deprecated", "--prefix", "", "--api-key-env", "K")
    ids = [e["model_name"] for e in chat]
    assert ids == [k for k, v in catalog.load_catalog().items() if v["mode"] == "chat"]
    assert "google/gemini-3-pro-preview" in ids
    assert {e["litellm_params"]["api_key"] for e in chat} == {"os.environ/K"}
    media = _generated(capsys, "--mode", "video", "--mode", "audio")
    assert {e["model_info"]["mode"] for e in media} == {"video_generation", "audio_speech"}


@pytest.mark.parametrize("value", [1e-06, 2.5e-05, 0.5, 1e20, 3.0])
def test_numbers_read_back_as_floats(value: float) -> None:
    entry = {**catalog.load_catalog()["openai/gpt-4o"], "input_cost_per_token": value}
    (parsed,) = yaml.safe_load(render([entry]))["model_list"]
    assert parsed["model_info"]["input_cost_per_token"] == value
    assert isinstance(parsed["model_info"]["input_cost_per_token"], float)
