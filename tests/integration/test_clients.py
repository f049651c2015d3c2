"""The libraries people build on LiteLLM, driven through ``gmi/`` against a cooperative model.

langchain-litellm's ``ChatLiteLLM``, instructor and openai-agents' ``LitellmModel`` run unmodified; the
fault server answers from each request (tests/fault_server.py, ``cooperate()``), so a valid instance
only comes back when the schema really reached it, and each test also asserts what the request body
carried. Install the clients with ``pip install -e ".[test,clients]"``; without them this module skips.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import litellm
import pytest

langchain_litellm = pytest.importorskip("langchain_litellm")
instructor = pytest.importorskip("instructor")
agents = pytest.importorskip("agents")
agents_litellm = pytest.importorskip("agents.extensions.models.litellm_model")
# openai-agents exports traces from a background thread that wakes every 0.2 s; it would keep running for
# the rest of the session and show up in other tests' sleep recorders (tests/test_retries.py).
agents.set_tracing_disabled(True)
pydantic = pytest.importorskip("pydantic")

MODEL = "gmi/zai-org/GLM-4.7-FP8"  # a reasoning model the catalog does not mark for json_schema


class Weather(pydantic.BaseModel):  # type: ignore[name-defined,misc]
    city: str
    celsius: int
    sky: Literal["clear", "cloudy", "rain"]


def _schema_reached(body: dict[str, Any]) -> bool:
    """The schema travelled: as json_schema, or stated in a system instruction under json_object."""
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return fmt["json_schema"]["schema"]["properties"].keys() == Weather.model_fields.keys()
    system = body["messages"][0]
    return fmt == {"type": "json_object"} and system["role"] == "system" and '"celsius"' in system["content"]


@pytest.fixture
def gmi(fault_gmi: Any) -> Any:
    fault_gmi.cooperate()
    return fault_gmi


# --------------------------------------------------------------------------------- langchain ---
def test_langchain_invoke(gmi: Any) -> None:
    reply = langchain_litellm.ChatLiteLLM(model=MODEL).invoke("What is the capital of France?")
    assert reply.content == "Paris."
    assert reply.usage_metadata["total_tokens"] > 0
    assert gmi.bodies()[-1]["model"] == "zai-org/GLM-4.7-FP8"


def test_langchain_stream_with_usage(gmi: Any) -> None:
    chat = langchain_litellm.ChatLiteLLM(model=MODEL, stream_options={"include_usage": True})
    chunks = list(chat.stream("What is the capital of France?"))
    assert "".join(str(c.content) for c in chunks) == "Paris."
    assert sum((c.usage_metadata or {}).get("total_tokens", 0) for c in chunks) > 0
    body = gmi.bodies()[-1]
    assert body["stream"] is True
    assert body["stream_options"]["include_usage"] is True


def get_weather(city: str) -> str:
    """Current weather for a city."""
    return f"sunny in {city}"


def test_langchain_tools(gmi: Any) -> None:
    reply = langchain_litellm.ChatLiteLLM(model=MODEL).bind_tools([get_weather]).invoke("Weather in Paris?")
    assert [call["name"] for call in reply.tool_calls] == ["get_weather"]
    assert isinstance(reply.tool_calls[0]["args"]["city"], str)
    assert gmi.bodies()[-1]["tools"][0]["function"]["name"] == "get_weather"


async def test_langchain_streamed_tool_call_aggregates(gmi: Any) -> None:
    """Tool-call deltas pass our stream shaper in the shape langchain merges by index (sync and async)."""
    chat = langchain_litellm.ChatLiteLLM(model=MODEL, stream_options={"include_usage": True})
    bound = chat.bind_tools([get_weather])
    merged = [_merged(bound.stream("Weather in Paris?")), _merged([c async for c in bound.astream("Paris?")])]
    for reply in merged:
        assert [(call["name"], call["id"]) for call in reply.tool_calls] == [("get_weather", "call_coop_1")]
        assert isinstance(reply.tool_calls[0]["args"]["city"], str)
        assert reply.usage_metadata["total_tokens"] > 0
    assert [body["stream"] for body in gmi.bodies()] == [True, True]


def _merged(chunks: Any) -> Any:
    merged = None
    for piece in chunks:
        merged = piece if merged is None else merged + piece
    return merged


def test_langchain_with_structured_output_default_method(gmi: Any) -> None:
    weather = langchain_litellm.ChatLiteLLM(model=MODEL).with_structured_output(Weather).invoke("Paris?")
    assert isinstance(weather, Weather)
    assert _schema_reached(gmi.bodies()[-1])


def test_langchain_reasoning(gmi: Any) -> None:
    chat = langchain_litellm.ChatLiteLLM(model=MODEL, model_kwargs={"reasoning_effort": "high"})
    reply = chat.invoke("Why is the sky blue?")
    assert gmi.bodies()[-1]["reasoning_effort"] == "high"
    assert "reasoning: high" in json.dumps(reply.additional_kwargs)


async def test_langchain_embeddings_with_openai_options(gmi: Any) -> None:
    """``LiteLLMEmbeddings`` passes ``dimensions`` and ``encoding_format`` as LiteLLM arguments, which
    LiteLLM refuses for custom providers unless litellm_gmi.litellm_seams.embedding_params lets them by."""
    embeddings = langchain_litellm.LiteLLMEmbeddings(
        model="gmi/BAAI/bge-m3", dimensions=4, encoding_format="float"
    )
    documents = embeddings.embed_documents(["first", "second"])
    query = await embeddings.aembed_query("third")

    assert [len(vector) for vector in [*documents, query]] == [4, 4, 4]
    bodies = gmi.bodies("/embeddings")
    assert [body["input"] for body in bodies] == [["first", "second"], ["third"]]
    assert all(body["dimensions"] == 4 for body in bodies)


# -------------------------------------------------------------------------------- instructor ---
def test_instructor_json_schema_mode(gmi: Any) -> None:
    client = instructor.from_litellm(litellm.completion, mode=instructor.Mode.JSON_SCHEMA)
    weather = client.chat.completions.create(
        model=MODEL, response_model=Weather, messages=[{"role": "user", "content": "Weather in Paris?"}]
    )
    assert isinstance(weather, Weather)
    assert _schema_reached(gmi.bodies()[-1])


# ------------------------------------------------------------------------------ openai-agents ---
def _agent(**kwargs: Any) -> Any:
    return agents.Agent(
        name="forecaster", instructions="Forecast.", model=agents_litellm.LitellmModel(model=MODEL), **kwargs
    )


async def test_agents_output_type(gmi: Any) -> None:
    result = await agents.Runner.run(_agent(output_type=Weather), "Weather in Paris?")
    assert isinstance(result.final_output, Weather)
    assert _schema_reached(gmi.bodies()[-1])


async def test_agents_streamed_run_calls_the_tool_and_counts_usage(gmi: Any) -> None:
    """``Runner.run_streamed`` reads tool-call deltas and, with ``include_usage``, the usage chunk."""
    settings = agents.ModelSettings(include_usage=True)
    agent = _agent(tools=[agents.function_tool(get_weather)], model_settings=settings)
    run = agents.Runner.run_streamed(agent, "Weather in Paris?")
    events = [event.type async for event in run.stream_events()]

    assert "run_item_stream_event" in events
    assert run.final_output == "Paris."
    first, second = gmi.bodies()
    assert first["tools"][0]["function"]["name"] == "get_weather"
    tool_result = {"role": "tool", "tool_call_id": "call_coop_1", "content": "sunny in text"}
    assert second["messages"][-1] == tool_result
    assert run.context_wrapper.usage.requests == 2
    assert run.context_wrapper.usage.output_tokens > 0


async def test_agents_reasoning_settings(gmi: Any) -> None:
    from openai.types.shared import Reasoning

    settings = agents.ModelSettings(reasoning=Reasoning(effort="high"))
    result = await agents.Runner.run(_agent(model_settings=settings), "Why is the sky blue?")
    assert result.final_output == "Paris."
    assert gmi.bodies()[-1]["reasoning_effort"] == "high"
