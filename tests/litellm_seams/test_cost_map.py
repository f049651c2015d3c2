"""``litellm_seams.cost_map.write_rows``: LiteLLM's lookups answer from rows written without
``register_model``.

Each LiteLLM internal the module names is pinned here, so an upgrade that moves one fails this file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import litellm
import pytest

from litellm_gmi import catalog
from litellm_gmi.litellm_seams.cost_map import write_rows

MODEL_ID = "deepseek-ai/DeepSeek-V3.2"
NO_OUTPUT_LIMIT = "kwaipilot/kat-coder-pro-v2"
"""A catalogued chat model whose output limit no source gives."""
FRESH_KEY = "gmi/acme/cost-map-probe"
FRESH_ROW = {
    "litellm_provider": "gmi",
    "mode": "chat",
    "input_cost_per_token": 3e-07,
    "output_cost_per_token": 9e-07,
    "max_input_tokens": 4096,
    "supports_function_calling": True,
}


@pytest.fixture(autouse=True)
def _registered() -> None:
    catalog.register_catalog()


@pytest.fixture
def fresh_key() -> Iterator[str]:
    """A key LiteLLM has never seen, removed again (with its replay record) afterwards."""
    yield FRESH_KEY
    litellm.model_cost.pop(FRESH_KEY, None)
    getattr(litellm.utils, "_runtime_registered_model_cost", {}).pop(FRESH_KEY, None)
    litellm.utils._invalidate_model_cost_lowercase_map()


def _entry() -> Any:
    return catalog.load_catalog()[MODEL_ID]


# ------------------------------------------------------------------------------------------ lookups ---
def test_model_info_for_the_prefixed_and_the_bare_id() -> None:
    entry = _entry()
    for info in (
        litellm.get_model_info(f"gmi/{MODEL_ID}"),
        litellm.get_model_info(MODEL_ID, custom_llm_provider="gmi"),
    ):
        assert info["litellm_provider"] == "gmi"
        assert info["input_cost_per_token"] == entry["input_cost_per_token"]
        assert info["max_input_tokens"] == entry["max_input_tokens"]
        assert info["supports_reasoning"] is entry["supports_reasoning"]


def test_cost_per_token_for_the_prefixed_and_the_bare_id() -> None:
    entry = _entry()
    expected = (1000 * entry["input_cost_per_token"], 100 * entry["output_cost_per_token"])
    prefixed = litellm.cost_per_token(model=f"gmi/{MODEL_ID}", prompt_tokens=1000, completion_tokens=100)
    bare = litellm.cost_per_token(
        model=MODEL_ID, custom_llm_provider="gmi", prompt_tokens=1000, completion_tokens=100
    )
    assert prefixed == pytest.approx(expected)
    assert bare == pytest.approx(expected)


def test_completion_cost_for_the_prefixed_and_the_bare_id() -> None:
    entry = _entry()
    response = litellm.ModelResponse(
        model=MODEL_ID,
        choices=[{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "ok"}}],
        usage=litellm.Usage(prompt_tokens=500, completion_tokens=50, total_tokens=550),
    )
    expected = 500 * entry["input_cost_per_token"] + 50 * entry["output_cost_per_token"]
    assert litellm.completion_cost(completion_response=response, model=f"gmi/{MODEL_ID}") == pytest.approx(
        expected
    )
    assert litellm.completion_cost(
        completion_response=response, model=MODEL_ID, custom_llm_provider="gmi"
    ) == pytest.approx(expected)


def test_unknown_output_limit_reads_as_none_not_unmapped() -> None:
    assert catalog.load_catalog()[NO_OUTPUT_LIMIT]["max_output_tokens"] is None
    assert litellm.get_max_tokens(f"gmi/{NO_OUTPUT_LIMIT}") is None


# ---------------------------------------------------------------------------------------- the write ---
def test_a_key_missed_before_the_write_is_found_after_it(fresh_key: str) -> None:
    with pytest.raises(Exception, match="isn't mapped"):
        litellm.get_model_info(fresh_key)  # fills LiteLLM's lookup caches with the miss

    write_rows({fresh_key: FRESH_ROW})

    info = litellm.get_model_info(fresh_key)
    assert info["input_cost_per_token"] == pytest.approx(3e-07)
    assert info["max_input_tokens"] == 4096
    assert litellm.supports_function_calling(fresh_key) is True
    # Found case-insensitively too, through the index the write invalidated.
    assert litellm.get_model_info(fresh_key.upper().replace("GMI/", "gmi/"))["max_input_tokens"] == 4096


def test_a_figure_the_row_leaves_out_keeps_litellms_value(fresh_key: str) -> None:
    litellm.model_cost[fresh_key] = {"litellm_provider": "gmi", "mode": "chat", "max_output_tokens": 777}

    write_rows({fresh_key: FRESH_ROW})

    assert litellm.model_cost[fresh_key]["max_output_tokens"] == 777
    assert litellm.model_cost[fresh_key]["input_cost_per_token"] == pytest.approx(3e-07)
    assert litellm.get_max_tokens(fresh_key) == 777


def test_named_internals_exist() -> None:
    """The private names litellm_gmi/litellm_seams/cost_map.py writes to (see its docstring)."""
    assert callable(litellm.utils._invalidate_model_cost_lowercase_map)
    replay = getattr(litellm.utils, "reapply_runtime_model_cost_registrations", None)
    if replay is not None:  # 1.106.2 on: the replay store must be the dict it replays
        assert isinstance(litellm.utils._runtime_registered_model_cost, dict)
        assert f"gmi/{MODEL_ID}" in litellm.utils._runtime_registered_model_cost


def test_rows_survive_litellm_adopting_a_new_cost_map() -> None:
    """A remote cost map that lands after import replaces ``litellm.model_cost``; LiteLLM replays ours."""
    from litellm.litellm_core_utils import get_model_cost_map

    adopt = getattr(get_model_cost_map, "adopt_model_cost_map", None)
    if adopt is None:
        pytest.skip("this LiteLLM (1.81.1) replaces the cost map without replaying registrations")
    saved = litellm.model_cost
    downloaded = {key: dict(value) for key, value in saved.items() if not key.startswith("gmi/")}
    try:
        adopt(downloaded)
        assert litellm.model_cost is downloaded
        info = litellm.get_model_info(f"gmi/{MODEL_ID}")
        assert info["input_cost_per_token"] == _entry()["input_cost_per_token"]
        assert litellm.supports_reasoning(f"gmi/{MODEL_ID}") is _entry()["supports_reasoning"]
    finally:
        litellm.model_cost = saved
        litellm.utils._invalidate_model_cost_lowercase_map()
