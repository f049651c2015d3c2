"""``GMIChatConfig`` on its own, the way LiteLLM tests its provider configs: no network."""

from __future__ import annotations

import json
from typing import Any

import httpx
import litellm
import pytest
from litellm.types.utils import ModelResponse

from litellm_gmi.chat.streaming import GMIStreamIterator
from litellm_gmi.chat.transformation import GMIChatConfig
from litellm_gmi.errors import GMIError

MODEL = "deepseek-ai/DeepSeek-V3.2"
MESSAGES: list[Any] = [{"role": "user", "content": "hi"}]


@pytest.fixture
def config() -> GMIChatConfig:
    return GMIChatConfig()


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GMI_API_KEY", "sk-env-key")
    monkeypatch.delenv("GMI_API_BASE", raising=False)
    monkeypatch.delenv("GMI_ORG_ID", raising=False)


def test_provider_name_and_supported_params(config: GMIChatConfig) -> None:
    assert config.custom_llm_provider == "gmi"
    supported = config.get_supported_openai_params(MODEL)
    for name in ("top_k", "context_length_exceeded_behavior", "max_completion_tokens", "tools", "user"):
        assert name in supported


def test_map_openai_params(config: GMIChatConfig) -> None:
    mapped = config.map_openai_params({"max_completion_tokens": 5, "top_k": 3}, {}, MODEL, drop_params=False)
    assert mapped == {"max_tokens": 5, "top_k": 3}


def test_map_openai_params_streams_with_usage(config: GMIChatConfig) -> None:
    mapped = config.map_openai_params({"stream": True, "top_k": 3}, {}, MODEL, drop_params=False)
    assert mapped == {"stream": True, "top_k": 3, "stream_options": {"include_usage": True}}


def test_map_openai_params_sends_what_the_caller_allowed(config: GMIChatConfig) -> None:
    with pytest.raises(litellm.UnsupportedParamsError):
        config.map_openai_params({"modalities": ["text"]}, {}, MODEL, drop_params=False)
    mapped = config.map_openai_params({"modalities": ["text"]}, {}, MODEL, False, allowed={"modalities"})
    assert mapped == {"modalities": ["text"]}


def test_complete_url(config: GMIChatConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    assert (
        config.get_complete_url(None, None, MODEL, {}, {})
        == "https://api.gmi-serving.com/v1/chat/completions"
    )
    monkeypatch.setenv("GMI_API_BASE", "http://127.0.0.1:1/v1/")
    assert config.get_complete_url(None, None, MODEL, {}, {}) == "http://127.0.0.1:1/v1/chat/completions"
    full = "http://x/v1/chat/completions"
    assert config.get_complete_url(full, None, MODEL, {}, {}) == full


def test_validate_environment_headers(config: GMIChatConfig) -> None:
    headers = config.validate_environment(
        {"X-Trace": "1", "authorization": "Bearer spoofed"}, MODEL, MESSAGES, {}, {"organization": "org-1"}
    )
    assert headers["Authorization"] == "Bearer sk-env-key"
    assert "authorization" not in headers
    assert headers["X-Organization-ID"] == "org-1"
    assert headers["X-Trace"] == "1"
    assert headers["User-Agent"].startswith("litellm_gmi/")


def test_validate_environment_without_a_key(config: GMIChatConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GMI_API_KEY")
    with pytest.raises(litellm.AuthenticationError):
        config.validate_environment({}, MODEL, MESSAGES, {}, {})


def test_transform_request_keeps_tool_choice(config: GMIChatConfig) -> None:
    body = config.transform_request(MODEL, MESSAGES, {"tool_choice": "none", "top_k": 2}, {}, {})
    assert body == {"model": MODEL, "messages": MESSAGES, "tool_choice": "none", "top_k": 2}


def _raw(payload: Any, status: int = 200) -> httpx.Response:
    content = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return httpx.Response(status, content=content, request=httpx.Request("POST", "http://x"))


def _transform(config: GMIChatConfig, raw: httpx.Response) -> ModelResponse:
    logging_obj = litellm.Logging(
        model=MODEL,
        messages=MESSAGES,
        stream=False,
        call_type="completion",
        start_time=0,
        litellm_call_id="t",
        function_id="t",
    )
    return config.transform_response(MODEL, raw, ModelResponse(), logging_obj, {}, MESSAGES, {}, {}, None)


def test_transform_response_splits_think_tags(config: GMIChatConfig) -> None:
    raw = _raw(
        {
            "id": "c",
            "object": "chat.completion",
            "created": 1,
            "model": MODEL,
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": "<think>why</think>Paris"},
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
        }
    )
    message = _transform(config, raw).choices[0].message
    assert (message.content, message.reasoning_content) == ("Paris", "why")


def test_transform_response_names_the_model_when_the_server_does_not(config: GMIChatConfig) -> None:
    """LiteLLM's built-in row names it too (``gmi/...``); ours keeps GMI's own id, as when GMI echoes it."""
    answer = {
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "P"}}]
    }
    assert _transform(config, _raw(answer)).model == MODEL


def test_transform_response_refuses_a_body_that_is_not_json(config: GMIChatConfig) -> None:
    with pytest.raises(GMIError, match="not JSON") as info:
        _transform(config, _raw(b'{"id": "chatcmpl-trunc'))
    assert info.value.status_code == 502


def test_error_class_unwraps_gmis_envelope(config: GMIChatConfig) -> None:
    body = json.dumps(
        {
            "error": {
                "message": "Backend request failed",
                "details": json.dumps({"error": {"message": "real reason"}}),
            }
        }
    )
    error = config.get_error_class(body, 400, {})
    assert (error.status_code, error.message) == (400, "real reason")


def test_stream_iterator_is_ours(config: GMIChatConfig) -> None:
    assert isinstance(config.get_model_response_iterator(iter([]), sync_stream=True), GMIStreamIterator)
