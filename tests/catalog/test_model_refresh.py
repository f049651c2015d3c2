"""Tolerant parsing of ``GET /v1/models``, and the diff/merge behind ``litellm-gmi models`` (pure data)."""

from __future__ import annotations

import copy
import json
import stat
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from litellm_gmi.catalog.model_refresh import (
    LIVE_SOURCE,
    LiveModel,
    diff_catalog,
    merge_catalog,
    parse_entry,
    parse_models,
    write_document,
)

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2027-01-15"


def _entry(model_id: str, mode: str = "chat", **overrides: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": model_id,
        "mode": mode,
        "max_input_tokens": 131072 if mode == "chat" else None,
        "max_output_tokens": 16384 if mode == "chat" else None,
        "input_cost_per_token": 2.5e-07 if mode == "chat" else None,
        "output_cost_per_token": 1e-06 if mode == "chat" else None,
        "cache_read_input_token_cost": None,
        "supports_function_calling": mode == "chat",
        "supports_vision": False,
        "supports_reasoning": mode == "chat",
        "supports_response_schema": None,
        "supports_tool_choice": mode == "chat",
        "deprecated": False,
        "replacement": None,
        "source": "OPENCLAW; MODELSDEV",
        "source_date": "2026-11-21",
        "notes": "curated by hand",
    }
    if mode != "chat":
        entry["output_cost_per_request"] = 0.1
    entry.update(overrides)
    return entry


def _document(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": "./model_catalog.schema.json", "catalog_version": 1, "updated": "2026-11-21",
            "models": list(entries)}  # fmt: skip


# ---------------------------------------------------------------------------------------- parsing ---
@pytest.mark.parametrize(
    ("raw", "context", "max_out"),
    [
        ({"context_length": 163840, "max_output_tokens": 16384}, 163840, 16384),
        ({"max_model_len": 32768, "max_tokens": 4096}, 32768, 4096),
        ({"context_window": "262144", "max_completion_tokens": "8192"}, 262144, 8192),
        ({"max_context_length": 1048576.0}, 1048576, None),
        ({"context_length": 100, "max_model_len": 200}, 100, None),  # first spelling wins
        ({"context_length": None, "max_model_len": 200}, 200, None),  # unusable value: next spelling
        ({"context_length": True, "max_tokens": -1}, None, None),  # bools and negatives ignored
        ({"context_length": "lots", "max_tokens": 12.5}, None, None),  # non-integers ignored
    ],
)
def test_limits_from_any_known_spelling(
    raw: dict[str, Any], context: int | None, max_out: int | None
) -> None:
    model = parse_entry({"id": "org/m", **raw})
    assert model is not None
    assert model.max_input_tokens == context
    assert model.max_output_tokens == max_out


@pytest.mark.parametrize(
    ("raw", "prompt", "completion"),
    [
        ({"pricing": {"prompt": "0.28", "completion": "0.4"}}, 2.8e-07, 4e-07),  # strings per 1M
        ({"pricing": {"prompt": 0.28, "completion": 1}}, 2.8e-07, 1e-06),  # numbers per 1M
        ({"pricing": {"input": 2.8e-07, "output": 4e-07}}, 2.8e-07, 4e-07),  # per token
        ({"pricing": {"input": "2.8e-07", "output": "$0.40"}}, 2.8e-07, 4e-07),  # mixed units and spelling
        ({"input_price": 3, "output_price": "15"}, 3e-06, 1.5e-05),  # top level
        ({"pricing": {"prompt": "0.001", "completion": "0.0009"}}, 1e-09, 0.0009),  # the threshold
        ({"pricing": {"prompt": "free?", "completion": -1}}, None, None),
        ({"pricing": {"prompt": "0"}}, 0.0, None),
        ({"pricing": "n/a", "input_price": 1}, 1e-06, None),  # a non-object pricing falls through
        ({}, None, None),
    ],
)
def test_prices_in_any_shape_and_unit(
    raw: dict[str, Any], prompt: float | None, completion: float | None
) -> None:
    model = parse_entry({"id": "org/m", **raw})
    assert model is not None
    assert model.input_cost_per_token == (None if prompt is None else pytest.approx(prompt))
    assert model.output_cost_per_token == (None if completion is None else pytest.approx(completion))


def test_only_id_is_required_and_unknown_fields_are_ignored() -> None:
    payload = {
        "object": "list",
        "data": [
            {"id": "org/bare"},
            {
                "id": "org/odd",
                "quantization": "fp8",
                "endpoint_status": {"state": "serving"},
                "pricing": None,
            },
            {"object": "model"},  # no id
            {"id": "  "},
            "not-an-object",
            {"id": 42},
        ],
    }
    assert parse_models(payload) == [LiveModel("org/bare"), LiveModel("org/odd")]


def test_pricing_object_as_pi_and_quill_router_read_it() -> None:
    """USD per token, strings or numbers, both cache spellings (pi-gmicloud-ai's convertModel)."""
    model = parse_entry(
        {
            "id": "MiniMaxAI/MiniMax-M3",
            "context_length": 1048576,
            "max_output_length": 131072,
            "pricing": {
                "prompt": "0.0000006",
                "completion": 2.4e-06,
                "input_cache_read": "0.00000012",
                "input_cache_write": 7.5e-07,
            },
        }
    )
    assert model == LiveModel("MiniMaxAI/MiniMax-M3", 1048576, 131072, 6e-07, 2.4e-06, 1.2e-07, 7.5e-07)
    short = parse_entry(
        {"id": "org/m", "pricing": {"prompt": 1e-06, "cache_read": 1e-07, "cache_write": "2e-07"}}
    )
    assert short is not None
    assert (short.cache_read_input_token_cost, short.cache_creation_input_token_cost) == (1e-07, 2e-07)


def test_zero_price_promo_rows_give_way_to_the_priced_row() -> None:
    """GMI lists a promoted model twice, once at $0 (pi-gmicloud-ai); its price must not become 0."""
    promo = {"id": "MiniMaxAI/MiniMax-M2.7", "pricing": {"prompt": "0", "completion": "0"}}
    priced = {
        "id": "MiniMaxAI/MiniMax-M2.7",
        "context_length": 196608,
        "pricing": {"prompt": "0.0000003", "completion": "0.0000012"},
    }
    for rows in ([promo, priced], [priced, promo]):
        assert parse_models({"data": [{"id": "org/a"}, *rows, {"id": "org/b"}]}) == [
            LiveModel("org/a"),
            LiveModel("MiniMaxAI/MiniMax-M2.7", 196608, None, 3e-07, 1.2e-06),
            LiveModel("org/b"),
        ]
    # Gaps in the priced row are filled from the promo row; two free rows stay free.
    sparse = {"id": "org/m", "pricing": {"prompt": 1e-06, "completion": 2e-06}}
    assert parse_models([{**promo, "id": "org/m", "context_length": 8192}, sparse]) == [
        LiveModel("org/m", 8192, None, 1e-06, 2e-06)
    ]
    assert parse_models([{**promo, "id": "org/free"}, {**promo, "id": "org/free"}]) == [
        LiveModel("org/free", None, None, 0.0, 0.0)
    ]


def test_bare_uuid_ids_are_skipped() -> None:
    """Custom or internal deployments appear under bare UUIDs (pi-gmicloud-ai drops them too)."""
    payload = [
        {"id": "3f2b8c1e-9a4d-4e7f-8b6a-1c2d3e4f5a6b", "context_length": 8192},
        {"id": "3F2B8C1E-9A4D-4E7F-8B6A-1C2D3E4F5A6B"},
        {"id": "org/model-3f2b8c1e-9a4d-4e7f-8b6a-1c2d3e4f5a6b"},  # a UUID inside a real id is kept
    ]
    assert parse_models(payload) == [LiveModel("org/model-3f2b8c1e-9a4d-4e7f-8b6a-1c2d3e4f5a6b")]


def test_payload_shapes() -> None:
    assert parse_models([{"id": "org/a"}]) == [LiveModel("org/a")]
    assert parse_models({"data": None}) == []
    assert parse_models("garbage") == []


# ------------------------------------------------------------------------------------------- diff ---
def test_diff_added_removed_changed() -> None:
    catalog = {
        e["id"]: e
        for e in (
            _entry("org/same"),
            _entry("org/priced"),
            _entry("org/gone"),
            _entry("org/already-retired", deprecated=True),
            _entry("Veo3", mode="video"),  # media are not on /v1/models: never "removed"
        )
    }
    live = [
        LiveModel("org/same", 131072, None, 2.5e-07 * (1 + 1e-12), None),  # float noise is not a change
        LiveModel("org/priced", 262144, 16384, 3e-07, None),
        LiveModel("org/new", 8192),
    ]
    diff = diff_catalog(catalog, live)
    assert [m.id for m in diff.added] == ["org/new"]
    assert diff.removed == ("org/gone",)
    assert [(c.id, c.field, c.old, c.new) for c in diff.changed] == [
        ("org/priced", "max_input_tokens", 131072, 262144),
        ("org/priced", "input_cost_per_token", 2.5e-07, 3e-07),
    ]
    assert not diff.is_empty()
    assert diff_catalog({"org/same": catalog["org/same"]}, live[:1]).is_empty()


def test_diff_fills_unknown_figures() -> None:
    catalog = {"org/m": _entry("org/m", max_output_tokens=None)}
    diff = diff_catalog(catalog, [LiveModel("org/m", max_output_tokens=4096)])
    assert [(c.field, c.old, c.new) for c in diff.changed] == [("max_output_tokens", None, 4096)]


# ------------------------------------------------------------------------------------------ merge ---
def test_merge_keeps_curation_and_updates_only_live_figures() -> None:
    document = _document(
        _entry("org/priced"), _entry("org/gone"), _entry("org/same"), _entry("Veo3", mode="video")
    )
    original = copy.deepcopy(document)
    live = [
        LiveModel("org/priced", 262144, None, 3e-07, None),
        LiveModel("org/same"),
        LiveModel("org/new", 8192, 1024),
    ]
    merged = merge_catalog(document, live, today=TODAY)
    assert document == original  # input untouched
    by_id = {e["id"]: e for e in merged["models"]}

    priced = by_id["org/priced"]
    assert priced["max_input_tokens"] == 262144
    assert priced["input_cost_per_token"] == 3e-07
    assert priced["max_output_tokens"] == 16384  # live said nothing: kept
    assert priced["output_cost_per_token"] == 1e-06
    assert priced["source"] == f"{LIVE_SOURCE} (max_input_tokens, input_cost_per_token); OPENCLAW; MODELSDEV"
    assert priced["source_date"] == TODAY
    assert (priced["supports_reasoning"], priced["notes"]) == (True, "curated by hand")

    assert by_id["org/same"] == _entry("org/same")  # nothing changed, nothing touched
    assert by_id["org/gone"]["deprecated"] is True  # never deleted
    assert by_id["Veo3"] == _entry("Veo3", mode="video")

    new = by_id["org/new"]
    assert (new["max_input_tokens"], new["max_output_tokens"], new["input_cost_per_token"]) == (
        8192,
        1024,
        None,
    )
    assert not any(value for name, value in new.items() if name.startswith("supports_"))
    assert (new["source"], new["source_date"], new["deprecated"]) == (LIVE_SOURCE, TODAY, False)
    assert [e["id"] for e in merged["models"]] == ["org/priced", "org/gone", "org/same", "org/new", "Veo3"]
    assert merged["updated"] == TODAY


def test_merge_twice_is_stable_and_merges_live_sources() -> None:
    first = merge_catalog(_document(_entry("org/m")), [LiveModel("org/m", 1000)], today=TODAY)
    assert merge_catalog(first, [LiveModel("org/m", 1000)], today="2099-01-01")["models"] == first["models"]
    second = merge_catalog(first, [LiveModel("org/m", 1000, 99)], today="2099-01-01")
    assert second["models"][0]["source"] == (
        f"{LIVE_SOURCE} (max_input_tokens, max_output_tokens); OPENCLAW; MODELSDEV"
    )


def test_merged_shipped_catalog_still_validates(tmp_path: Path) -> None:
    document = json.loads((ROOT / "model_catalog.json").read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "model_catalog.schema.json").read_text(encoding="utf-8"))
    live = [LiveModel("openai/gpt-4o", 128000, 16384, 2.4e-06, 1e-05), LiveModel("acme/brand-new-9b", 32768)]
    merged = merge_catalog(document, live, today=TODAY)
    jsonschema.Draft202012Validator(schema).validate(merged)
    path = tmp_path / "model_catalog.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0o644)
    write_document(merged, path)
    assert json.loads(path.read_text(encoding="utf-8")) == merged
    assert path.read_text(encoding="utf-8").endswith("}\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert list(tmp_path.iterdir()) == [path]  # no temp file left behind
