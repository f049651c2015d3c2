"""``proxy_config.example.yaml`` checked against the catalog without running a proxy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from litellm_gmi import catalog

CONFIG: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "proxy_config.example.yaml").read_text(encoding="utf-8")
)


def _window(model_name: str) -> int:
    """The context window of the entry named ``model_name``, from the shipped catalog."""
    (entry,) = [e for e in CONFIG["model_list"] if e["model_name"] == model_name]
    model = entry["litellm_params"]["model"].removeprefix("gmi/")
    window = catalog.shipped_catalog()[model]["max_input_tokens"]
    assert window is not None, f"{model} has no context length in the catalog"
    return window


def test_context_window_fallbacks_go_to_larger_windows() -> None:
    """A fallback to a window that is not larger can never answer the prompt that overflowed."""
    fallbacks = CONFIG["router_settings"]["context_window_fallbacks"]
    assert fallbacks
    for mapping in fallbacks:
        for source, targets in mapping.items():
            for target in targets:
                assert _window(target) > _window(source), f"{source} -> {target}"


def test_every_named_entry_is_a_catalogued_model() -> None:
    for entry in CONFIG["model_list"]:
        model = entry["litellm_params"]["model"].removeprefix("gmi/")
        assert model == "*" or model in catalog.shipped_catalog(), model
