"""The parameter table: what is accepted, renamed, refused, and what docs/parameters.md documents."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import litellm
import pytest

from litellm_gmi.catalog import capabilities, load_catalog
from litellm_gmi.chat import params
from litellm_gmi.chat.params import prepare_params

MODEL = "deepseek-ai/DeepSeek-V3.2"
REASONING_MODEL = "zai-org/GLM-4.7-FP8"


def prep(
    opts: dict[str, object],
    *,
    model: str = MODEL,
    stream: bool = False,
    drop: bool = False,
    allowed: tuple[str, ...] = (),
) -> dict[str, object]:
    return prepare_params(opts, model=model, stream=stream, drop_params=drop, allowed=allowed)


def test_max_completion_tokens_is_sent_as_max_tokens() -> None:
    assert prep({"max_completion_tokens": 9}) == {"max_tokens": 9}


@pytest.mark.parametrize("name", ["max_tokens", "max_completion_tokens"])
def test_gpt5_models_get_max_completion_tokens(name: str) -> None:
    """The catalog's rule for OpenAI's GPT-5 family, which refuses ``max_tokens`` upstream."""
    assert prep({name: 9}, model="openai/gpt-5.2") == {"max_completion_tokens": 9}


def test_an_uncatalogued_gpt5_id_follows_its_family() -> None:
    assert prep({"max_tokens": 9}, model="openai/gpt-5.9-preview") == {"max_completion_tokens": 9}
    assert prep({"max_completion_tokens": 9}, model="acme/new-model") == {"max_tokens": 9}


def test_both_limits_must_agree() -> None:
    assert prep({"max_tokens": 9, "max_completion_tokens": 9}) == {"max_tokens": 9}
    with pytest.raises(litellm.BadRequestError, match="disagree"):
        prep({"max_tokens": 9, "max_completion_tokens": 10})


def test_every_max_tokens_rule_in_the_catalog_cites_its_evidence() -> None:
    rules = {k: v for k, v in load_catalog().items() if "max_tokens_param" in v}
    assert rules, "the catalog names no max_completion_tokens model"
    for model_id, row in rules.items():
        assert row["max_tokens_param_source"].strip(), model_id
        assert capabilities.max_tokens_name(model_id) == row["max_tokens_param"]


def test_gmi_only_parameters_are_sent_as_given() -> None:
    sent = prep(
        {
            "top_k": 5,
            "ignore_eos": True,
            "context_length_exceeded_behavior": "error",
            "repetition_penalty": 1.1,
            "min_p": 0.05,
        }
    )
    assert sent == {
        "top_k": 5,
        "ignore_eos": True,
        "context_length_exceeded_behavior": "error",
        "repetition_penalty": 1.1,
        "min_p": 0.05,
    }


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("top_k", 0, "between 1 and 128"),
        ("top_k", 129, "between 1 and 128"),
        ("top_k", 2.5, "integer"),
        ("top_k", True, "integer"),
        ("context_length_exceeded_behavior", "drop", "'truncate', 'error'"),
        ("ignore_eos", "yes", "boolean"),
        ("temperature", 2.5, "between 0 and 2"),
        ("top_p", -0.1, "between 0 and 1"),
        ("repetition_penalty", 3, "between 0.0 and 2.0"),
        ("stop", ["a", "b", "c", "d", "e"], "at most 4 stop sequences"),
        ("stop", [1], "list of strings"),
        ("max_tokens", 0, "at least 1"),
        ("response_format", {"type": "yaml"}, "json_object"),
        ("reasoning_effort", "extreme", "'low'"),
    ],
)
def test_out_of_range_values_are_refused(name: str, value: object, reason: str) -> None:
    with pytest.raises(litellm.BadRequestError, match=re.escape(reason)) as info:
        prep({name: value}, model=REASONING_MODEL)
    assert name in str(info.value)


def test_unknown_parameter_is_refused_with_the_way_out() -> None:
    with pytest.raises(litellm.UnsupportedParamsError) as info:
        prep({"frobnicate": 1})
    message = str(info.value)
    assert "'frobnicate'" in message
    assert "extra_body" in message
    assert "drop_params" in message


@pytest.mark.parametrize(("name", "value"), [("mirostat_tau", 0.5), ("prediction", {"type": "content"})])
def test_the_way_out_the_error_names_works(fault_gmi: Any, name: str, value: Any) -> None:
    """The refusal offers allowed_openai_params only where LiteLLM honours it (its OpenAI names);
    each remedy it names then gets the value to GMI."""
    call = {"model": f"gmi/{MODEL}", "messages": [{"role": "user", "content": "hi"}], "num_retries": 0}
    with pytest.raises(litellm.UnsupportedParamsError) as info:
        litellm.completion(**call, **{name: value})
    remedies = [{"extra_body": {name: value}}]
    if "allowed_openai_params" in str(info.value):
        remedies.append({name: value, "allowed_openai_params": [name]})
    assert len(remedies) == (2 if name == "prediction" else 1)
    for remedy in remedies:
        litellm.completion(**call, **remedy)
        assert fault_gmi.bodies()[-1][name] == value, remedy


def test_drop_params_drops_only_unknown_names() -> None:
    assert prep({"frobnicate": 1, "top_k": 3}, drop=True) == {"top_k": 3}


def test_a_single_stop_string_becomes_a_list() -> None:
    assert prep({"stop": "END"}) == {"stop": ["END"]}


def test_tools_are_never_dropped() -> None:
    tools = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]
    sent = prep({"tools": tools, "tool_choice": "auto", "parallel_tool_calls": True})
    assert sent == {"tools": tools, "tool_choice": "auto", "parallel_tool_calls": True}


def test_streaming_always_asks_for_usage() -> None:
    assert prep({}, stream=True) == {"stream_options": {"include_usage": True}}
    assert prep({"stream_options": {"include_usage": False}}, stream=True)["stream_options"] == {
        "include_usage": True
    }


def test_response_format_is_passed_on_for_the_config() -> None:
    """The schema decision needs the messages, so it is the config's
    (tests/chat/test_structured_output.py)."""
    fmt = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}
    assert prep({"response_format": fmt}) == {"response_format": fmt}


def test_reasoning_parameters_are_refused_only_where_the_catalog_says_gmi_refuses(
    refusing_model: str,
) -> None:
    with pytest.raises(litellm.UnsupportedParamsError, match=r"records that GMI refuses") as info:
        prep({"reasoning_effort": "high"}, model=refusing_model)
    assert "allowed_openai_params" in str(info.value)
    assert "drop_params" in str(info.value)
    assert prep({"reasoning_effort": "high"}, model=refusing_model, drop=True) == {}
    assert prep({"thinking": {"type": "enabled"}}, model=refusing_model, allowed=("thinking",)) == {
        "thinking": {"type": "enabled"}
    }


@pytest.mark.parametrize(
    "model",
    [
        "openai/gpt-5.2",  # marked reasoning (was refused before issue 20)
        "anthropic/claude-opus-4.5",  # marked reasoning (was refused before issue 20)
        "openai/gpt-4o",  # unknown (null): sent, GMI answers
        "acme/unlisted",  # not in the catalog
    ],
)
def test_reasoning_parameters_reach_reasoning_unknown_and_unlisted_models(model: str) -> None:
    assert prep({"reasoning_effort": "high"}, model=model) == {"reasoning_effort": "high"}
    assert prep({"thinking": {"type": "enabled", "budget_tokens": 2048}}, model=model) == {
        "thinking": {"type": "enabled", "budget_tokens": 2048}
    }


def test_no_catalog_row_refuses_reasoning() -> None:
    """Refusal needs a source showing GMI refuses; none does, so no chat row says false."""
    assert [
        m for m, e in load_catalog().items() if e["mode"] == "chat" and e["supports_reasoning"] is False
    ] == []


def test_the_advertised_list_is_the_table_per_model(refusing_model: str) -> None:
    reasoning = params.supported_openai_params(REASONING_MODEL)
    plain = params.supported_openai_params(refusing_model)
    assert set(reasoning) == {p.name for p in params.PARAMS if not p.control}
    assert set(reasoning) - set(plain) == {"reasoning_effort", "thinking"}
    assert set(params.supported_openai_params("openai/gpt-5.2")) == set(reasoning)
    assert "gmi_structured_output" not in reasoning
    assert {"store", "service_tier"}.isdisjoint(reasoning)


def test_reasoning_effort_also_switches_minimax_thinking() -> None:
    assert prep({"reasoning_effort": "high"}, model="MiniMaxAI/MiniMax-M2.1") == {
        "reasoning_effort": "high",
        "thinking": {"type": "enabled"},
    }
    assert prep({"reasoning_effort": "none"}, model="MiniMaxAI/MiniMax-M2.1")["thinking"] == {
        "type": "disabled"
    }
    assert "thinking" not in prep({"reasoning_effort": "high"}, model=REASONING_MODEL)


@pytest.mark.parametrize(
    ("model", "key"),
    [
        ("Qwen/Qwen3-32B-FP8", "enable_thinking"),
        ("Qwen/Qwen3.8-Max", "enable_thinking"),
        ("zai-org/GLM-4.7-FP8", "enable_thinking"),
        ("deepseek-ai/DeepSeek-V3.1", "thinking"),
        ("deepseek-ai/DeepSeek-V4-Pro", "thinking"),
    ],
)
def test_hybrid_models_get_their_chat_template_switch(model: str, key: str) -> None:
    assert prep({"reasoning_effort": "high"}, model=model) == {
        "reasoning_effort": "high",
        "chat_template_kwargs": {key: True},
    }
    assert prep({"reasoning_effort": "none"}, model=model)["chat_template_kwargs"] == {key: False}
    assert prep({"thinking": {"type": "disabled"}}, model=model)["chat_template_kwargs"] == {key: False}
    # The caller's own switch wins, and their other template kwargs stay.
    mine = {"chat_template_kwargs": {key: False, "x": 1}, "reasoning_effort": "high"}
    assert prep(mine, model=model)["chat_template_kwargs"] == {key: False, "x": 1}


@pytest.mark.parametrize(
    "model",
    [
        "Qwen/Qwen3-235B-A22B-Thinking-2507-FP8",
        "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8",
        "deepseek-ai/DeepSeek-R1",
    ],
)
def test_single_mode_models_get_no_template_switch(model: str) -> None:
    assert "chat_template_kwargs" not in prep({"reasoning_effort": "high"}, model=model)


def test_none_values_are_not_sent() -> None:
    assert prep({"temperature": None, "top_k": None}) == {}


def test_docs_table_lists_every_parameter_and_its_wire_name() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "parameters.md").read_text()
    section = page.split("## The table", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| ([^|]+) \|", section, flags=re.MULTILINE))
    assert set(rows) == {p.name for p in params.PARAMS}
    for p in params.PARAMS:
        sent = "not sent" if p.control else f"`{p.wire_name}`"
        assert rows[p.name].startswith(sent), (p.name, rows[p.name])


# ---------------------------------------------------------------------- NaN and inf (issue 14, item 10) ---
NON_FINITE_PARAMS = (
    "temperature",
    "top_p",
    "min_p",
    "repetition_penalty",
    "presence_penalty",
    "frequency_penalty",
)


@pytest.mark.parametrize("name", NON_FINITE_PARAMS)
@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")], ids=["nan", "inf", "-inf"])
def test_non_finite_numbers_are_refused_before_the_network(fault_gmi: Any, name: str, value: float) -> None:
    with pytest.raises(litellm.BadRequestError, match=f"invalid {name}=.*finite"):
        litellm.completion(
            model=f"gmi/{MODEL}", messages=[{"role": "user", "content": "hi"}], num_retries=0, **{name: value}
        )
    assert fault_gmi.count() == 0


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        ({"extra_body": {"top_k": 20, "guidance": float("nan")}}, "extra_body['guidance']=nan"),
        ({"extra_body": {"logit_bias": {"42": float("-inf")}}}, "extra_body['logit_bias']['42']=-inf"),
        ({"extra_body": {"weights": [0.5, float("inf")]}}, "extra_body['weights'][1]=inf"),
        (
            {"prediction": {"weight": float("nan")}, "allowed_openai_params": ["prediction"]},
            "prediction['weight']=nan",
        ),
    ],
    ids=["extra_body", "nested", "list", "allowed_extra"],
)
def test_non_finite_numbers_no_row_checks_are_refused_with_their_path(
    fault_gmi: Any, extra: dict[str, Any], where: str
) -> None:
    """``extra_body`` and allowed extras bypass the table; json.dumps would write a bare ``NaN``."""
    with pytest.raises(litellm.BadRequestError, match=re.escape(f"invalid {where}: must be a finite number")):
        litellm.completion(
            model=f"gmi/{MODEL}", messages=[{"role": "user", "content": "hi"}], num_retries=0, **extra
        )
    assert fault_gmi.count() == 0


def test_finite_extra_body_still_reaches_gmi(fault_gmi: Any) -> None:
    litellm.completion(
        model=f"gmi/{MODEL}",
        messages=[{"role": "user", "content": "hi"}],
        num_retries=0,
        extra_body={"top_k": 20, "weights": [0.5, 1.0], "nested": {"x": 1e308}},
    )
    [body] = fault_gmi.bodies()
    assert (body["top_k"], body["weights"], body["nested"]) == (20, [0.5, 1.0], {"x": 1e308})
