"""``POST /v1/embeddings`` through the OpenAI SDK and over raw HTTP."""

from __future__ import annotations

import base64
import math
import struct

import httpx
import openai
import pytest

from gmi_emulator import Fault, GMIEmulator

M3 = "BAAI/bge-m3"
BASE = "BAAI/bge-base-en-v1.5"


@pytest.fixture
def sdk(emu: GMIEmulator) -> openai.OpenAI:
    return openai.OpenAI(base_url=emu.chat_base, api_key="sk-emulator-test", max_retries=0)


def test_sdk_floats_have_the_model_size_and_unit_length(sdk):
    result = sdk.embeddings.create(model=M3, input=["a cat", "a dog"], encoding_format="float")
    assert [d.index for d in result.data] == [0, 1]
    assert [len(d.embedding) for d in result.data] == [1024, 1024]
    assert all(math.isclose(math.fsum(v * v for v in d.embedding), 1.0, rel_tol=1e-9) for d in result.data)
    assert result.data[0].embedding != result.data[1].embedding
    assert result.usage.prompt_tokens == result.usage.total_tokens > 0
    assert result.model == M3
    assert len(sdk.embeddings.create(model=BASE, input="x").data[0].embedding) == 768


def test_same_input_same_vector_and_base64_decodes_to_the_floats(api):
    floats = api.post("/embeddings", json={"model": BASE, "input": "hello"}).json()["data"][0]["embedding"]
    again = api.post("/embeddings", json={"model": BASE, "input": "hello"}).json()["data"][0]["embedding"]
    assert floats == again
    encoded = api.post("/embeddings", json={"model": BASE, "input": "hello", "encoding_format": "base64"})
    raw = base64.b64decode(encoded.json()["data"][0]["embedding"])
    assert struct.unpack(f"<{len(raw) // 4}f", raw) == pytest.approx(floats, rel=1e-6)


def test_sdk_default_base64_request_round_trips(sdk):
    """The SDK asks for base64 by default and decodes it itself."""
    vector = sdk.embeddings.create(model=M3, input="hi").data[0].embedding
    assert len(vector) == 1024
    assert math.isclose(math.fsum(v * v for v in vector), 1.0, rel_tol=1e-5)


def test_token_arrays_count_their_tokens(api):
    body = api.post("/embeddings", json={"model": M3, "input": [[1, 2, 3], [4, 5]]}).json()
    assert len(body["data"]) == 2
    assert body["usage"]["prompt_tokens"] == 5


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        ({"model": M3, "input": ""}, 400, "non-empty"),
        ({"model": M3, "input": []}, 400, "non-empty"),
        ({"model": M3, "input": "x", "encoding_format": "int8"}, 400, "unknown variant `int8`"),
        ({"model": M3, "input": "x", "dimensions": 256}, 400, "matryoshka"),
        ({"model": BASE, "input": "word " * 600}, 400, "maximum context length is 512 tokens"),
        ({"model": "deepseek-ai/DeepSeek-V3.2", "input": "x"}, 400, "does not support Embeddings API"),
        ({"input": "x"}, 400, "missing field `model`"),
    ],
)
def test_errors_use_gmis_envelope(api, body, status, reason):
    response = api.post("/embeddings", json=body)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["message"] == f"Backend request failed with status {status}"
    assert reason in error["details"]


def test_unknown_model_is_the_routers_plain_404_and_auth_is_checked(emu, api):
    response = api.post("/embeddings", json={"model": "BAAI/nope", "input": "x"})
    assert (response.status_code, response.text) == (
        404,
        "No matching target server found for model BAAI/nope",
    )
    assert httpx.post(emu.chat_base + "/embeddings", json={"model": M3, "input": "x"}).status_code == 401


def test_faults_and_the_request_log(emu, api):
    emu.inject(Fault("rate_limit", model=M3))
    assert api.post("/embeddings", json={"model": M3, "input": "x"}).status_code == 429
    assert api.post("/embeddings", json={"model": M3, "input": "x"}).status_code == 200
    assert [r.json for r in emu.requests if r.path == "/v1/embeddings"] == [{"model": M3, "input": "x"}] * 2
