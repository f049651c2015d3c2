"""GMI's public price list: read without a key, parsed into both prices per model, merged into a refresh.

GMI's console publishes ``GET https://console.gmicloud.ai/api/v1/billing/model_prices`` without
authentication (read by quill-router, ``scripts/pricing/providers/gmi.py``). Its shape::

    {"modelPrices": [{"modelName": ..., "billingType": "llm",
                      "pricePer1mPromptToken": ..., "originPricePer1mPromptToken": ...,
                      "pricePer1mCompletionToken": ..., "originPricePer1mCompletionToken": ...,
                      "tiers": [{"threshold": ..., "inputPrice": ..., "originInputPrice": ...,
                                 "outputPrice": ..., "originOutputPrice": ...,
                                 "cacheReadPrice": ..., "originCacheReadPrice": ...}]}]}

Prices are integers in micro-dollars per 1M tokens (``600000`` is $0.60 per 1M). ``price*`` is what GMI
shows now and can be a temporary promotion; ``originPrice*`` is the list price.

**Which price the cost map gets.** GMI does not document which of the two it bills. We give LiteLLM
the *current* price: it is what GMI's console shows a customer today, and GMI's other public feed (the
artifacts feed LiteLLM 1.110 copies its ``gmi/`` rows from) carries the lower, promotional figures
where the two differ. The list price is kept beside it in the overlay (with the day both were read),
so a budget that must not under-count can use it. quill-router bills the higher of the two instead.

**Tiers.** A tier's ``threshold`` is a prompt size in tokens; its prices apply above it and become
LiteLLM's own keys ``input_cost_per_token_above_<N>k_tokens``, ``output_cost_per_token_above_<N>k_tokens``
and ``cache_read_input_token_cost_above_<N>k_tokens`` (``N`` = threshold / 1000, as the catalog writes
them). A tier at threshold 0 is the base price (its cache-read price fills ``cache_read_input_token_cost``).

The price list is read from ``$LITELLM_GMI_PRICE_LIST_URL`` if set; otherwise from GMI's console when
the chat API base is GMI's public one, and from the same host as the API base when it is not (the
emulator serves the list there), so a refresh against a test server never asks the real console.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx

from litellm_gmi.catalog.model_refresh import LiveModel, PriceRecord, Prices
from litellm_gmi.constants import DEFAULT_API_BASE

PRICE_LIST_URL_ENV = "LITELLM_GMI_PRICE_LIST_URL"
PRICE_LIST_PATH = "/api/v1/billing/model_prices"
DEFAULT_PRICE_LIST_URL = f"https://console.gmicloud.ai{PRICE_LIST_PATH}"
_MICRO = 1e-12
"""Micro-dollars per 1M tokens to USD per token."""

logger = logging.getLogger("litellm_gmi")


class PriceListError(Exception):
    """The price list could not be read; a refresh goes on from ``/v1/models`` alone."""


def price_list_url(api_base: str) -> str:
    """Where to read the price list for a refresh against ``api_base`` (see the module docstring)."""
    configured = os.environ.get(PRICE_LIST_URL_ENV, "").strip()
    if configured:
        return configured
    if api_base.rstrip("/") == DEFAULT_API_BASE:
        return DEFAULT_PRICE_LIST_URL
    parts = urlsplit(api_base)
    return f"{parts.scheme}://{parts.netloc}{PRICE_LIST_PATH}"


def fetch_price_list(url: str, *, today: str, timeout: float) -> dict[str, PriceRecord]:
    """``GET url`` without any credential, parsed; raises :class:`PriceListError` on any failure."""
    try:
        response = httpx.get(url, timeout=timeout)
    except httpx.HTTPError as exc:
        raise PriceListError(f"GET {url} failed: {type(exc).__name__}") from exc
    if response.status_code >= 400:
        raise PriceListError(f"GET {url} answered HTTP {response.status_code}")
    try:
        payload = response.json()
    except ValueError as exc:
        raise PriceListError(f"GET {url} did not return JSON") from exc
    prices = parse_price_list(payload, source=url, today=today)
    if not prices:
        raise PriceListError(f"GET {url} listed no LLM prices")
    return prices


def parse_price_list(payload: Any, *, source: str, today: str) -> dict[str, PriceRecord]:
    """``{model id: PriceRecord}`` for every ``llm`` row with a usable price; anything else is skipped."""
    rows = payload.get("modelPrices") if isinstance(payload, Mapping) else None
    out: dict[str, PriceRecord] = {}
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, Mapping) or row.get("billingType", "llm") != "llm":
            continue
        name = row.get("modelName")
        current = _prices(row, "price", "pricePer1mPromptToken", "pricePer1mCompletionToken")
        listed = _prices(row, "origin", "originPricePer1mPromptToken", "originPricePer1mCompletionToken")
        if isinstance(name, str) and name.strip() and current:
            out[name.strip()] = PriceRecord(
                source=source, date=today, current=current, list=listed or current
            )
    return out


def _prices(row: Mapping[str, Any], kind: str, prompt_key: str, completion_key: str) -> Prices:
    """Base and tier prices of one kind (``price`` = current, ``origin`` = list) as catalog fields."""
    origin = kind == "origin"
    figures: dict[str, float] = {}
    base_in, base_out = _usd(row.get(prompt_key)), _usd(row.get(completion_key))
    if base_in is None or base_out is None:
        return ()
    figures["input_cost_per_token"], figures["output_cost_per_token"] = base_in, base_out
    tiers = row.get("tiers")
    for tier in tiers if isinstance(tiers, list) else []:
        if not isinstance(tier, Mapping):
            continue
        threshold = tier.get("threshold")
        if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0:
            continue
        named = {
            "input_cost_per_token": tier.get("originInputPrice" if origin else "inputPrice"),
            "output_cost_per_token": tier.get("originOutputPrice" if origin else "outputPrice"),
            "cache_read_input_token_cost": tier.get("originCacheReadPrice" if origin else "cacheReadPrice"),
        }
        suffix = "" if threshold == 0 else f"_above_{_thousands(threshold)}_tokens"
        for field, raw in named.items():
            value = _usd(raw)
            if value is not None and (suffix or field not in figures):
                figures[field + suffix] = value
    return tuple(figures.items())


def _thousands(threshold: int) -> str:
    return f"{threshold // 1000}k" if threshold % 1000 == 0 else str(threshold)


def _usd(value: Any) -> float | None:
    """Micro-dollars per 1M tokens (an integer, or a numeric string) as USD per token."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            return None
    if isinstance(value, int) and value >= 0:
        return value * _MICRO
    return None


def apply_prices(models: Sequence[LiveModel], prices: Mapping[str, PriceRecord]) -> list[LiveModel]:
    """``models`` with the price list's current prices, tiers and both-price record applied.

    A model the price list names but ``/v1/models`` does not is added: GMI's model list is not a
    complete availability list (it omitted GLM-5.2 for a while in August 2026, quill-router), and a
    model GMI prices is one it serves.
    """
    listed = {model.id for model in models}
    extra = [LiveModel(id=model_id) for model_id in prices if model_id not in listed]
    return [_priced(model, prices.get(model.id)) for model in [*models, *extra]]


def _priced(model: LiveModel, record: PriceRecord | None) -> LiveModel:
    if record is None:
        return model
    current = dict(record.current)
    return dataclasses.replace(
        model,
        input_cost_per_token=current.get("input_cost_per_token"),
        output_cost_per_token=current.get("output_cost_per_token"),
        cache_read_input_token_cost=current.get(
            "cache_read_input_token_cost", model.cache_read_input_token_cost
        ),
        tiers=tuple((name, value) for name, value in record.current if "_above_" in name),
        prices=record,
    )
