"""Every call names the source of its price: ``_hidden_params["gmi_price_source"]``, one of four.

Against the emulator: DeepSeek-V3.2 is priced by the shipped catalog, a model the user's overlay prices
by the overlay, a catalogued model without a price but with a row in LiteLLM's map by LiteLLM, and
the emulator's uncatalogued model by nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import litellm
import pytest

from gmi_emulator.model_table import UNCATALOGUED_MODEL
from litellm_gmi import catalog
from litellm_gmi.catalog.model_refresh import LiveModel
from litellm_gmi.catalog.overlay import write_overlay
from litellm_gmi.catalog.price_source import PRICE_SOURCE, price_source
from litellm_gmi.litellm_seams.version import STREAM_PASSTHROUGH

CATALOG_PRICED = "deepseek-ai/DeepSeek-V3.2"
OVERLAY_PRICED = "zai-org/GLM-5-FP8"
LITELLM_PRICED = "google/gemini-3-pro-preview"  # catalogued with a context but, on purpose, no price
MESSAGES = [{"role": "user", "content": "Name three prime numbers."}]

pytestmark = pytest.mark.usefixtures("gmi_env")


@pytest.fixture
def overlay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A user overlay pricing ``OVERLAY_PRICED``; the catalog and LiteLLM's rows are restored after."""
    saved = {key: dict(row) for key, row in litellm.model_cost.items() if key.startswith("gmi/")}
    path = tmp_path / "catalog_overlay.json"
    write_overlay(
        [LiveModel(OVERLAY_PRICED, input_cost_per_token=7e-07, output_cost_per_token=3e-06)],
        fetched="2027-01-01",
        path=path,
    )
    monkeypatch.setenv("LITELLM_GMI_CATALOG", str(path))
    catalog.reload_catalog()
    yield
    monkeypatch.undo()
    litellm.model_cost.update(saved)
    catalog.reload_catalog()


@pytest.fixture
def litellm_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """LiteLLM's own map prices ``LITELLM_PRICED`` (as a release's ``gmi/`` row or register_model would)."""
    assert catalog.load_catalog()[LITELLM_PRICED]["input_cost_per_token"] is None
    key = f"gmi/{LITELLM_PRICED}"
    monkeypatch.setitem(
        litellm.model_cost,
        key,
        {**litellm.model_cost[key], "input_cost_per_token": 2e-06, "output_cost_per_token": 1.2e-05},
    )


def _source(response: Any) -> Any:
    return response._hidden_params.get(PRICE_SOURCE)


def _check_chunks(chunks: list[Any], expected: str) -> None:
    marked = [_source(chunk) for chunk in chunks]
    if STREAM_PASSTHROUGH:  # our chunks reach the caller; LiteLLM adds a final one of its own
        assert marked[0] == expected
        assert marked.count(expected) >= len(chunks) - 1
    else:
        # LiteLLM < 1.89 rebuilds custom providers' chunks from plain dicts: nothing carries the marker
        # (as for gmi_price_unknown, tests/catalog/test_unpriced.py); the assembled response's cost
        # still tells.
        assert not any(marked)


def test_catalog() -> None:
    assert price_source(CATALOG_PRICED) == "catalog"
    response = litellm.completion(model=f"gmi/{CATALOG_PRICED}", messages=MESSAGES)
    assert _source(response) == "catalog"
    chunks = list(litellm.completion(model=f"gmi/{CATALOG_PRICED}", messages=MESSAGES, stream=True))
    _check_chunks(chunks, "catalog")


@pytest.mark.usefixtures("overlay")
def test_overlay() -> None:
    assert price_source(OVERLAY_PRICED) == "overlay"
    response = litellm.completion(model=f"gmi/{OVERLAY_PRICED}", messages=MESSAGES)
    assert _source(response) == "overlay"
    assert response._hidden_params["response_cost"] > 0
    assert price_source(CATALOG_PRICED) == "catalog"  # what the overlay leaves alone stays the catalog's


@pytest.mark.usefixtures("litellm_row")
async def test_litellm_async_streamed() -> None:
    assert price_source(LITELLM_PRICED) == "litellm"
    response = await litellm.acompletion(model=f"gmi/{LITELLM_PRICED}", messages=MESSAGES)
    assert _source(response) == "litellm"
    stream = await litellm.acompletion(model=f"gmi/{LITELLM_PRICED}", messages=MESSAGES, stream=True)
    _check_chunks([chunk async for chunk in stream], "litellm")


def test_a_price_someone_else_set_over_ours_is_litellms(monkeypatch: pytest.MonkeyPatch) -> None:
    key = f"gmi/{CATALOG_PRICED}"
    monkeypatch.setitem(litellm.model_cost, key, {**litellm.model_cost[key], "input_cost_per_token": 9e-06})
    assert price_source(CATALOG_PRICED) == "litellm"


def test_unknown() -> None:
    assert price_source(UNCATALOGUED_MODEL) == "unknown"
    response = litellm.completion(model=f"gmi/{UNCATALOGUED_MODEL}", messages=MESSAGES)
    assert _source(response) == "unknown"
    chunks = list(litellm.completion(model=f"gmi/{UNCATALOGUED_MODEL}", messages=MESSAGES, stream=True))
    _check_chunks(chunks, "unknown")
