"""GMI's public price list in a refresh: both prices stored with their date, the current one in LiteLLM.

The emulator serves the price list in GMI's documented shape at GMI's path, from its own model table
(MiniMax-M3 at a promotional $0.24/$0.96 with a $0.60/$2.40 list price and a tier above 512k tokens).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import litellm
import pytest
from conftest import closed_port, gmi_cost_rows_restored

import litellm_gmi
from gmi_emulator import GMIEmulator
from litellm_gmi import catalog
from litellm_gmi.catalog import refresh
from litellm_gmi.catalog.overlay import read_overlay
from litellm_gmi.catalog.price_list import (
    DEFAULT_PRICE_LIST_URL,
    PRICE_LIST_URL_ENV,
    parse_price_list,
    price_list_url,
)
from litellm_gmi.constants import API_KEY_ENVS

KEY = "sk-price-list-test-000000"
M3 = "MiniMaxAI/MiniMax-M3"
TODAY = "2027-02-03"


@pytest.fixture
def overlay_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private overlay; LiteLLM's ``gmi/`` rows and the catalog are restored afterwards."""
    with gmi_cost_rows_restored(monkeypatch):
        path = tmp_path / "catalog_overlay.json"
        monkeypatch.setenv("LITELLM_GMI_CATALOG", str(path))
        for name in (*API_KEY_ENVS, "GMI_API_BASE", "GMI_ORG_ID", PRICE_LIST_URL_ENV):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setattr(refresh, "utc_today", lambda: TODAY)
        yield path


def test_emulator_serves_gmis_shape_in_micro_dollars(gmi_emulator: GMIEmulator) -> None:
    origin = gmi_emulator.chat_base.removesuffix("/v1")
    response = httpx.get(f"{origin}/api/v1/billing/model_prices", timeout=10)  # no key, as on GMI
    assert response.status_code == 200
    rows = {row["modelName"]: row for row in response.json()["modelPrices"]}
    m3 = rows[M3]
    assert m3["billingType"] == "llm"
    assert (m3["pricePer1mPromptToken"], m3["originPricePer1mPromptToken"]) == (240_000, 600_000)
    assert (m3["pricePer1mCompletionToken"], m3["originPricePer1mCompletionToken"]) == (960_000, 2_400_000)
    assert [tier["threshold"] for tier in m3["tiers"]] == [0, 512_000]
    assert m3["tiers"][1]["originInputPrice"] == 1_200_000
    assert all(isinstance(row["pricePer1mPromptToken"], int) for row in rows.values())


def test_refresh_from_the_emulator_writes_both_prices(gmi_emulator: GMIEmulator, overlay_file: Path) -> None:
    result = litellm_gmi.refresh_models(api_key=KEY, api_base=gmi_emulator.chat_base)

    assert result.price_list_error is None
    assert result.priced_from_list >= 3
    (listed,) = [r for r in gmi_emulator.requests.snapshot() if r.path == "/api/v1/billing/model_prices"]
    assert "Authorization" not in listed.headers  # the price list needs no key and is sent none
    stored = json.loads(overlay_file.read_text(encoding="utf-8"))
    row = next(r for r in stored["models"] if r["id"] == M3)
    prices = row["prices"]
    assert prices["current"]["date"] == prices["list"]["date"] == TODAY
    assert prices["current"]["input_cost_per_token"] == pytest.approx(0.24e-6)
    assert prices["list"]["input_cost_per_token"] == pytest.approx(0.6e-6)
    assert prices["list"]["output_cost_per_token"] == pytest.approx(2.4e-6)
    assert prices["current"]["cache_read_input_token_cost"] == pytest.approx(0.048e-6)
    assert prices["list"]["cache_read_input_token_cost"] == pytest.approx(0.12e-6)
    assert prices["list"]["input_cost_per_token_above_512k_tokens"] == pytest.approx(1.2e-6)
    assert row["input_cost_per_token"] == pytest.approx(0.24e-6)  # the overlay's own figure: current

    overlay = read_overlay(overlay_file)
    assert overlay is not None
    model = next(m for m in overlay.models if m.id == M3)
    assert model.prices is not None
    assert dict(model.prices.list)["output_cost_per_token"] == pytest.approx(2.4e-6)

    info = litellm.get_model_info(f"gmi/{M3}")  # LiteLLM gets the current price, tiers in its own keys
    assert info["input_cost_per_token"] == pytest.approx(0.24e-6)
    assert info["output_cost_per_token"] == pytest.approx(0.96e-6)
    row_in_litellm = litellm.model_cost[f"gmi/{M3}"]
    assert row_in_litellm["input_cost_per_token_above_512k_tokens"] == pytest.approx(1.2e-6)
    opus = catalog.load_catalog()["anthropic/claude-opus-4.7"]  # its cache price differs from the catalog's
    assert opus["source"].split("; ")[1].startswith("prices and tiers: GMI price list")


def test_refresh_without_the_price_list_still_works_and_says_so(
    gmi_emulator: GMIEmulator,
    overlay_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv(PRICE_LIST_URL_ENV, f"http://127.0.0.1:{closed_port()}/api/v1/billing/model_prices")
    with caplog.at_level(logging.WARNING, logger="litellm_gmi"):
        result = litellm_gmi.refresh_models(api_key=KEY, api_base=gmi_emulator.chat_base, timeout=5)
    assert result.price_list_error is not None
    assert "ConnectError" in result.price_list_error
    assert result.priced_from_list == 0
    assert any("price list not read" in r.getMessage() for r in caplog.records)
    assert KEY not in caplog.text
    row = next(r for r in json.loads(overlay_file.read_text())["models"] if r["id"] == M3)
    assert "prices" not in row
    assert row["input_cost_per_token"] == pytest.approx(0.24e-6)  # from /v1/models


def test_price_list_url_never_asks_the_real_console_for_a_test_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(PRICE_LIST_URL_ENV, raising=False)
    assert price_list_url("https://api.gmi-serving.com/v1") == DEFAULT_PRICE_LIST_URL
    assert price_list_url("http://127.0.0.1:8123/v1") == "http://127.0.0.1:8123/api/v1/billing/model_prices"
    monkeypatch.setenv(PRICE_LIST_URL_ENV, "http://127.0.0.1:9/prices")
    assert price_list_url("https://api.gmi-serving.com/v1") == "http://127.0.0.1:9/prices"


def test_parse_keeps_llm_rows_with_a_price_and_reads_tiers() -> None:
    payload = {
        "modelPrices": [
            {
                "modelName": "acme/a",
                "billingType": "llm",
                "pricePer1mPromptToken": 100_000,
                "originPricePer1mPromptToken": 200_000,
                "pricePer1mCompletionToken": "300000",
                "originPricePer1mCompletionToken": 600_000,
                "tiers": [
                    {"threshold": 0, "cacheReadPrice": 10_000, "originCacheReadPrice": 20_000},
                    {"threshold": 128_000, "inputPrice": 150_000, "originInputPrice": 400_000},
                    {"threshold": "high", "inputPrice": 1},
                ],
            },
            {"modelName": "acme/video", "billingType": "video", "pricePer1mPromptToken": 1},
            {"modelName": "acme/free-text", "billingType": "llm", "pricePer1mPromptToken": "n/a"},
            "junk",
        ]
    }
    records = parse_price_list(payload, source="s", today=TODAY)
    assert list(records) == ["acme/a"]
    current, listed = dict(records["acme/a"].current), dict(records["acme/a"].list)
    assert current == pytest.approx(
        {
            "input_cost_per_token": 0.1e-6,
            "output_cost_per_token": 0.3e-6,
            "cache_read_input_token_cost": 0.01e-6,
            "input_cost_per_token_above_128k_tokens": 0.15e-6,
        }
    )
    assert listed["input_cost_per_token_above_128k_tokens"] == pytest.approx(0.4e-6)
    assert listed["cache_read_input_token_cost"] == pytest.approx(0.02e-6)
    assert parse_price_list({"data": []}, source="s", today=TODAY) == {}
