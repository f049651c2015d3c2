"""The shipped catalog: its file, and LiteLLM's lookups once it is registered (run on both LiteLLM pins)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import litellm
import pytest
from catalog_prices import catalog_cost

from gmi_emulator.model_table import UNCATALOGUED_MODEL
from litellm_gmi import catalog
from litellm_gmi.litellm_seams.version import LITELLM_VERSION, _release

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT: dict[str, Any] = json.loads((ROOT / "model_catalog.json").read_text(encoding="utf-8"))
CATALOG = catalog.load_catalog()

PAGE_CONTEXTS = {  # LiteLLM's GMI provider page, "409K" etc. spelled out
    "anthropic/claude-opus-4.5": 409600,
    "anthropic/claude-sonnet-4.5": 409600,
    "anthropic/claude-sonnet-4": 409600,
    "anthropic/claude-opus-4": 409600,
    "openai/gpt-5.2": 409600,
    "openai/gpt-5.1": 409600,
    "openai/gpt-5": 409600,
    "openai/gpt-4o": 131072,
    "openai/gpt-4o-mini": 131072,
    "deepseek-ai/DeepSeek-V3.2": 163840,
    "deepseek-ai/DeepSeek-V3-0324": 163840,
    "google/gemini-3-pro-preview": 1048576,
    "google/gemini-3-flash-preview": 1048576,
    "moonshotai/Kimi-K2-Thinking": 262144,
    "MiniMaxAI/MiniMax-M2.1": 196608,
    "Qwen/Qwen3-VL-235B-A22B-Instruct-FP8": 262144,
    "zai-org/GLM-4.7-FP8": 202752,
}
FAMILY_SAMPLES = [  # one priced model per org, so each family's id shape goes through LiteLLM's lookups
    "anthropic/claude-sonnet-4.5",
    "openai/gpt-4o",
    "deepseek-ai/DeepSeek-V3.2",
    "google/gemini-3-flash-preview",
    "moonshotai/Kimi-K2-Thinking",
    "MiniMaxAI/MiniMax-M2.1",
    "Qwen/Qwen3-VL-235B-A22B-Instruct-FP8",
    "zai-org/GLM-4.7-FP8",
    "meta-llama/Llama-3.3-70B-Instruct",
]
MESSAGES = [{"role": "user", "content": "Name three prime numbers."}]


@pytest.fixture(autouse=True)
def _registered() -> None:
    catalog.register_catalog()


def _response(model_id: str, prompt: int, completion: int) -> litellm.ModelResponse:
    """A response as the plugin path returns it: ``model`` without ``gmi/``, the provider in hidden params."""
    response = litellm.ModelResponse(
        model=model_id,
        choices=[
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "2, 3, 5"}}
        ],
        usage=litellm.Usage(
            prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion
        ),
    )
    response._hidden_params["custom_llm_provider"] = "gmi"
    return response


# ------------------------------------------------------------------------------------------- the file ---
def test_file_validates_against_schema() -> None:
    schema = json.loads((ROOT / "model_catalog.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(DOCUMENT)


def test_schema_rejects_unknown_fields_and_bad_modes() -> None:
    schema = json.loads((ROOT / "model_catalog.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    entry = dict(DOCUMENT["models"][0])
    assert not list(validator.iter_errors({**DOCUMENT, "models": [entry]}))
    assert list(validator.iter_errors({**DOCUMENT, "models": [{**entry, "context": 1}]}))
    assert list(validator.iter_errors({**DOCUMENT, "models": [{**entry, "mode": "rerank"}]}))
    tier = "input_cost_per_token_above_512k_tokens"
    assert not list(validator.iter_errors({**DOCUMENT, "models": [{**entry, tier: 1e-06}]}))
    assert list(validator.iter_errors({**DOCUMENT, "models": [{**entry, "input_cost_above_512k": 1e-06}]}))
    unsourced = {k: v for k, v in entry.items() if k != "supported_endpoints_source"}
    assert list(
        validator.iter_errors(
            {**DOCUMENT, "models": [{**unsourced, "supported_endpoints": ["/v1/chat/completions"]}]}
        )
    )
    veo = next(e for e in DOCUMENT["models"] if e["id"] == "Veo3")
    assert list(validator.iter_errors({**DOCUMENT, "models": [{**veo, tier: 1e-06}]}))  # tiers: chat only
    assert list(validator.iter_errors({**DOCUMENT, "models": [{**entry, "id": "gmi/" + entry["id"]}]}))


def test_supported_endpoints_need_a_source_and_known_paths() -> None:
    schema = json.loads((ROOT / "model_catalog.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    entry = {k: v for k, v in DOCUMENT["models"][0].items() if not k.startswith("supported_endpoints")}
    endpoints = ["/v1/chat/completions", "/v1/messages"]
    sourced = {**entry, "supported_endpoints": endpoints, "supported_endpoints_source": "GMI docs"}
    assert not list(validator.iter_errors({**DOCUMENT, "models": [sourced]}))
    assert list(validator.iter_errors({**DOCUMENT, "models": [{**entry, "supported_endpoints": endpoints}]}))
    unknown = {**sourced, "supported_endpoints": ["/v1/completions"]}
    assert list(validator.iter_errors({**DOCUMENT, "models": [unknown]}))


def test_native_endpoints_per_family() -> None:
    """README "Coding agents": which family goes where, and no model is routed without a source."""
    routed = {m["id"]: m["supported_endpoints"] for m in DOCUMENT["models"] if "supported_endpoints" in m}
    assert all("/v1/messages" in routed[i] for i in routed if i.startswith("anthropic/claude-"))
    assert "/v1/messages" in routed["MiniMaxAI/MiniMax-M2.7"]
    assert "/v1/responses" in routed["openai/gpt-5.2"]
    assert "MiniMaxAI/MiniMax-M3" not in routed  # no source yet
    assert catalog.supported_endpoints("gmi/openai/gpt-5.2") == tuple(routed["openai/gpt-5.2"])
    assert catalog.supported_endpoints("deepseek-ai/DeepSeek-V3.2") == ()
    assert catalog.supported_endpoints("acme/unknown") == ()


def test_ids_are_unique_and_replacements_exist() -> None:
    ids = [entry["id"] for entry in DOCUMENT["models"]]
    assert len(ids) == len(set(ids))
    for entry in DOCUMENT["models"]:
        if entry["replacement"] is not None:
            assert entry["replacement"] in CATALOG, entry["id"]


def test_loader_reads_the_repo_file_in_a_checkout() -> None:
    assert catalog.catalog_path() == ROOT / "model_catalog.json"
    assert list(CATALOG) == [entry["id"] for entry in DOCUMENT["models"]]
    assert catalog.load_catalog() is CATALOG  # parsed once


@pytest.mark.parametrize(("model_id", "context"), PAGE_CONTEXTS.items())
def test_page_models_have_the_page_context(model_id: str, context: int) -> None:
    assert CATALOG[model_id]["mode"] == "chat"
    assert CATALOG[model_id]["max_input_tokens"] == context


def test_coverage_floor() -> None:
    """Issue 10: at least 75 chat models, 90% of them with a context length, 80% with both prices."""
    chat = [entry for entry in CATALOG.values() if entry["mode"] == "chat"]
    with_context = [e for e in chat if e["max_input_tokens"] is not None]
    priced = [
        e for e in chat if e["input_cost_per_token"] is not None and e["output_cost_per_token"] is not None
    ]
    assert len(chat) >= 75
    assert len(with_context) / len(chat) >= 0.90, f"{len(with_context)} of {len(chat)} have a context length"
    assert len(priced) / len(chat) >= 0.80, f"{len(priced)} of {len(chat)} have both prices"


def test_every_figure_has_a_dated_source() -> None:
    for entry in CATALOG.values():
        assert entry["source"].strip(), entry["id"]
        assert entry["source_date"] <= DOCUMENT["updated"], entry["id"]
        if entry.get("supported_endpoints"):
            assert entry.get("supported_endpoints_source"), entry["id"]


def test_maverick_has_the_id_gmi_serves() -> None:
    assert "meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8" in CATALOG
    assert "meta-llama/Llama-4-Maverick-17B-128E-Instruct" not in CATALOG


def test_models_named_in_issue_10_are_catalogued() -> None:
    chat = {
        "deepseek-ai/DeepSeek-R1-0528",
        "anthropic/claude-haiku-4.5",
        "google/gemini-3.7-flash",
        "zai-org/GLM-5.3-Flash",
        "x-ai/grok-4.5",
        "tencent/hy3-preview",
        "XiaomiMiMo/MiMo-V2.5",
        "XiaomiMiMo/MiMo-V2.5-Pro",
        "openai/gpt-5.2-chat",
        "openai/gpt-5.4-nano",
    }
    media = {
        "seedream-5.0-pro",
        "minimax-tts-speech-2.8-turbo",
        "minimax-tts-speech-2.8-hd",
        "minimax-music-3.0",
    }
    assert {model_id: CATALOG[model_id]["mode"] for model_id in chat} == dict.fromkeys(chat, "chat")
    assert media <= set(CATALOG)
    assert {CATALOG[m]["mode"] for m in ("BAAI/bge-m3", "BAAI/bge-base-en-v1.5")} == {"embedding"}


def test_response_schema_only_where_a_source_shows_it() -> None:
    marked = {model_id for model_id, entry in CATALOG.items() if entry["supports_response_schema"]}
    assert marked == {"zai-org/GLM-5-FP8", "zai-org/GLM-5.2-FP8", "moonshotai/kimi-k2.7-code"}
    for entry in CATALOG.values():
        if entry["supports_response_schema"] is False:
            assert "GMIDOC-LLM" in entry["source"], entry["id"]
            assert "json_object" in entry.get("notes", ""), entry["id"]
    row = catalog.litellm_cost_map()["gmi/openai/gpt-4o"]
    assert "supports_response_schema" not in row  # unknown: left out, not written as False


def _current_chat() -> list[Any]:
    return [e for e in CATALOG.values() if e["mode"] == "chat" and not e["deprecated"]]


def test_output_limit_floor() -> None:
    """Issue 20: at least 90% of current chat models carry an output limit, each from a named source;
    a figure that is not GMI's own says so in its notes."""
    chat = _current_chat()
    limited = [e for e in chat if e["max_output_tokens"] is not None]
    assert len(limited) / len(chat) >= 0.90, f"{len(limited)} of {len(chat)} have an output limit"
    for entry in limited:
        assert entry["max_output_tokens"] <= (entry["max_input_tokens"] or entry["max_output_tokens"]), entry[
            "id"
        ]
    for model_id in (
        "google/gemini-3.1-pro-preview",
        "openai/gpt-5.4",
        "deepseek-ai/DeepSeek-V3.1",
        "moonshotai/Kimi-K2.5",
        "MiniMaxAI/MiniMax-M3",
        "Qwen/Qwen3.7-Max",
        "deepseek-ai/DeepSeek-R1-0528",
    ):  # the ones issue 20 names
        entry = CATALOG[model_id]
        assert litellm.get_max_tokens(f"gmi/{model_id}") == entry["max_output_tokens"] is not None
        assert "not GMI's" in entry["notes"] or "not a GMI-published" in entry["notes"], model_id


def test_response_schema_floor() -> None:
    """Issue 20: ``supports_response_schema`` is answered (true or false, with a source) for at least half."""
    chat = [e for e in CATALOG.values() if e["mode"] == "chat"]
    answered = [e for e in chat if e["supports_response_schema"] is not None]
    assert len(answered) / len(chat) >= 0.50, f"{len(answered)} of {len(chat)} answered"


REASONING_FAMILIES = {  # issue 20, item 1: one or more catalog ids per family
    "GPT-5.x": [
        "openai/gpt-5",
        "openai/gpt-5.2",
        "openai/gpt-5.4",
        "openai/gpt-5.4-mini",
        "openai/gpt-5.5",
        "openai/gpt-5.2-chat",
        "openai/gpt-5.3-codex",
    ],
    "gpt-oss": ["openai/gpt-oss-120b"],
    "Claude 4.x and later": [
        "anthropic/claude-sonnet-4",
        "anthropic/claude-sonnet-4.5",
        "anthropic/claude-opus-4.5",
        "anthropic/claude-opus-4.1",
        "anthropic/claude-haiku-4.5",
        "anthropic/claude-opus-5",
    ],
    "DeepSeek-R1": ["deepseek-ai/DeepSeek-R1", "deepseek-ai/DeepSeek-R1-0528"],
    "DeepSeek hybrid": [
        "deepseek-ai/DeepSeek-V3.1",
        "deepseek-ai/DeepSeek-V3.2",
        "deepseek-ai/DeepSeek-V4-Pro",
        "deepseek-ai/DeepSeek-V4-Pro-0813",
    ],
    "Kimi": [
        "moonshotai/Kimi-K2-Thinking",
        "moonshotai/Kimi-K2.5",
        "moonshotai/Kimi-K2.6",
        "moonshotai/kimi-k3",
    ],
    "Qwen3 thinking": [
        "Qwen/Qwen3-32B-FP8",
        "Qwen/Qwen3-Next-80B-A3B-Thinking",
        "Qwen/Qwen3.7-Max",
        "Qwen/QwQ-32B",
    ],
    "GLM-4.5+": ["zai-org/GLM-4.7-FP8", "zai-org/GLM-5-FP8", "zai-org/GLM-5.2-FP8"],
    "MiniMax": [
        "MiniMaxAI/MiniMax-M2.1",
        "MiniMaxAI/MiniMax-M2.5",
        "MiniMaxAI/MiniMax-M2.7",
        "MiniMaxAI/MiniMax-M3",
    ],
    "Gemini 2.5+": [
        "google/gemini-3-flash-preview",
        "google/gemini-3.1-pro-preview",
        "google/gemini-3.7-flash",
    ],
}


@pytest.mark.parametrize("family", sorted(REASONING_FAMILIES))
def test_every_reasoning_family_reasons_in_litellm(family: str) -> None:
    for model_id in REASONING_FAMILIES[family]:
        assert CATALOG[model_id]["supports_reasoning"] is True, model_id
        assert litellm.supports_reasoning(f"gmi/{model_id}") is True, model_id


def test_reasoning_is_false_nowhere_and_unknown_is_left_out() -> None:
    """False would refuse before the network; no source shows GMI refusing, so unknown stays null and is
    left out of LiteLLM's row (LiteLLM answers False, our own check sends it)."""
    assert not any(e["supports_reasoning"] is False for e in CATALOG.values() if e["mode"] == "chat")
    assert CATALOG["openai/gpt-4o"]["supports_reasoning"] is None
    assert "supports_reasoning" not in catalog.litellm_cost_map()["gmi/openai/gpt-4o"]


def test_native_endpoints_reach_litellm() -> None:
    rows = catalog.litellm_cost_map()
    assert rows["gmi/anthropic/claude-sonnet-4.5"]["supported_endpoints"] == [
        "/v1/chat/completions",
        "/v1/messages",
    ]
    assert "/v1/messages" in rows["gmi/MiniMaxAI/MiniMax-M2.7"]["supported_endpoints"]
    assert "/v1/responses" in rows["gmi/openai/gpt-5.4-nano"]["supported_endpoints"]
    assert rows["gmi/BAAI/bge-m3"]["mode"] == "embedding"
    assert rows["gmi/BAAI/bge-m3"]["supported_endpoints"] == ["/v1/embeddings"]
    assert "supported_endpoints" not in rows["gmi/deepseek-ai/DeepSeek-V3.2"]


def test_coverage_counts() -> None:
    modes = [entry["mode"] for entry in CATALOG.values()]
    assert modes.count("chat") >= len(PAGE_CONTEXTS) + 40
    assert {"video", "image", "audio"} <= set(modes)
    assert CATALOG["seedream-5.0-lite"]["output_cost_per_request"] == pytest.approx(0.035)
    assert CATALOG["Kling-Image2Video-V2.1-Master"]["output_cost_per_request"] == pytest.approx(0.28)
    assert CATALOG["seedance-2-0-260128"].get("output_cost_per_second") == pytest.approx(0.052)


def test_conflicts_are_explained() -> None:
    """A figure chosen between disagreeing sources says which and why."""
    for entry in CATALOG.values():
        if "[C]" in entry.get("notes", ""):
            assert ";" in entry["source"], entry["id"]  # more than one source was weighed
    conflicted = [entry["id"] for entry in CATALOG.values() if "[C]" in entry.get("notes", "")]
    assert "moonshotai/Kimi-K2.6" in conflicted
    assert "Qwen/Qwen3.7-Max" in conflicted


# --------------------------------------------------------------------------- LiteLLM after registration ---
@pytest.mark.parametrize("model_id", FAMILY_SAMPLES)
def test_model_info_and_max_tokens(model_id: str) -> None:
    entry = CATALOG[model_id]
    info = litellm.get_model_info(f"gmi/{model_id}")
    assert info["litellm_provider"] == "gmi"
    assert info["mode"] == "chat"
    # Where the catalog has no figure, LiteLLM's own row answers if its release has one (1.110 added
    # 119 gmi/ rows): only the catalog's figures are ours to assert.
    for field in ("input_cost_per_token", "output_cost_per_token", "max_input_tokens"):
        if entry[field] is not None:  # type: ignore[literal-required]
            assert info[field] == entry[field], field  # type: ignore[literal-required]
    if entry["max_output_tokens"] is not None:
        assert litellm.get_max_tokens(f"gmi/{model_id}") == entry["max_output_tokens"]


@pytest.mark.parametrize("model_id", FAMILY_SAMPLES)
def test_capability_helpers(model_id: str) -> None:
    entry = CATALOG[model_id]
    for flag in (
        "supports_function_calling",
        "supports_vision",
        "supports_reasoning",
        "supports_response_schema",
    ):
        helper = getattr(litellm, flag)
        expected = bool(entry[flag])  # type: ignore[literal-required]  # null (unknown) answers False
        assert helper(f"gmi/{model_id}") is expected, flag
        assert helper(model=model_id, custom_llm_provider="gmi") is expected, flag


@pytest.mark.parametrize("model_id", FAMILY_SAMPLES)
def test_completion_cost(model_id: str) -> None:
    response = _response(model_id, 1200, 300)
    expected = catalog_cost(model_id, 1200, 300)
    assert litellm.completion_cost(completion_response=response) == pytest.approx(expected)
    assert litellm.completion_cost(completion_response=response, model=f"gmi/{model_id}") == pytest.approx(
        expected
    )
    assert litellm.completion_cost(
        completion_response=response, model=model_id, custom_llm_provider="gmi"
    ) == pytest.approx(expected)


@pytest.mark.parametrize("model_id", ["deepseek-ai/DeepSeek-V3.2", "moonshotai/Kimi-K2-Thinking"])
def test_cost_of_a_streamed_response(model_id: str) -> None:
    def chunk(delta: dict[str, Any], **extra: Any) -> litellm.ModelResponse:
        response = litellm.ModelResponse(
            stream=True, id="chatcmpl-1", model=model_id, choices=[{"index": 0, **delta}], **extra
        )
        response._hidden_params["custom_llm_provider"] = "gmi"
        return response

    chunks = [chunk({"delta": {"role": "assistant", "content": part}}) for part in ("2, ", "3, ", "5")]
    usage = litellm.Usage(prompt_tokens=40, completion_tokens=7, total_tokens=47)
    chunks.append(chunk({"delta": {}, "finish_reason": "stop"}, usage=usage))
    built = litellm.stream_chunk_builder(chunks, messages=MESSAGES)
    assert built is not None
    assert built.choices[0].message.content == "2, 3, 5"
    assert built.usage.prompt_tokens == 40
    expected = catalog_cost(model_id, 40, 7)
    assert litellm.completion_cost(completion_response=built, model=f"gmi/{model_id}") == pytest.approx(
        expected
    )
    assert litellm.completion_cost(
        completion_response=built, model=model_id, custom_llm_provider="gmi"
    ) == pytest.approx(expected)


@pytest.mark.parametrize("model_id", FAMILY_SAMPLES)
def test_token_counter(model_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Llama ids make LiteLLM try a Hugging Face tokenizer download first; offline it falls back to tiktoken.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    short = litellm.token_counter(model=f"gmi/{model_id}", messages=MESSAGES)
    longer = litellm.token_counter(model=f"gmi/{model_id}", messages=[*MESSAGES, *MESSAGES])
    assert 0 < short < longer


def test_our_figures_win_over_litellm_rows() -> None:
    """Rows LiteLLM ships (1.106.2) or that a cost-map reload brings back are replaced by ours."""
    key = "gmi/moonshotai/Kimi-K2-Thinking"
    builtin = {  # LiteLLM 1.106.2's own row: no supports_reasoning, no supports_function_calling
        "input_cost_per_token": 8e-07,
        "litellm_provider": "gmi",
        "max_input_tokens": 262144,
        "max_output_tokens": 16384,
        "max_tokens": 16384,
        "mode": "chat",
        "output_cost_per_token": 1.2e-06,
    }
    saved = litellm.model_cost[key]
    try:
        litellm.model_cost[key] = builtin
        catalog.register_catalog()
        assert litellm.supports_reasoning(key) is True
        assert litellm.supports_function_calling(key) is True
    finally:
        litellm.model_cost[key] = saved
    assert litellm.get_max_tokens("gmi/deepseek-ai/DeepSeek-V3.2") == 65536  # LiteLLM's row says 16,384
    assert litellm.get_model_info("gmi/deepseek-ai/DeepSeek-V3.2")["input_cost_per_token"] == pytest.approx(
        2.9e-07
    )


def test_gemini_3_pro_has_context_but_no_invented_price() -> None:
    info = litellm.get_model_info("gmi/google/gemini-3-pro-preview")
    assert info["max_input_tokens"] == 1048576
    assert CATALOG["google/gemini-3-pro-preview"]["input_cost_per_token"] is None
    assert "no source gives a GMI price" in CATALOG["google/gemini-3-pro-preview"].get("notes", "")


def test_media_models_map_to_litellm_modes() -> None:
    rows = catalog.litellm_cost_map()
    assert rows["gmi/seedream-5.0-lite"]["mode"] == "image_generation"
    assert rows["gmi/seedream-5.0-lite"]["output_cost_per_image"] == pytest.approx(0.035)
    assert rows["gmi/Veo3"]["mode"] == "video_generation"
    assert rows["gmi/seedance-2-0-260128"]["output_cost_per_video_per_second"] == pytest.approx(0.052)
    assert rows["gmi/elevenlabs-tts-v3"]["mode"] == "audio_speech"
    assert "supports_system_messages" not in rows["gmi/Veo3"]
    assert rows["gmi/openai/gpt-4o"]["supports_system_messages"] is True
    assert litellm.get_model_info("gmi/Veo3")["mode"] == "video_generation"


def test_unknown_figures_are_left_out_not_zeroed() -> None:
    row = catalog.litellm_cost_map()["gmi/deepseek-ai/DeepSeek-V3"]  # no GMI source gives either
    assert "input_cost_per_token" not in row
    assert "max_input_tokens" not in row
    assert row["supports_function_calling"] is True


# ------------------------------------------------------------------------------------- price tiers ---
M3 = "MiniMaxAI/MiniMax-M3"
TIERS_READ = _release(LITELLM_VERSION) >= (1, 106, 0)
"""LiteLLM 1.106.2 prices any ``*_above_<N>k_tokens`` key; 1.81.1's get_model_info drops all but 128k/200k."""


def test_m3_tiers_are_in_litellms_own_keys() -> None:
    row = catalog.litellm_cost_map()[f"gmi/{M3}"]
    assert row["cache_read_input_token_cost"] == pytest.approx(0.048e-6)  # current price (GMI artifacts feed)
    assert row["input_cost_per_token_above_512k_tokens"] == pytest.approx(1.20e-6)
    assert row["output_cost_per_token_above_512k_tokens"] == pytest.approx(4.80e-6)
    assert row["cache_read_input_token_cost_above_512k_tokens"] == pytest.approx(0.24e-6)


@pytest.mark.parametrize(("prompt", "tier"), [(512_000, "base"), (600_000, "above_512k"), (20_000, "base")])
def test_m3_cost_above_512k_tokens_is_priced_by_litellm(prompt: int, tier: str) -> None:
    entry = CATALOG[M3]
    high = tier == "above_512k" and TIERS_READ
    rates = (
        (entry["input_cost_per_token_above_512k_tokens"], entry["output_cost_per_token_above_512k_tokens"])  # type: ignore[typeddict-item]
        if high
        else (entry["input_cost_per_token"], entry["output_cost_per_token"])
    )
    expected = (prompt * rates[0], 1_000 * rates[1])
    assert litellm.cost_per_token(
        model=f"gmi/{M3}", prompt_tokens=prompt, completion_tokens=1_000
    ) == pytest.approx(expected)
    response = _response(M3, prompt, 1_000)
    assert litellm.completion_cost(completion_response=response) == pytest.approx(sum(expected))


def test_m3_cached_tokens_above_512k_use_the_tier_cache_price() -> None:
    if not TIERS_READ:
        pytest.skip("LiteLLM 1.81.x: get_model_info drops *_above_512k_tokens keys (see TIERS_READ)")
    usage = litellm.Usage(
        prompt_tokens=600_000,
        completion_tokens=0,
        total_tokens=600_000,
        prompt_tokens_details={"cached_tokens": 100_000},
    )
    prompt_cost, _ = litellm.cost_per_token(model=f"gmi/{M3}", usage_object=usage)
    assert prompt_cost == pytest.approx(500_000 * 1.20e-6 + 100_000 * 0.24e-6)


def test_register_is_idempotent() -> None:
    before = {key: dict(litellm.model_cost[key]) for key in catalog.litellm_cost_map()}
    catalog.register_catalog()
    catalog.register_catalog()
    assert {key: dict(litellm.model_cost[key]) for key in before} == before


def test_unknown_model_is_not_mapped() -> None:
    with pytest.raises(Exception, match="isn't mapped"):
        litellm.get_model_info("gmi/acme/unknown")
    with pytest.raises(Exception, match="isn't mapped"):
        litellm.completion_cost(
            completion_response=_response("acme/unknown", 10, 5), model="gmi/acme/unknown"
        )
    assert litellm.supports_function_calling("gmi/acme/unknown") is False


# ------------------------------------------------------------------------------- through completion() ---
@pytest.mark.vcr
@pytest.mark.usefixtures("gmi_env")
def test_completion_is_priced_from_the_catalog() -> None:
    model_id = "deepseek-ai/DeepSeek-V3.2"
    response = litellm.completion(model=f"gmi/{model_id}", messages=MESSAGES)
    usage = response.usage
    expected = catalog_cost(model_id, usage.prompt_tokens, usage.completion_tokens)
    assert response._hidden_params["response_cost"] == pytest.approx(expected)
    assert litellm.completion_cost(completion_response=response) == pytest.approx(expected)


@pytest.mark.vcr
@pytest.mark.usefixtures("gmi_env")
def test_uncatalogued_model_still_completes() -> None:
    assert UNCATALOGUED_MODEL not in CATALOG
    response = litellm.completion(model=f"gmi/{UNCATALOGUED_MODEL}", messages=MESSAGES)
    assert response.choices[0].message.content
    assert response._hidden_params.get("response_cost") is None


# ------------------------------------------------------------------ reconciled with LiteLLM's gmi/ rows ---
def test_every_disagreement_with_litellms_own_rows_is_explained() -> None:
    """Issue 20: on every supported release, a figure where the catalog and the installed LiteLLM's own
    ``gmi/`` row differ says why in its notes, and every id LiteLLM lists from a GMI source is catalogued."""
    from litellm_gmi.catalog.builtin_rows import builtin_gmi_rows, diff_builtin

    builtin = builtin_gmi_rows()
    diff = diff_builtin(CATALOG, builtin)
    for disagreement in diff.disagreements:
        assert "LiteLLM" in CATALOG[disagreement.id].get("notes", ""), disagreement
    sourced = [i for i in diff.only_litellm if "gmicloud" in str(builtin[i].get("source", ""))]
    assert sourced == []


def test_reconciled_figures_take_the_newer_gmi_source() -> None:
    """GMI's artifacts feed (LiteLLM 1.110.2) is newer than the catalog's earlier sources for these."""
    assert CATALOG["Qwen/Qwen3.8-Flash"]["max_input_tokens"] == 1048575
    assert CATALOG["Qwen/Qwen3-235B-A22B-FP8"]["max_input_tokens"] == 32768
    assert CATALOG["Qwen/Qwen3-32B-FP8"]["max_output_tokens"] == 32768  # capped at GMI's context
    for model_id in ("Qwen/Qwen3.8-Flash", "MiniMaxAI/MiniMax-M3", "openai/gpt-6-sol"):
        assert "get_public_artifacts" in CATALOG[model_id]["source"], model_id
    assert "[C]" in CATALOG["MiniMaxAI/MiniMax-M3"]["notes"]
    # LiteLLM's row for DeepSeek-V3.2 cites no source: the dated GMI figure stays.
    assert CATALOG["deepseek-ai/DeepSeek-V3.2"]["input_cost_per_token"] == pytest.approx(2.9e-07)
    assert "cites no source" in CATALOG["deepseek-ai/DeepSeek-V3.2"]["notes"]
