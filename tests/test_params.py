"""The parameter table: what is accepted, renamed, refused, and what the README documents."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import litellm
import pytest

from litellm_gmi.chat import params
from litellm_gmi.chat.params import prepare_params

MODEL = "deepseek-ai/DeepSeek-V3.2"


def prep(
    opts: dict[str, object],
    *,
    model: str = MODEL,
    stream: bool = False,
    drop: bool = False,
    schema: bool = False,
) -> dict[str, object]:
    return prepare_params(opts, model=model, stream=stream, drop_params=drop, supports_response_schema=schema)


def test_max_completion_tokens_is_sent_as_max_tokens() -> None:
    assert prep({"max_completion_tokens": 9}) == {"max_tokens": 9}


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
        prep({name: value})
    assert name in str(info.value)


def test_unknown_parameter_is_refused_with_the_way_out() -> None:
    with pytest.raises(litellm.UnsupportedParamsError) as info:
        prep({"frobnicate": 1})
    message = str(info.value)
    assert "'frobnicate'" in message
    assert "extra_body" in message
    assert "drop_params" in message


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


def test_json_object_is_sent() -> None:
    assert prep({"response_format": {"type": "json_object"}}) == {"response_format": {"type": "json_object"}}


def test_json_schema_is_sent_where_the_catalog_allows_it() -> None:
    fmt = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}
    assert prep({"response_format": fmt}, schema=True) == {"response_format": fmt}


def test_json_schema_is_downgraded_elsewhere(caplog: pytest.LogCaptureFixture) -> None:
    fmt = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}
    assert prep({"response_format": fmt}) == {"response_format": {"type": "json_object"}}
    assert "json_object instead of json_schema" in caplog.text


def test_a_downgraded_schema_travels_in_a_user_turn() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}}
    fmt = {"type": "json_schema", "json_schema": {"name": "x", "schema": schema}}
    turn = params.schema_turn(fmt, prep({"response_format": fmt})["response_format"])
    assert turn is not None
    assert turn["role"] == "user"
    assert '"n": {\n      "type": "integer"' in turn["content"]
    assert params.schema_turn(fmt, fmt) is None  # sent as json_schema: nothing to add
    assert params.schema_turn({"type": "json_object"}, {"type": "json_object"}) is None
    assert params.schema_turn(None, None) is None


def test_reasoning_effort_also_switches_minimax_thinking() -> None:
    assert prep({"reasoning_effort": "high"}, model="MiniMaxAI/MiniMax-M2.1") == {
        "reasoning_effort": "high",
        "thinking": {"type": "enabled"},
    }
    assert prep({"reasoning_effort": "none"}, model="MiniMaxAI/MiniMax-M2.1")["thinking"] == {
        "type": "disabled"
    }
    assert "thinking" not in prep({"reasoning_effort": "high"})


def test_none_values_are_not_sent() -> None:
    assert prep({"temperature": None, "top_k": None}) == {}


def test_readme_table_lists_every_parameter() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    section = readme.split("## Parameters", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE))
    assert documented == {p.name for p in params.PARAMS}


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
