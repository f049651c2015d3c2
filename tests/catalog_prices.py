"""What the shipped catalog says a call costs: the figure tests hold LiteLLM's charge against."""

from __future__ import annotations

from litellm_gmi.catalog import load_catalog


def catalog_cost(model: str, prompt: int, completion: int, cached: int = 0) -> float:
    """``prompt`` uncached input, ``completion`` output and ``cached`` cache-read tokens of ``model``
    (``gmi/`` optional), at the catalog's per-token prices; every price used must be there.

    The tests' conftest points the catalog overlay nowhere, so this is the catalog the package ships.
    """
    row = load_catalog()[model.removeprefix("gmi/")]
    prompt_price, completion_price = row["input_cost_per_token"], row["output_cost_per_token"]
    assert prompt_price is not None
    assert completion_price is not None
    cost = prompt * prompt_price + completion * completion_price
    if cached:
        cache_price = row["cache_read_input_token_cost"]
        assert cache_price is not None
        cost += cached * cache_price
    return float(cost)
