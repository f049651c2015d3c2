"""Issue 20: ``reasoning_effort`` and ``thinking`` reach GMI for GPT-5.x and Claude 4.x, whoever sends them.

Before issue 20 the catalog marked these models as not reasoning and every call below raised
``UnsupportedParamsError`` before any request. Each test asserts what the emulator received.
The openai SDK through the example proxy is in tests/integration/test_proxy_config.py.
"""

from __future__ import annotations

from typing import Any

import litellm
import pytest

from gmi_emulator import GMIEmulator
from litellm_gmi.chat import thinking
from litellm_gmi.native import routes as native_routes

EFFORT_MODELS = ["openai/gpt-5.2", "openai/gpt-5.4", "anthropic/claude-opus-4.5"]
THINKING = {"type": "enabled", "budget_tokens": 2048}
HELLO = [{"role": "user", "content": "Why is the sky blue?"}]


def _sent(emulator: GMIEmulator) -> dict[str, Any]:
    (request,) = [r for r in emulator.requests.snapshot() if r.path.endswith("/chat/completions")]
    return dict(request.json)


@pytest.mark.parametrize("model", EFFORT_MODELS)
def test_completion_sends_reasoning_effort(gmi_env: GMIEmulator, model: str) -> None:
    response = litellm.completion(model=f"gmi/{model}", messages=HELLO, reasoning_effort="high")

    assert response.choices[0].message.content
    sent = _sent(gmi_env)
    assert (sent["model"], sent["reasoning_effort"]) == (model, "high")


async def test_acompletion_sends_thinking_to_claude_sonnet(gmi_env: GMIEmulator) -> None:
    response = await litellm.acompletion(
        model="gmi/anthropic/claude-sonnet-4.5", messages=HELLO, thinking=THINKING
    )

    assert response.choices[0].message.reasoning_content  # the emulator thinks when asked
    assert _sent(gmi_env)["thinking"] == THINKING


def test_gpt5_reports_hidden_reasoning_tokens(gmi_env: GMIEmulator) -> None:
    response = litellm.completion(model="gmi/openai/gpt-5.4", messages=HELLO, reasoning_effort="low")
    assert response.usage.completion_tokens_details.reasoning_tokens > 0


# ------------------------------------------------------------------------------ openai-agents ---
@pytest.mark.parametrize("model", EFFORT_MODELS)
async def test_agents_model_settings_reasoning(gmi_env: GMIEmulator, model: str) -> None:
    agents = pytest.importorskip("agents")
    litellm_model = pytest.importorskip("agents.extensions.models.litellm_model")
    from openai.types.shared import Reasoning

    agents.set_tracing_disabled(True)
    agent = agents.Agent(
        name="explainer",
        instructions="Explain.",
        model=litellm_model.LitellmModel(model=f"gmi/{model}"),
        model_settings=agents.ModelSettings(reasoning=Reasoning(effort="high")),
    )
    result = await agents.Runner.run(agent, "Why is the sky blue?")

    assert result.final_output
    assert _sent(gmi_env)["reasoning_effort"] == "high"


# ------------------------------------------------------------- Claude Code's adaptive thinking ---
@pytest.mark.parametrize(
    ("effort", "max_tokens", "budget"),
    [
        ("low", 32000, 1024),
        ("medium", 32000, 2048),
        ("high", 32000, 4096),
        ("xhigh", 32000, 8192),
        ("max", 32000, 16384),
        (None, 32000, 4096),
        ("max", 3000, 2999),
    ],
)
def test_adaptive_thinking_becomes_enabled_with_a_budget(
    effort: str | None, max_tokens: int, budget: int
) -> None:
    config = {"format": {"type": "json_schema"}} | ({"effort": effort} if effort else {})
    enabled = thinking.enabled_thinking({"type": "adaptive"}, config, max_tokens)
    assert enabled == ({"type": "enabled", "budget_tokens": budget}, {"format": {"type": "json_schema"}})


def test_adaptive_thinking_left_alone_when_it_cannot_fit_or_is_not_adaptive() -> None:
    assert thinking.enabled_thinking({"type": "adaptive"}, {"effort": "high"}, 1024) is None
    assert thinking.enabled_thinking(THINKING, {"effort": "high"}, 32000) is None
    assert thinking.enabled_thinking(None, {"effort": "high"}, 32000) is None
    assert thinking.enabled_thinking({"type": "adaptive"}, {"effort": "high"}, 32000)[1] is None


@pytest.mark.skipif(not native_routes.native_routes_available(), reason="LiteLLM 1.81.1 has no pass-through")
@pytest.mark.parametrize("model", ["gmi/MiniMaxAI/MiniMax-M2.7", "gmi/anthropic/claude-opus-4.5"])
async def test_messages_adaptive_thinking_reaches_gmi_enabled(gmi_env: GMIEmulator, model: str) -> None:
    """``litellm.anthropic.messages.acreate`` as Claude Code calls it; GMI's /v1/messages sees a budget."""
    response = await litellm.anthropic.messages.acreate(
        model=model,
        max_tokens=32000,
        messages=HELLO,
        thinking={"type": "adaptive"},
        output_config={"effort": "medium"},
    )

    assert [block["type"] for block in response["content"]] == ["thinking", "text"]
    (sent,) = [r for r in gmi_env.requests.snapshot() if r.path == "/v1/messages"]
    assert sent.json["thinking"] == {"type": "enabled", "budget_tokens": 2048}
    assert "output_config" not in sent.json
