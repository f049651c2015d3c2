"""Claude Code's and Codex's calls through the real proxy reach GMI's own endpoints untranslated.

``proxy_config.example.yaml``, unedited, in a ``litellm`` proxy whose GMI is the independent fault server
(tests/fault_server.py), driven by the Anthropic and OpenAI SDKs as the agents drive it. The fault server's
request log shows what GMI would receive.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from litellm_gmi.catalog import load_catalog
from litellm_gmi.native_routes import native_routes_available
from tests.fault_server import (
    FaultServer,
    Reply,
    anthropic_events,
    anthropic_message,
    responses_answer,
    responses_events,
)
from tests.test_proxy_config import GMI_KEY, MASTER_KEY, Proxy, running_proxy
from tests.test_proxy_config import pytestmark as proxy_installed

anthropic = pytest.importorskip("anthropic")
openai = pytest.importorskip("openai")

pytestmark = [
    proxy_installed,
    pytest.mark.skipif(not native_routes_available(), reason="this LiteLLM has no pass-through"),
]

THINKING = {"type": "enabled", "budget_tokens": 2048}
HELLO = [{"role": "user", "content": "Say hello to the proxy."}]
AGENT_MODELS = {"claude-sonnet": "anthropic/claude-sonnet-4.5", "minimax-m2.7": "MiniMaxAI/MiniMax-M2.7"}


@pytest.fixture(scope="module")
def fault_proxy(_fault_server: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    with running_proxy(_fault_server.base, tmp_path_factory) as running:
        yield running


@pytest.fixture
def claude_code(fault_proxy: Proxy) -> Any:
    """An Anthropic client set up as Claude Code is: ANTHROPIC_BASE_URL and ANTHROPIC_AUTH_TOKEN."""
    return anthropic.Anthropic(
        base_url=fault_proxy.base_url, auth_token=MASTER_KEY, max_retries=0, timeout=60
    )


@pytest.fixture
def codex(fault_proxy: Proxy) -> Any:
    """An OpenAI client set up as Codex's provider block is: ``base_url = <proxy>/v1``."""
    return openai.OpenAI(base_url=f"{fault_proxy.base_url}/v1", api_key=MASTER_KEY, max_retries=0, timeout=60)


def _only_request(server: FaultServer, path: str) -> Any:
    (seen,) = server.seen
    assert seen.path == path
    headers = {name.lower(): value for name, value in seen.headers.items()}
    # GMI gets our key, never the client's proxy key.
    assert headers["authorization"] == f"Bearer {GMI_KEY}"
    assert MASTER_KEY not in repr(headers)
    assert headers["user-agent"].startswith("litellm_gmi/")
    return seen.body


def _catalog_cost(model_id: str, input_tokens: int, output_tokens: int) -> float:
    row = load_catalog()[model_id]
    assert row["input_cost_per_token"] is not None
    assert row["output_cost_per_token"] is not None
    return input_tokens * row["input_cost_per_token"] + output_tokens * row["output_cost_per_token"]


# ------------------------------------------------------------------------------- Claude Code ---
@pytest.mark.parametrize("name", sorted(AGENT_MODELS))
def test_messages_with_thinking_reach_gmi_unchanged(
    claude_code: Any, fault_gmi: FaultServer, name: str
) -> None:
    fault_gmi.script(Reply(body=anthropic_message(model=AGENT_MODELS[name])))

    message = claude_code.messages.create(model=name, max_tokens=4096, thinking=THINKING, messages=HELLO)

    assert [block.type for block in message.content] == ["thinking", "text"]
    assert message.content[0].thinking
    body = _only_request(fault_gmi, "/v1/messages")
    assert body["model"] == AGENT_MODELS[name]
    assert body["thinking"] == THINKING


@pytest.mark.parametrize("name", sorted(AGENT_MODELS))
def test_streamed_messages_bring_thinking_and_text_deltas(
    claude_code: Any, fault_gmi: FaultServer, name: str
) -> None:
    fault_gmi.script(Reply(kind="sse", events=anthropic_events(model=AGENT_MODELS[name]), done=False))

    with claude_code.messages.stream(
        model=name, max_tokens=4096, thinking=THINKING, messages=HELLO
    ) as stream:
        deltas = [event.delta.type for event in stream if event.type == "content_block_delta"]
        message = stream.get_final_message()

    assert deltas == ["thinking_delta", "signature_delta", "text_delta", "text_delta"]
    assert [block.type for block in message.content] == ["thinking", "text"]
    assert message.content[1].text == "Paris."
    body = _only_request(fault_gmi, "/v1/messages")
    assert body["thinking"] == THINKING
    assert body["stream"] is True


def test_messages_cost_header_from_the_catalog(claude_code: Any, fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(body=anthropic_message(input_tokens=120, output_tokens=45)))

    raw = claude_code.messages.with_raw_response.create(model="claude-sonnet", max_tokens=256, messages=HELLO)

    expected = _catalog_cost(AGENT_MODELS["claude-sonnet"], 120, 45)
    assert float(raw.headers["x-litellm-response-cost"]) == pytest.approx(expected, rel=1e-6)


# ------------------------------------------------------------------------------------- Codex ---
def test_responses_with_reasoning_reach_gmi_unchanged(codex: Any, fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(body=responses_answer(model="openai/gpt-5.2")))

    response = codex.responses.create(
        model="gpt-5.2", input="Capital of France?", reasoning={"effort": "high"}
    )

    assert [item.type for item in response.output] == ["reasoning", "message"]
    assert response.output_text == "Paris."
    body = _only_request(fault_gmi, "/v1/responses")
    assert body["model"] == "openai/gpt-5.2"
    assert body["reasoning"] == {"effort": "high"}


def test_streamed_responses_bring_events_and_the_cost(codex: Any, fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(kind="sse", events=responses_events(model="openai/gpt-5.2"), done=False))

    stream = codex.responses.create(
        model="gpt-5.2", input="Capital of France?", reasoning={"effort": "low"}, stream=True
    )
    events = list(stream)

    assert events[0].type == "response.created"
    assert events[-1].type == "response.completed"
    assert "".join(e.delta for e in events if e.type == "response.output_text.delta") == "Paris."
    body = _only_request(fault_gmi, "/v1/responses")
    assert body["reasoning"] == {"effort": "low"}
    assert body["stream"] is True
    # A stream's cost cannot be a header (headers go first); include_cost_in_streaming_usage puts it here.
    usage = events[-1].response.usage.model_dump()
    assert usage["cost"] == pytest.approx(_catalog_cost("openai/gpt-5.2", 12, 30), rel=1e-6)


def test_responses_cost_header_from_the_catalog(codex: Any, fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(body=responses_answer(input_tokens=300, output_tokens=70)))

    raw = codex.responses.with_raw_response.create(model="gpt-5.2", input="Capital of France?")

    expected = _catalog_cost("openai/gpt-5.2", 300, 70)
    assert float(raw.headers["x-litellm-response-cost"]) == pytest.approx(expected, rel=1e-6)


def test_previous_response_id_reaches_gmi_as_gmi_issued_it(codex: Any, fault_gmi: FaultServer) -> None:
    """LiteLLM rewrites response ids to remember the deployment; GMI must get its own id back."""
    fault_gmi.script(Reply(body=responses_answer()), Reply(body=responses_answer()))

    first = codex.responses.create(model="gpt-5.2", input="Capital of France?")
    codex.responses.create(model="gpt-5.2", input="And of Spain?", previous_response_id=first.id)

    assert fault_gmi.seen[1].body["previous_response_id"] == "resp_fault"


def test_wildcard_entry_uses_the_catalogs_endpoints(codex: Any, fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(body=responses_answer()))

    codex.responses.create(model="gmi/openai/gpt-5.6-sol", input="Hi")

    assert _only_request(fault_gmi, "/v1/responses")["model"] == "openai/gpt-5.6-sol"
