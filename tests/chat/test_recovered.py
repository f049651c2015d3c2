"""Parameters LiteLLM's generic mapping takes away from a custom provider reach GMI anyway.

``reasoning_effort``, ``thinking``, ``user`` and ``max_completion_tokens`` are read back from the call's
``logging_obj.model_call_details`` (litellm_gmi/chat/recovered.py). Each test asserts on the body the
fault server received, for plain calls, async and streamed calls and the Router; the proxy is covered
in tests/integration/test_proxy_config.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import litellm
import pytest

REASONING = "gmi/moonshotai/Kimi-K2-Thinking"
PLAIN = "gmi/openai/gpt-4o"
MESSAGES = [{"role": "user", "content": "Why is the sky blue?"}]

pytestmark = pytest.mark.usefixtures("fault_gmi")


def _sync(**kwargs: Any) -> Any:
    return litellm.completion(messages=MESSAGES, **kwargs)


def _stream(**kwargs: Any) -> Any:
    return list(litellm.completion(messages=MESSAGES, stream=True, **kwargs))


async def _async(**kwargs: Any) -> Any:
    return await litellm.acompletion(messages=MESSAGES, **kwargs)


async def _router(**kwargs: Any) -> Any:
    router = litellm.Router(
        model_list=[{"model_name": "thinker", "litellm_params": {"model": kwargs.pop("model")}}]
    )
    return await router.acompletion(model="thinker", messages=MESSAGES, **kwargs)


CALLS: dict[str, Callable[..., Any]] = {"sync": _sync, "stream": _stream, "async": _async, "router": _router}


async def _run(call: str, **kwargs: Any) -> Any:
    result = CALLS[call](**kwargs)
    return await result if call in ("async", "router") else result


@pytest.mark.parametrize("call", sorted(CALLS))
async def test_reasoning_effort_reaches_gmi_without_allowed_openai_params(fault_gmi: Any, call: str) -> None:
    fault_gmi.cooperate()
    response = await _run(call, model=REASONING, reasoning_effort="high")
    assert fault_gmi.bodies()[-1]["reasoning_effort"] == "high"
    if call != "stream":
        assert response.choices[0].message.reasoning_content  # and the reasoning comes back


@pytest.mark.parametrize("call", ["sync", "router"])
async def test_thinking_reaches_gmi(fault_gmi: Any, call: str) -> None:
    await _run(call, model=REASONING, thinking={"type": "enabled", "budget_tokens": 2048})
    assert fault_gmi.bodies()[-1]["thinking"] == {"type": "enabled", "budget_tokens": 2048}


def test_minimax_gets_thinking_from_reasoning_effort(fault_gmi: Any) -> None:
    litellm.completion(model="gmi/MiniMaxAI/MiniMax-M2.1", messages=MESSAGES, reasoning_effort="low")
    body = fault_gmi.bodies()[-1]
    assert body["reasoning_effort"] == "low"
    assert body["thinking"] == {"type": "enabled"}


@pytest.mark.parametrize("name", ["reasoning_effort", "thinking"])
def test_refused_for_a_model_gmi_refuses_it_for(fault_gmi: Any, name: str, refusing_model: str) -> None:
    value = "high" if name == "reasoning_effort" else {"type": "enabled"}
    with pytest.raises(litellm.UnsupportedParamsError, match=name):
        litellm.completion(model=f"gmi/{refusing_model}", messages=MESSAGES, **{name: value})
    assert fault_gmi.seen == []


def test_dropped_under_drop_params(
    fault_gmi: Any, monkeypatch: pytest.MonkeyPatch, refusing_model: str
) -> None:
    model = f"gmi/{refusing_model}"
    litellm.completion(model=model, messages=MESSAGES, reasoning_effort="high", drop_params=True)
    monkeypatch.setattr(litellm, "drop_params", True)
    litellm.completion(model=model, messages=MESSAGES, thinking={"type": "enabled"})
    assert [("reasoning_effort" in b or "thinking" in b) for b in fault_gmi.bodies()] == [False, False]


def test_allowed_openai_params_still_sends_them(fault_gmi: Any) -> None:
    litellm.completion(
        model=PLAIN, messages=MESSAGES, reasoning_effort="high", allowed_openai_params=["reasoning_effort"]
    )
    litellm.completion(
        model=REASONING, messages=MESSAGES, reasoning_effort="low", allowed_openai_params=["reasoning_effort"]
    )
    assert [b["reasoning_effort"] for b in fault_gmi.bodies()] == ["high", "low"]


def test_additional_drop_params_still_wins(fault_gmi: Any) -> None:
    litellm.completion(
        model=REASONING,
        messages=MESSAGES,
        reasoning_effort="high",
        additional_drop_params=["reasoning_effort"],
    )
    assert "reasoning_effort" not in fault_gmi.bodies()[-1]


def test_user_reaches_gmi(fault_gmi: Any) -> None:
    litellm.completion(model=PLAIN, messages=MESSAGES, user="end-user-7")
    assert fault_gmi.bodies()[-1]["user"] == "end-user-7"


@pytest.mark.parametrize(
    ("model", "sent_as"),
    [("gmi/openai/gpt-5.2", "max_completion_tokens"), ("gmi/deepseek-ai/DeepSeek-V3.2", "max_tokens")],
)
@pytest.mark.parametrize("name", ["max_tokens", "max_completion_tokens"])
def test_output_limit_goes_under_the_catalog_s_name(
    fault_gmi: Any, model: str, sent_as: str, name: str
) -> None:
    litellm.completion(model=model, messages=MESSAGES, **{name: 64})
    body = fault_gmi.bodies()[-1]
    assert body[sent_as] == 64
    assert ({"max_tokens", "max_completion_tokens"} - {sent_as}) & set(body) == set()
