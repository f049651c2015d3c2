"""DSPy driven through ``gmi/``, unmodified, against the fault server (tests/fault_server.py).

DSPy's ``ChatAdapter`` asks the model to answer between ``[[ ## field ## ]]`` markers, so those tests
script the answer such a model gives; its ``JSONAdapter`` sends a ``json_schema`` (to models the catalog
marks for it) and native tools, which the cooperative server answers from the request alone. Each test
also asserts what GMI received. DSPy passes ``num_retries=0`` and ``cache={...}`` to LiteLLM on every call
(dspy/clients/engines/litellm_engine.py) and retries at its own layer. Install it with
``pip install -e ".[test,clients]"``; without it this module skips.
"""

from __future__ import annotations

from typing import Any, Literal

import litellm
import pytest
from catalog_prices import catalog_cost

from fault_server import Reply, chat_answer, chunk

dspy = pytest.importorskip("dspy")
pydantic = pytest.importorskip("pydantic")

MODEL = "gmi/zai-org/GLM-4.7-FP8"
"""A reasoning model the catalog does not mark for ``json_schema``: DSPy's JSONAdapter sends it
``json_object``."""
NATIVE_SCHEMA_MODEL = "gmi/zai-org/GLM-5-FP8"
"""A model the catalog marks ``supports_response_schema``: DSPy's JSONAdapter sends it ``json_schema``."""
ANSWER = "[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]"
STREAMED = ("[[ ## answer ## ]]\n", "Par", "is", "\n\n[[ ## completed ## ]]")
USAGE = {"prompt_tokens": 9, "completion_tokens": 4, "total_tokens": 13}
SENT_BY_DSPY = {
    "model",
    "messages",
    "stream",
    "stream_options",
    "response_format",
    "tools",
    "reasoning_effort",
}
"""What may reach GMI: DSPy's LiteLLM-only arguments (``num_retries``, ``cache``) must not."""


class Weather(pydantic.BaseModel):  # type: ignore[name-defined,misc]
    city: str
    celsius: int
    sky: Literal["clear", "cloudy", "rain"]


@pytest.fixture(autouse=True)
def _litellm_globals_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    """DSPy sets ``litellm.telemetry``, ``cache`` and ``suppress_debug_info`` on its first call
    (dspy/clients/_litellm.py); later test modules get LiteLLM as they would without DSPy. One that
    LiteLLM lacks (``telemetry`` is gone in 1.109) is removed again afterwards."""
    for name in ("telemetry", "cache", "suppress_debug_info"):
        monkeypatch.setattr(litellm, name, vars(litellm).get(name), raising=False)


@pytest.fixture
def lm(fault_gmi: Any) -> Any:
    """A DSPy LM on ``gmi/``, DSPy's cache off so that every call reaches the server."""
    return dspy.LM(MODEL, cache=False)


def _body(gmi: Any) -> dict[str, Any]:
    body: dict[str, Any] = gmi.bodies()[-1]
    # chat_template_kwargs is ours, not DSPy's: GLM's thinking switch beside reasoning_effort
    # (litellm_gmi.chat.thinking)
    sent = SENT_BY_DSPY | {"chat_template_kwargs"}
    assert set(body) <= sent, f"unexpected fields reached GMI: {set(body) - sent}"
    assert body["model"] == MODEL.removeprefix("gmi/")
    return body


# ------------------------------------------------------------------------------ ChatAdapter ---
def test_predict_parses_the_answer_and_prices_it(fault_gmi: Any, lm: Any) -> None:
    fault_gmi.default = Reply(body=chat_answer(ANSWER))
    with dspy.context(lm=lm):
        prediction = dspy.Predict("question -> answer")(question="Capital of France?")
    assert prediction.answer == "Paris"
    usage = lm.history[-1]["usage"]
    assert usage["total_tokens"] == 11
    assert lm.history[-1]["cost"] == pytest.approx(
        catalog_cost(MODEL, usage["prompt_tokens"], usage["completion_tokens"])
    )
    assert "stream" not in _body(fault_gmi)


async def test_acall(fault_gmi: Any, lm: Any) -> None:
    fault_gmi.default = Reply(body=chat_answer(ANSWER))
    with dspy.context(lm=lm):
        prediction = await dspy.Predict("question -> answer").acall(question="Capital of France?")
    assert prediction.answer == "Paris"
    assert lm.history[-1]["cost"] > 0


def _stream_reply(*, reasoning: bool = False) -> Reply:
    events: list[Any] = [chunk(text) for text in STREAMED]
    if reasoning:
        thought = chunk()
        thought["choices"][0]["delta"] = {"reasoning_content": "Thinking it through."}
        events.insert(0, thought)
    return Reply(kind="sse", events=[*events, chunk(finish="stop"), chunk(usage=USAGE)])


@pytest.mark.parametrize("reasoning", [False, True], ids=["plain", "reasoning_deltas"])
async def test_streamify_streams_the_field_and_ends_with_the_prediction(
    fault_gmi: Any, lm: Any, reasoning: bool
) -> None:
    """DSPy's stream codec refuses a chunk with any delta field it cannot map, and a stream that ends
    without a finish reason: our shaped chunks must pass both."""
    fault_gmi.default = _stream_reply(reasoning=reasoning)
    listener = dspy.streaming.StreamListener(signature_field_name="answer")
    program = dspy.streamify(dspy.Predict("question -> answer"), stream_listeners=[listener])
    with dspy.context(lm=lm):
        items = [item async for item in program(question="Capital of France?")]
    streamed = "".join(i.chunk for i in items if isinstance(i, dspy.streaming.StreamResponse))
    assert streamed.strip() == "Paris"
    assert items[-1].answer == "Paris"
    body = _body(fault_gmi)
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}


def test_sync_streamify(fault_gmi: Any, lm: Any) -> None:
    fault_gmi.default = _stream_reply()
    program = dspy.streamify(dspy.Predict("question -> answer"), async_streaming=False)
    with dspy.context(lm=lm):
        items = list(program(question="Capital of France?"))
    assert items[-1].answer == "Paris"
    assert _body(fault_gmi)["stream"] is True


# ------------------------------------------------------------------------------ JSONAdapter ---
def test_json_adapter_sends_the_schema_to_a_model_marked_for_it(fault_gmi: Any) -> None:
    fault_gmi.cooperate()

    class Forecast(dspy.Signature):  # type: ignore[misc,name-defined]
        question: str = dspy.InputField()
        weather: Weather = dspy.OutputField()

    with dspy.context(lm=dspy.LM(NATIVE_SCHEMA_MODEL, cache=False), adapter=dspy.JSONAdapter()):
        prediction = dspy.Predict(Forecast)(question="Weather in Paris?")
    assert isinstance(prediction.weather, Weather)
    body = fault_gmi.bodies()[-1]
    schema = body["response_format"]["json_schema"]["schema"]
    assert body["response_format"]["type"] == "json_schema"
    assert schema["$defs"]["Weather"]["properties"].keys() == Weather.model_fields.keys()


def test_json_adapter_native_tool_calls(fault_gmi: Any, lm: Any) -> None:
    fault_gmi.cooperate()

    def get_weather(city: str) -> str:
        """Current weather for a city."""
        return f"sunny in {city}"

    class Plan(dspy.Signature):  # type: ignore[misc,name-defined]
        question: str = dspy.InputField()
        tools: list[dspy.Tool] = dspy.InputField()
        calls: dspy.ToolCalls = dspy.OutputField()

    with dspy.context(lm=lm, adapter=dspy.JSONAdapter()):
        prediction = dspy.Predict(Plan)(question="Weather in Paris?", tools=[dspy.Tool(get_weather)])
    [call] = prediction.calls.tool_calls
    assert call.name == "get_weather"
    assert isinstance(call.args["city"], str)
    assert _body(fault_gmi)["tools"][0]["function"]["name"] == "get_weather"


def test_reasoning_effort_reaches_gmi_and_the_history(fault_gmi: Any) -> None:
    answer = chat_answer(ANSWER)
    answer["choices"][0]["message"]["reasoning_content"] = "Thinking it through."
    fault_gmi.default = Reply(body=answer)
    lm = dspy.LM(MODEL, cache=False, reasoning_effort="low")
    with dspy.context(lm=lm):
        prediction = dspy.Predict("question -> answer")(question="Capital of France?")
    assert prediction.answer == "Paris"
    body = _body(fault_gmi)
    assert body["reasoning_effort"] == "low"
    assert body["chat_template_kwargs"] == {"enable_thinking": True}
    assert lm.history[-1]["response"].choices[0].message.reasoning_content == "Thinking it through."


# ----------------------------------------------------------------------------------- errors ---
@pytest.mark.parametrize(
    ("reply", "error", "attempts"),
    [
        (
            Reply(status=429, body={"error": {"message": "Too many requests"}}, headers={"Retry-After": "7"}),
            "LMRateLimitError",
            2,
        ),
        (Reply(status=401, body={"error": {"message": "bad key"}}), "LMAuthError", 1),
        (Reply(status=503, body={"error": {"message": "overloaded"}}), "LMServerError", 2),
        (
            Reply(status=400, body={"message": "This model's maximum context length is 8192 tokens."}),
            "ContextWindowExceededError",
            1,
        ),
    ],
    ids=["429", "401", "503", "context"],
)
def test_gmi_errors_reach_dspy_typed(
    fault_gmi: Any, sleeps: Any, reply: Reply, error: str, attempts: int
) -> None:
    """DSPy classifies LiteLLM's exception classes (dspy/clients/engines/litellm_errors.py) and retries
    the retryable ones itself; LiteLLM is told ``num_retries=0``, so only DSPy's retries reach GMI."""
    fault_gmi.default = reply
    expected = getattr(dspy.utils.exceptions, error)
    with dspy.context(lm=dspy.LM(MODEL, cache=False, num_retries=1)), pytest.raises(expected) as raised:
        dspy.Predict("question -> answer")(question="x")
    assert fault_gmi.count("/chat/completions") == attempts
    if reply.status == 429:
        assert raised.value.retry_after == 7.0


def test_embedder(fault_gmi: Any) -> None:
    embedder = dspy.Embedder("gmi/BAAI/bge-m3", caching=False)
    vectors = embedder(["a", "b"])
    assert vectors.shape == (2, 8)  # the fault server's default width
    assert fault_gmi.bodies("/embeddings")[-1]["model"] == "BAAI/bge-m3"
