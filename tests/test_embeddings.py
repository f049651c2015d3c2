"""``litellm.embedding`` / ``aembedding`` on ``gmi/`` reach GMI's ``POST /v1/embeddings``."""

from __future__ import annotations

import base64
import struct
from collections.abc import Iterator
from typing import Any

import litellm
import pytest

from litellm_gmi.embeddings import request

from fault_server import Reply

MODEL = "gmi/BAAI/bge-m3"
PRICED = "gmi/acme/embed-test"
PRICE = 2e-08
INPUT = ["the first text", "and a second one"]

pytestmark = pytest.mark.usefixtures("fault_gmi")


@pytest.fixture
def priced_model() -> Iterator[str]:
    """An embedding row in LiteLLM's cost map, as the catalog registers them (``gmi/<id>``)."""
    row = {
        "litellm_provider": "gmi",
        "mode": "embedding",
        "input_cost_per_token": PRICE,
        "output_cost_per_token": 0,
    }
    litellm.register_model({PRICED: row})
    yield PRICED
    litellm.model_cost.pop(PRICED, None)


@pytest.mark.parametrize("is_async", [False, True])
async def test_embedding_posts_to_v1_embeddings(fault_gmi: Any, is_async: bool) -> None:
    response = (
        await litellm.aembedding(model=MODEL, input=INPUT)
        if is_async
        else litellm.embedding(model=MODEL, input=INPUT)
    )
    seen = fault_gmi.seen[-1]
    assert (seen.method, seen.path) == ("POST", "/v1/embeddings")
    assert seen.body == {"model": "BAAI/bge-m3", "input": INPUT}
    assert seen.headers["Authorization"].startswith("Bearer ")
    assert [len(item["embedding"]) for item in response.data] == [8, 8]
    assert response.usage.prompt_tokens == 7
    assert response._hidden_params["custom_llm_provider"] == "gmi"


@pytest.mark.parametrize("is_async", [False, True])
async def test_cost_comes_from_the_cost_map(priced_model: str, is_async: bool) -> None:
    response = (
        await litellm.aembedding(model=priced_model, input=INPUT)
        if is_async
        else litellm.embedding(model=priced_model, input=INPUT)
    )
    assert response._hidden_params["response_cost"] == pytest.approx(7 * PRICE)
    assert litellm.completion_cost(response) == pytest.approx(7 * PRICE)


def test_options_travel_in_extra_body(fault_gmi: Any) -> None:
    litellm.embedding(model=MODEL, input=INPUT, extra_body={"dimensions": 4, "encoding_format": "float"})
    assert fault_gmi.seen[-1].body == {
        "model": "BAAI/bge-m3",
        "input": INPUT,
        "dimensions": 4,
        "encoding_format": "float",
    }


@pytest.mark.parametrize("drop_params", [False, True])
def test_openai_options_reach_gmi(fault_gmi: Any, drop_params: bool) -> None:
    """LiteLLM refuses them for custom providers, or drops them under ``drop_params``, before the
    provider runs; litellm_gmi.litellm_seams.embedding_params lets them through to be checked and sent
    here."""
    litellm.embedding(model=MODEL, input=INPUT, dimensions=4, user="u-1", drop_params=drop_params)
    assert fault_gmi.seen[-1].body == {"model": "BAAI/bge-m3", "input": INPUT, "dimensions": 4, "user": "u-1"}


def _floats(encoded: str) -> list[float]:
    raw = base64.b64decode(encoded)
    return list(struct.unpack(f"<{len(raw) // 4}f", raw))


@pytest.mark.parametrize("is_async", [False, True])
async def test_base64_is_encoded_from_gmi_s_floats(fault_gmi: Any, is_async: bool) -> None:
    """What the openai SDK asks for by default. GMI is asked for floats either way."""
    kwargs: dict[str, Any] = {"model": MODEL, "input": INPUT}
    plain = litellm.embedding(**kwargs, encoding_format="float")
    encoded = (
        await litellm.aembedding(**kwargs, encoding_format="base64")
        if is_async
        else (litellm.embedding(**kwargs, encoding_format="base64"))
    )
    assert [s.body for s in fault_gmi.seen] == [{"model": "BAAI/bge-m3", "input": INPUT}] * 2
    for as_text, as_floats in zip(encoded.data, plain.data, strict=True):
        assert isinstance(as_text["embedding"], str)
        assert _floats(as_text["embedding"]) == pytest.approx(as_floats["embedding"], rel=1e-6)
    assert encoded.usage.prompt_tokens == plain.usage.prompt_tokens


def test_a_string_vector_from_gmi_is_left_as_it_came(fault_gmi: Any) -> None:
    """Should GMI ever answer base64 itself, it is not encoded twice."""
    vector = base64.b64encode(struct.pack("<2f", 0.5, 0.25)).decode()
    answer = {
        "object": "list",
        "model": "m",
        "data": [{"object": "embedding", "index": 0, "embedding": vector}],
    }
    fault_gmi.script(Reply(body=answer))
    response = litellm.embedding(model=MODEL, input=INPUT[:1], encoding_format="base64")
    assert response.data[0]["embedding"] == vector


def test_invalid_openai_options_are_refused_before_the_network(fault_gmi: Any) -> None:
    with pytest.raises(litellm.BadRequestError, match="encoding_format"):
        litellm.embedding(model=MODEL, input=INPUT, encoding_format="hex")
    assert fault_gmi.seen == []


def test_organisation_header(fault_gmi: Any) -> None:
    litellm.embedding(model=MODEL, input=INPUT, org_id="org-7")
    assert fault_gmi.seen[-1].headers["X-Organization-ID"] == "org-7"
    assert "org_id" not in fault_gmi.seen[-1].body


def test_a_chat_model_is_refused_before_the_network(fault_gmi: Any) -> None:
    with pytest.raises(litellm.BadRequestError, match="chat model"):
        litellm.embedding(model="gmi/deepseek-ai/DeepSeek-V3.2", input=INPUT)
    assert fault_gmi.seen == []


@pytest.mark.parametrize(
    ("reply", "exception"),
    [
        (
            Reply(status=429, body={"error": {"message": "slow down"}}, headers={"Retry-After": "3"}),
            litellm.RateLimitError,
        ),
        (Reply(status=401, body={"error": {"message": "bad key"}}), litellm.AuthenticationError),
        (Reply(status=500, body={"error": {"message": "boom"}}), litellm.InternalServerError),
        (
            Reply(kind="raw", body=b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nnope!"),
            litellm.ServiceUnavailableError,
        ),
    ],
)
@pytest.mark.parametrize("is_async", [False, True])
async def test_errors_are_litellm_s_typed_exceptions(
    fault_gmi: Any, reply: Reply, exception: type, is_async: bool
) -> None:
    fault_gmi.script(reply)
    with pytest.raises(exception):
        await _embed(is_async)


async def _embed(is_async: bool, **kwargs: Any) -> Any:
    if is_async:
        return await litellm.aembedding(model=MODEL, input=INPUT, **kwargs)
    return litellm.embedding(model=MODEL, input=INPUT, **kwargs)


def test_unknown_options_are_refused_by_the_request_builder() -> None:
    with pytest.raises(litellm.UnsupportedParamsError, match="truncate"):
        request("BAAI/bge-m3", INPUT, {"truncate": True}, drop_params=False)
    assert request("BAAI/bge-m3", INPUT, {"truncate": True}, drop_params=True) == {
        "model": "BAAI/bge-m3",
        "input": INPUT,
    }
    with pytest.raises(litellm.BadRequestError, match="dimensions"):
        request("BAAI/bge-m3", INPUT, {"dimensions": 0}, drop_params=False)


@pytest.mark.parametrize("is_async", [False, True])
async def test_an_echoed_key_and_organisation_are_masked(fault_gmi: Any, is_async: bool) -> None:
    """Embedding errors go through the same base as chat's (litellm_gmi.common_utils), masking included."""
    from conftest import TEST_API_KEY

    org = "org-echoed-4242"
    echo = f"no access: key={TEST_API_KEY} org={org}"
    fault_gmi.script(Reply(status=401, body={"error": {"message": echo}}))
    with pytest.raises(litellm.AuthenticationError) as caught:
        await _embed(is_async, org_id=org)
    shown = f"{caught.value} {caught.value!r} {caught.value.__cause__ or ''}"
    assert TEST_API_KEY not in shown
    assert org not in shown
    assert "no access: key=****" in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__
    assert "authorization" not in {name.lower() for name in caught.value.response.request.headers}
