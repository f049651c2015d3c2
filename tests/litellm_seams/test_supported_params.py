"""One parameter contract: what LiteLLM tells a client ``gmi`` accepts is what the package accepts.

Every name ``litellm.get_supported_openai_params`` advertises for a model is sent with a valid value
through ``litellm.completion`` and must reach the fault server's request body under its wire name.
"""

from __future__ import annotations

from typing import Any

import litellm
import pytest

from litellm_gmi.catalog import capabilities
from litellm_gmi.chat import params

pytestmark = pytest.mark.usefixtures("fault_gmi")

TOOL = {
    "type": "function",
    "function": {"name": "lookup", "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}},
}
VALID: dict[str, Any] = {
    "temperature": 0.5,
    "top_p": 0.9,
    "max_tokens": 7,
    "max_completion_tokens": 7,
    "stop": ["END"],
    "frequency_penalty": 0.1,
    "presence_penalty": 0.2,
    "seed": 3,
    "n": 2,
    "logprobs": True,
    "top_logprobs": 2,
    "logit_bias": {"50256": -100},
    "response_format": {"type": "json_object"},
    "tools": [TOOL],
    "tool_choice": "auto",
    "parallel_tool_calls": True,
    "functions": [TOOL["function"]],
    "function_call": "auto",
    "stream": True,
    "stream_options": {"include_usage": True},
    "user": "user-1",
    "reasoning_effort": "low",
    "thinking": {"type": "enabled"},
    "top_k": 5,
    "ignore_eos": False,
    "context_length_exceeded_behavior": "truncate",
    "repetition_penalty": 1.1,
    "min_p": 0.05,
    "enable_thinking": True,
    "chat_template_kwargs": {"flag": 1},
}
MODELS = ("zai-org/GLM-4.7-FP8", "deepseek-ai/DeepSeek-V3.2", "openai/gpt-5.2", "acme/not-in-the-catalog")


def test_every_table_row_has_a_valid_value_here() -> None:
    assert set(VALID) == {p.name for p in params.PARAMS if not p.control}


@pytest.mark.parametrize("model", MODELS)
def test_litellm_answers_the_table_per_model(model: str) -> None:
    expected = params.supported_openai_params(model)
    assert litellm.get_supported_openai_params(model=f"gmi/{model}") == expected
    assert litellm.get_supported_openai_params(model=model, custom_llm_provider="gmi") == expected
    assert litellm.utils.get_supported_openai_params(model=model, custom_llm_provider="gmi") == expected
    assert {"store", "service_tier"}.isdisjoint(expected)
    assert ("reasoning_effort" in expected) == capabilities.supports_reasoning(model)


def test_each_answer_is_the_caller_s_own_list() -> None:
    """The lists are built once; what LiteLLM or a client does to one answer never reaches the next."""
    first = litellm.get_supported_openai_params(model="gmi/zai-org/GLM-4.7-FP8")
    assert first is not None
    first.remove("temperature")
    first.append("store")
    again = litellm.get_supported_openai_params(model="gmi/zai-org/GLM-4.7-FP8")
    assert again is not None
    assert "temperature" in again
    assert "store" not in again


def test_other_providers_keep_litellm_s_answer() -> None:
    from litellm.litellm_core_utils import get_supported_openai_params as unwrapped

    for provider, model in (("openai", "gpt-4o"), ("anthropic", "claude-sonnet-4-5")):
        litellm_answer = unwrapped.get_supported_openai_params(model=model, custom_llm_provider=provider)
        assert (
            litellm.get_supported_openai_params(model=model, custom_llm_provider=provider) == litellm_answer
        )


@pytest.mark.parametrize("model", MODELS)
def test_every_advertised_name_is_accepted_and_reaches_gmi(fault_gmi: Any, model: str) -> None:
    fault_gmi.cooperate()
    advertised = litellm.get_supported_openai_params(model=f"gmi/{model}")
    kwargs = {name: VALID[name] for name in advertised}

    chunks = list(
        litellm.completion(model=f"gmi/{model}", messages=[{"role": "user", "content": "hi"}], **kwargs)
    )

    assert chunks
    body = fault_gmi.bodies()[-1]
    limit = capabilities.max_tokens_name(model)
    for name in advertised:
        wire = limit if name in ("max_tokens", "max_completion_tokens") else params.BY_NAME[name].wire_name
        if name == "stream_options":
            assert body[wire]["include_usage"] is True
        else:
            assert body[wire] == VALID[name], name
    assert "max_tokens" not in body or limit == "max_tokens"


def test_model_info_carries_the_same_list() -> None:
    info = litellm.get_model_info("gmi/zai-org/GLM-4.7-FP8")
    assert info["supported_openai_params"] == params.supported_openai_params("zai-org/GLM-4.7-FP8")
