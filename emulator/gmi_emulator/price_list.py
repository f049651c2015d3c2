"""``GET /api/v1/billing/model_prices``: GMI's public price list, from the emulator's own model table.

GMI's console serves it without a key at ``https://console.gmicloud.ai/api/v1/billing/model_prices``
(read by quill-router, ``scripts/pricing/providers/gmi.py``), in this shape::

    {"modelPrices": [{"modelName", "billingType": "llm", "pricePer1mPromptToken",
                      "originPricePer1mPromptToken", "pricePer1mCompletionToken",
                      "originPricePer1mCompletionToken", "tiers": [{"threshold", "inputPrice",
                      "originInputPrice", "outputPrice", "originOutputPrice", "cacheReadPrice",
                      "originCacheReadPrice"}]}]}

Prices are integers in micro-dollars per 1M tokens; ``price*`` is the current price (a promotion where
the table has a ``list_price``), ``originPrice*`` the list price. A model with a cache-read price or
tiers gets a tier at threshold 0 holding its base prices, since the shape carries cache-read prices
only in tiers. Every priced chat model of the table is listed, in id order; unpriced ones are not.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from gmi_emulator.model_table import CHAT_MODELS, ChatModel, PriceTier

PRICE_LIST_PATH = "/api/v1/billing/model_prices"


def add_price_list_routes(app: web.Application) -> None:
    """Serve the price list on ``app`` (no key needed, as on GMI's console)."""
    app.router.add_get(PRICE_LIST_PATH, price_list_handler)


async def price_list_handler(request: web.Request) -> web.Response:
    """The whole price list."""
    return web.json_response({"modelPrices": price_list()})


def price_list() -> list[dict[str, Any]]:
    """One ``modelPrices`` row per priced chat model."""
    return [_row(model) for _, model in sorted(CHAT_MODELS.items()) if model.price is not None]


def _row(model: ChatModel) -> dict[str, Any]:
    assert model.price is not None
    listed = model.list_price or model.price
    row: dict[str, Any] = {
        "modelName": model.id,
        "billingType": "llm",
        "pricePer1mPromptToken": _micro(model.price[0]),
        "originPricePer1mPromptToken": _micro(listed[0]),
        "pricePer1mCompletionToken": _micro(model.price[1]),
        "originPricePer1mCompletionToken": _micro(listed[1]),
        "tiers": [],
    }
    if model.cache_read is not None or model.tiers:
        base = PriceTier(0, model.price, model.cache_read, listed, model.list_cache_read or model.cache_read)
        row["tiers"] = [_tier(tier) for tier in (base, *model.tiers)]
    return row


def _tier(tier: PriceTier) -> dict[str, Any]:
    listed = tier.list_price or tier.price
    list_cache = tier.list_cache_read if tier.list_cache_read is not None else tier.cache_read
    return {
        "threshold": tier.threshold,
        "inputPrice": _micro(tier.price[0]),
        "originInputPrice": _micro(listed[0]),
        "outputPrice": _micro(tier.price[1]),
        "originOutputPrice": _micro(listed[1]),
        "cacheReadPrice": _micro(tier.cache_read),
        "originCacheReadPrice": _micro(list_cache),
    }


def _micro(usd_per_million: float | None) -> int | None:
    """USD per 1M tokens as GMI's integer micro-dollars per 1M tokens (``0.6`` -> ``600000``)."""
    return None if usd_per_million is None else round(usd_per_million * 1_000_000)
