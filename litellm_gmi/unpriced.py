"""No silent $0: a chat call to a model without a known price warns once and is marked as unpriced.

LiteLLM prices a model whose cost-map row has no ``input_cost_per_token`` at $0 (and an unmapped one at
no cost at all), so budgets and spend logs would count such calls as free. The call still goes through;
the first one per model and process logs a warning on the ``litellm_gmi`` logger saying how to set a
price, and every response (and, on LiteLLM >= 1.89, every streamed chunk) carries
``_hidden_params["gmi_price_unknown"] = True`` so dashboards can tell "free" from "unknown".

A price counts as known when ``litellm.model_cost["gmi/<model>"]`` has a non-zero per-token price,
whoever put it there: the catalog, the user's overlay, ``litellm.register_model`` or a proxy entry's
``model_info``. A $0 price counts only when the catalog or overlay records it: LiteLLM 1.81's
``register_model`` writes 0 for every price a row leaves out, so there a registered 0 and "unknown" look
the same.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any, Final

import litellm

from litellm_gmi.constants import PROVIDER

PRICE_UNKNOWN: Final = "gmi_price_unknown"
"""The ``_hidden_params`` key set on responses to models without a known price."""

logger = logging.getLogger("litellm_gmi")

_warned: set[str] = set()
_lock = threading.Lock()


def price_known(model: str) -> bool:
    """Whether LiteLLM's cost map holds input and output prices for ``gmi/<model>`` (see the module)."""
    row = litellm.model_cost.get(f"{PROVIDER}/{model}")
    if not isinstance(row, dict):
        return False
    prices = (row.get("input_cost_per_token"), row.get("output_cost_per_token"))
    if None in prices:
        return False
    if any(prices):
        return True
    from litellm_gmi.catalog import load_catalog

    entry = load_catalog().get(model)
    return entry is not None and entry["input_cost_per_token"] == 0 and entry["output_cost_per_token"] == 0


def check(model: str) -> bool:
    """True when ``model`` has no known price; warns the first time per model in this process."""
    if price_known(model):
        return False
    with _lock:
        first = model not in _warned
        _warned.add(model)
    if first:
        logger.warning(
            "litellm_gmi: no price known for gmi/%s; LiteLLM will count its calls as $0. Set one with "
            "litellm.register_model({'gmi/%s': {'input_cost_per_token': ..., 'output_cost_per_token': ...}}) "
            "or the proxy entry's model_info, or run `litellm-gmi models --write` to read GMI's prices.",
            model,
            model,
        )
    return True


def mark(response: Any) -> Any:
    """Set the unpriced marker on a response or chunk that has ``_hidden_params``; returns it."""
    hidden = getattr(response, "_hidden_params", None)
    if isinstance(hidden, dict):
        hidden[PRICE_UNKNOWN] = True
    return response


def mark_each(chunks: Iterator[Any]) -> Iterator[Any]:
    """``chunks`` with every one marked (dict chunks, used before LiteLLM 1.89, have nowhere to carry it)."""
    for chunk in chunks:
        yield mark(chunk)


async def amark_each(chunks: AsyncIterator[Any]) -> AsyncIterator[Any]:
    """Async twin of :func:`mark_each`."""
    async for chunk in chunks:
        yield mark(chunk)
