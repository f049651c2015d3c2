"""No silent $0: a chat call to a model without a known price warns once and is marked as unpriced.

LiteLLM prices a model whose cost-map row has no ``input_cost_per_token`` at $0 (and an unmapped one at
no cost at all), so budgets and spend logs would count such calls as free. The call still goes through;
the first one per model and process logs a warning on the ``litellm_gmi`` logger saying how to set a
price, and every response (and, on LiteLLM >= 1.89, every streamed chunk) carries
``_hidden_params["gmi_price_unknown"] = True`` so dashboards can tell "free" from "unknown".

Every response and chunk also names the source of its price in ``_hidden_params["gmi_price_source"]``;
:mod:`litellm_gmi.catalog.price_source` owns that decision, and a price is known unless it says ``"unknown"``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any, Final, TypeVar

from litellm_gmi.catalog.price_source import PRICE_SOURCE, Source, price_source

PRICE_UNKNOWN: Final = "gmi_price_unknown"
"""The ``_hidden_params`` key set on responses to models without a known price."""

logger = logging.getLogger("litellm_gmi")
_R = TypeVar("_R")

_warned: set[str] = set()
_lock = threading.Lock()


def price_known(model: str) -> bool:
    """Whether LiteLLM's cost map holds input and output prices for ``gmi/<model>`` (see the module)."""
    return price_source(model) != "unknown"


def check(model: str) -> Source:
    """The source of ``model``'s price; warns the first time per model in this process when unknown."""
    source = price_source(model)
    if source != "unknown":
        return source
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
    return source


def mark(response: _R, source: Source = "unknown") -> _R:
    """Name the price's source on a response or chunk that has ``_hidden_params`` (and, when it is
    ``"unknown"``, set the unpriced marker); returns it."""
    hidden = getattr(response, "_hidden_params", None)
    if isinstance(hidden, dict):
        hidden[PRICE_SOURCE] = source
        if source == "unknown":
            hidden[PRICE_UNKNOWN] = True
    return response


def mark_each(chunks: Iterator[Any], source: Source = "unknown") -> Iterator[Any]:
    """``chunks`` with every one marked (dict chunks, used before LiteLLM 1.89, have nowhere to carry it)."""
    for chunk in chunks:
        yield mark(chunk, source)


async def amark_each(chunks: AsyncIterator[Any], source: Source = "unknown") -> AsyncIterator[Any]:
    """Async twin of :func:`mark_each`."""
    async for chunk in chunks:
        yield mark(chunk, source)
