"""The README's "why this package" table: each row is one test, our route and LiteLLM's built-in one.

Both routes call the same independent fault server in the same process. The built-in route is LiteLLM's
JSON ``gmi`` row (1.81.3 on), put back by :func:`litellm_gmi.unregister`; it ignores ``GMI_API_BASE``, so
it is given ``api_base`` explicitly, except in the row that shows exactly that. Where the built-in route
changed between releases, the test says which release does what, so it fails on the day that changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import litellm
import pytest

import litellm_gmi
from litellm_gmi.catalog import load_catalog
from litellm_gmi.compat import _release

from fault_server import FaultServer, Reply, chunk

MODEL = "gmi/deepseek-ai/DeepSeek-V3.2"
MESSAGES = [{"role": "user", "content": "What is the capital of France?"}]
LITELLM = _release(version("litellm"))
REASON = "max_tokens must be at most 8192"
FAILED_CALL = (
    litellm.APIError,
    litellm.APIConnectionError,
    litellm.InternalServerError,
    litellm.ServiceUnavailableError,
)
"""1.106.2 wraps a failed stream in ``MidStreamFallbackError``, a ``ServiceUnavailableError``."""
ENVELOPE = {"error": {"message": "Bad request", "details": json.dumps({"error": {"message": REASON}})}}


def _builtin_row_exists() -> bool:
    litellm_gmi.unregister()
    try:
        return litellm_gmi.builtin_row_active()
    finally:
        litellm_gmi.register()


pytestmark = pytest.mark.skipif(not _builtin_row_exists(), reason="LiteLLM < 1.81.3 has no built-in gmi row")


@pytest.fixture(params=["ours", "builtin"])
def route(request: pytest.FixtureRequest, fault_gmi: FaultServer) -> Iterator[str]:
    if request.param == "builtin":
        litellm_gmi.unregister()
        assert litellm_gmi.builtin_row_active()
    try:
        yield str(request.param)
    finally:
        litellm_gmi.register()


def call(route: str, server: FaultServer, **kwargs: object) -> object:
    """One completion through ``route``; the built-in route gets ``api_base``, which it needs."""
    base = {"api_base": server.base} if route == "builtin" else {}
    return litellm.completion(model=MODEL, messages=MESSAGES, **base, **kwargs)


def test_gmi_api_base_is_honoured(route: str, fault_gmi: FaultServer) -> None:
    if route == "ours":
        litellm.completion(model=MODEL, messages=MESSAGES)
        assert fault_gmi.count("/chat/completions") == 1
    else:  # goes to https://api.gmi-serving.com/v1, which the test run blocks
        with pytest.raises(FAILED_CALL):
            litellm.completion(model=MODEL, messages=MESSAGES, num_retries=0)
        assert fault_gmi.count() == 0


def test_gmi_parameters_reach_gmi(route: str, fault_gmi: FaultServer) -> None:
    extra = {"top_k": 5, "ignore_eos": True, "context_length_exceeded_behavior": "error"}
    if route == "builtin" and LITELLM < (1, 109, 0):  # the openai SDK refuses the unknown keyword
        with pytest.raises(litellm.InternalServerError, match="top_k"):
            call(route, fault_gmi, **extra)
        assert fault_gmi.count() == 0
        return
    call(route, fault_gmi, **extra)
    body = fault_gmi.seen[-1].body
    assert {name: body.get(name) for name in extra} == extra


def test_gmis_error_reason_is_the_message(route: str, fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(status=400, body=ENVELOPE))
    with pytest.raises(litellm.BadRequestError) as info:
        call(route, fault_gmi)
    if route == "ours":
        assert str(info.value).endswith(REASON)
        assert "details" not in str(info.value)
    else:  # the whole envelope, the reason inside an escaped JSON string
        assert "'details'" in str(info.value)


def test_nan_is_refused_before_the_network(route: str, fault_gmi: FaultServer) -> None:
    if route == "ours":
        with pytest.raises(litellm.BadRequestError, match="temperature"):
            call(route, fault_gmi, temperature=float("nan"))
    else:  # fails while encoding, as a retryable 500
        with pytest.raises(litellm.InternalServerError, match="not JSON compliant"):
            call(route, fault_gmi, temperature=float("nan"))
    assert fault_gmi.count() == 0


def test_a_stream_cut_before_its_finish_is_not_a_success(route: str, fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(kind="sse", events=[chunk("Par"), chunk("is")], done=False))
    stream = call(route, fault_gmi, stream=True)
    if route == "builtin" and LITELLM < (1, 109, 0):
        text = "".join(part.choices[0].delta.content or "" for part in stream)  # type: ignore[attr-defined]
        assert text == "Paris"  # reported as a complete answer
        return
    with pytest.raises(FAILED_CALL):
        for _ in stream:  # type: ignore[attr-defined]
            pass


def test_an_error_answered_with_200_keeps_its_reason_and_code(route: str, fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(body={"error": {"code": 400, "message": REASON}}))
    with pytest.raises(litellm.BadRequestError) as info:  # both follow the code
        call(route, fault_gmi, num_retries=0)
    if route == "ours":
        assert str(info.value).endswith(REASON)
    else:  # "GmiException - " and nothing after it
        assert REASON not in str(info.value)


@pytest.mark.parametrize("encoding_format", ["float", "base64"])
def test_openai_embedding_options_are_served(
    route: str, fault_gmi: FaultServer, encoding_format: str
) -> None:
    """The openai SDK sends ``encoding_format="base64"`` unless told otherwise; LiteLLM refuses it, and
    ``dimensions`` and ``user``, for both routes unless litellm_gmi.embedding_params lets them by."""
    kwargs = {"input": ["a"], "encoding_format": encoding_format, "dimensions": 4}
    base = {"api_base": fault_gmi.base} if route == "builtin" else {}
    if route == "builtin":
        with pytest.raises(litellm.UnsupportedParamsError, match="encoding_format"):
            litellm.embedding(model="gmi/BAAI/bge-m3", **base, **kwargs)
        assert fault_gmi.count() == 0
        return
    response = litellm.embedding(model="gmi/BAAI/bge-m3", **kwargs)
    vector = response.data[0]["embedding"]
    assert isinstance(vector, str if encoding_format == "base64" else list)
    assert fault_gmi.bodies("/embeddings")[-1]["dimensions"] == 4


def test_catalog_prices_models_litellms_own_map_does_not() -> None:
    """Not a call: how many ``gmi/`` models each route can price from what it ships."""
    backup = Path(litellm.__file__).parent / "model_prices_and_context_window_backup.json"
    shipped = json.loads(backup.read_text())
    builtin_priced = {k for k, v in shipped.items() if k.startswith("gmi/") and v.get("input_cost_per_token")}
    ours_priced = {
        f"gmi/{model}"
        for model, row in load_catalog().items()
        if row.get("input_cost_per_token") and row.get("mode") == "chat"
    }
    assert len(ours_priced) >= 3 * len(builtin_priced)
    assert builtin_priced - ours_priced == set() or len(builtin_priced - ours_priced) <= 2
