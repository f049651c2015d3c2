"""OpenAI's embedding parameters reach ``gmi`` past LiteLLM's check; every other call is LiteLLM's."""

from __future__ import annotations

import inspect
from typing import Any

import litellm
import litellm.main
import pytest
from litellm.utils import get_optional_params_embeddings as unwrapped

OPENAI_OPTIONS = {"encoding_format": "base64", "dimensions": 4, "user": "u-1"}


def test_gmi_calls_keep_the_options_litellm_would_refuse() -> None:
    with pytest.raises(litellm.UnsupportedParamsError):
        unwrapped(model="BAAI/bge-m3", custom_llm_provider="gmi", **OPENAI_OPTIONS)
    kept = litellm.main.get_optional_params_embeddings(
        model="BAAI/bge-m3", custom_llm_provider="gmi", **OPENAI_OPTIONS
    )
    assert {name: kept[name] for name in OPENAI_OPTIONS} == OPENAI_OPTIONS


def test_gmi_provider_specific_options_still_pass_through_litellm() -> None:
    kept = litellm.main.get_optional_params_embeddings(
        model="BAAI/bge-m3", custom_llm_provider="gmi", encoding_format=None, truncate=True
    )
    assert kept == {"truncate": True}


def _outcome(function: Any, **kwargs: Any) -> Any:
    try:
        return function(**kwargs)
    except Exception as exc:  # the outcome compared may be any refusal
        return type(exc), str(exc)


@pytest.mark.parametrize(
    ("provider", "options"),
    [
        ("openai", OPENAI_OPTIONS),  # passed through
        ("ollama", {"dimensions": 4, "user": "u-1"}),  # refused
        ("ollama", {"dimensions": 4}),  # mapped
    ],
)
def test_other_providers_get_litellm_s_answer(provider: str, options: dict[str, Any]) -> None:
    kwargs = {"model": "text-embedding-3-small", "custom_llm_provider": provider, **options}
    assert _outcome(litellm.main.get_optional_params_embeddings, **kwargs) == _outcome(unwrapped, **kwargs)


def test_litellm_asks_for_the_embedding_options_at_call_time() -> None:
    """What makes the wrapper take effect: ``main.embedding`` calls the module attribute, with the three
    options as keywords of their own (litellm/main.py, 1.81.1 to 1.109.1)."""
    source = inspect.getsource(litellm.main.embedding)
    call = source[source.index("get_optional_params_embeddings(") :].split(")", 1)[0]
    for name in OPENAI_OPTIONS:
        assert f"{name}={name}," in call


def test_litellm_answers_what_gmi_embeddings_take() -> None:
    expected = sorted(OPENAI_OPTIONS)
    assert (
        sorted(litellm.get_supported_openai_params("gmi/BAAI/bge-m3", request_type="embeddings")) == expected
    )
    assert litellm.get_supported_openai_params("bge-m3", "openai", request_type="embeddings") != expected
