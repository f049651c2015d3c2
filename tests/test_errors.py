"""GMI's error shapes become LiteLLM's typed exceptions with GMI's real reason."""

from __future__ import annotations

import json

import httpx
import litellm
import pytest
from conftest import TEST_API_KEY
from litellm.llms.custom_httpx.http_handler import HTTPHandler

from litellm_gmi.errors import (
    MAX_MESSAGE_CHARS,
    cap_message,
    extract_message,
    is_context_overflow,
    mask_secrets,
    to_litellm_exception,
)

from fault_server import FaultServer, Reply, chat_answer, chunk

INNER = "The request is invalid: top_k must be <= 128"
ENVELOPE = json.dumps(
    {
        "error": {
            "message": "Backend request failed with status 400",
            "details": json.dumps({"error": {"message": INNER}}),
        }
    }
)


def test_details_json_string_is_unwrapped() -> None:
    assert extract_message(ENVELOPE) == INNER


def test_outer_message_is_used_when_details_is_not_json() -> None:
    body = json.dumps({"error": {"message": "Backend request failed", "details": "upstream reset"}})
    assert extract_message(body) == "upstream reset"
    assert extract_message(json.dumps({"error": {"message": "only outer"}})) == "only outer"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('{"error": "queue says no"}', "queue says no"),
        ('{"message": "msg"}', "msg"),
        ('{"detail": "det"}', "det"),
        ("No matching target server found for model x/y", "No matching target server found for model x/y"),
        (b"bytes body", "bytes body"),
        (None, ""),
    ],
)
def test_other_shapes(body: str | bytes | None, expected: str) -> None:
    assert extract_message(body) == expected


@pytest.mark.parametrize(
    ("status", "message", "cls"),
    [
        (401, "bad key", litellm.AuthenticationError),
        (403, "forbidden", litellm.AuthenticationError),
        (404, "No matching target server found for model a/b", litellm.NotFoundError),
        (429, "slow down", litellm.RateLimitError),
        (400, "This model's maximum context length is 10 tokens", litellm.ContextWindowExceededError),
        (400, INNER, litellm.BadRequestError),
        (422, "bad shape", litellm.UnprocessableEntityError),
        (500, "boom", litellm.InternalServerError),
        (502, "bad gateway", litellm.ServiceUnavailableError),
        (503, "overloaded", litellm.ServiceUnavailableError),
        (408, "too slow", litellm.Timeout),
    ],
)
def test_status_mapping(status: int, message: str, cls: type[Exception]) -> None:
    exc = to_litellm_exception(status, message, model="a/b")
    assert type(exc) is cls
    assert message in str(exc)


def test_not_found_names_the_model() -> None:
    exc = to_litellm_exception(404, "No matching target server found for model a/b", model="a/b")
    assert "'a/b'" in str(exc)


def test_plain_bad_request_is_not_a_context_error() -> None:
    assert type(to_litellm_exception(400, INNER, model="m")) is litellm.BadRequestError
    assert not is_context_overflow(INNER)


def test_retry_after_reaches_the_exception_response() -> None:
    exc = to_litellm_exception(429, "slow", model="m", headers={"Retry-After": "3"})
    assert isinstance(exc, litellm.RateLimitError)
    assert exc.response.headers["retry-after"] == "3"


# ------------------------------------------------------- against the independent fault server (issue 14) ---
MODEL = "gmi/deepseek-ai/DeepSeek-V3.2"
MESSAGES = [{"role": "user", "content": "What is the capital of France?"}]
ORG = "org-5f0c2a7e-echoed"
BOUND = MAX_MESSAGE_CHARS + 400
"""What LiteLLM adds around our message (its class prefix, provider and model) stays well under this."""


def _huge_envelope(size: int) -> bytes:
    """GMI's envelope with the reason first, then megabytes of junk an upstream might append."""
    details = json.dumps({"error": {"message": INNER}})
    return json.dumps(
        {"error": {"message": "Backend request failed", "details": details, "trace": "x" * size}}
    ).encode()


@pytest.mark.parametrize("size", [2_000_000, 50_000_000])
def test_a_huge_error_body_keeps_gmis_reason_in_a_bounded_message(fault_gmi: FaultServer, size: int) -> None:
    fault_gmi.script(Reply(status=400, body=_huge_envelope(size)))
    with pytest.raises(litellm.BadRequestError) as caught:
        litellm.completion(model=MODEL, messages=MESSAGES, num_retries=0)
    assert INNER in str(caught.value)
    assert len(str(caught.value)) < BOUND


async def test_a_huge_error_before_a_streams_first_byte_is_bounded(fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(status=503, body={"error": {"message": "overloaded " + "y" * 3_000_000}}))
    with pytest.raises(litellm.ServiceUnavailableError) as caught:
        await litellm.acompletion(model=MODEL, messages=MESSAGES, stream=True, num_retries=0)
    assert "overloaded" in str(caught.value)
    assert "more characters" in str(caught.value)
    assert len(str(caught.value)) < BOUND


def test_messages_are_capped_and_say_so() -> None:
    text = cap_message("z" * (MAX_MESSAGE_CHARS + 10))
    assert text.endswith("[10 more characters]")
    assert cap_message("short") == "short"


def _echo(key: str) -> Reply:
    return Reply(
        status=401,
        body={"error": {"message": f"invalid credentials: Authorization: Bearer {key} org={ORG}"}},
    )


def _assert_masked(exc: BaseException) -> None:
    for shown in (str(exc), repr(exc), str(exc.__cause__ or "")):
        assert TEST_API_KEY not in shown
        assert ORG not in shown
    assert "****" in str(exc)


def test_an_echoed_key_and_org_are_masked(fault_gmi: FaultServer) -> None:
    fault_gmi.script(_echo(TEST_API_KEY))
    with pytest.raises(litellm.AuthenticationError) as caught:
        litellm.completion(model=MODEL, messages=MESSAGES, org_id=ORG, num_retries=0)
    _assert_masked(caught.value)


async def test_an_echoed_key_is_masked_in_an_async_stream(fault_gmi: FaultServer) -> None:
    fault_gmi.script(_echo(TEST_API_KEY))
    with pytest.raises(litellm.AuthenticationError) as caught:
        await litellm.acompletion(model=MODEL, messages=MESSAGES, org_id=ORG, stream=True, num_retries=0)
    _assert_masked(caught.value)


def test_an_echoed_key_is_masked_in_a_streamed_error_event(fault_gmi: FaultServer) -> None:
    event = {"error": {"message": f"engine saw Bearer {TEST_API_KEY} for {ORG}", "code": 500}}
    fault_gmi.script(Reply(kind="sse", events=[chunk("Par"), event]))
    # 1.106.2 wraps a mid-stream error in MidStreamFallbackError (a ServiceUnavailableError)
    with pytest.raises((litellm.InternalServerError, litellm.ServiceUnavailableError)) as caught:
        list(litellm.completion(model=MODEL, messages=MESSAGES, org_id=ORG, stream=True, num_retries=0))
    _assert_masked(caught.value)


def test_a_bearer_token_that_is_not_ours_is_masked_too() -> None:
    assert mask_secrets("Authorization: Bearer sk-other-123", ()) == "Authorization: Bearer ****"


def test_a_connection_reset_is_a_connection_error(fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(kind="reset"), Reply(kind="reset"))  # LiteLLM retries once on a new connection
    with pytest.raises(litellm.APIConnectionError) as caught:
        litellm.completion(model=MODEL, messages=MESSAGES, num_retries=0)
    assert not isinstance(caught.value, litellm.InternalServerError)
    assert "connection failed" in str(caught.value)


async def test_a_connection_reset_before_a_streams_first_byte_is_a_connection_error(
    fault_gmi: FaultServer,
) -> None:
    fault_gmi.script(Reply(kind="reset"), Reply(kind="reset"))
    with pytest.raises(litellm.APIConnectionError):
        await litellm.acompletion(model=MODEL, messages=MESSAGES, stream=True, num_retries=0)


@pytest.mark.parametrize(
    "body",
    [b"\x00\xff<html>bad gateway</html>", b"[1, 2]", b'{"choices": "x"}', b'{"unexpected": true}'],
    ids=["bytes", "json list", "wrong choices", "no choices"],
)
def test_a_garbage_body_is_a_502_without_a_traceback(fault_gmi: FaultServer, body: bytes) -> None:
    fault_gmi.script(Reply(body=body))
    with pytest.raises(litellm.ServiceUnavailableError) as caught:
        litellm.completion(model=MODEL, messages=MESSAGES, num_retries=0)
    assert caught.value.status_code >= 500  # GMI's fault, not the client's (LiteLLM's class says 503)
    assert "Traceback" not in str(caught.value)


def test_no_choices_is_an_error_not_an_empty_answer(fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(body={**chat_answer(), "choices": []}))
    with pytest.raises(litellm.ServiceUnavailableError, match="no choices"):
        litellm.completion(model=MODEL, messages=MESSAGES, num_retries=0)


def test_no_httpx_error_with_the_request_is_reachable_from_the_exception(fault_gmi: FaultServer) -> None:
    fault_gmi.script(Reply(status=400, body={"error": "bad"}))
    with pytest.raises(litellm.BadRequestError) as caught:
        litellm.completion(model=MODEL, messages=MESSAGES, num_retries=0)
    chain: list[BaseException] = []
    current: BaseException | None = caught.value
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    assert not any(isinstance(exc, httpx.HTTPError) for exc in chain)


def test_pin_litellms_http_handler_reads_a_whole_error_body(fault_gmi: FaultServer) -> None:
    """LiteLLM's own limit, documented in the README's Errors section: ``HTTPHandler.post`` reads an
    error body whole before any provider code runs, so a huge body still costs its transfer. When this
    fails, LiteLLM bounds that read and the README's row can go."""
    size = 3_000_000
    fault_gmi.script(Reply(status=400, body=b"x" * size))
    handler = HTTPHandler(timeout=10)
    try:
        with pytest.raises(httpx.HTTPStatusError) as caught:
            handler.post(url=fault_gmi.base + "/chat/completions", data="{}", stream=True)
    finally:
        handler.close()
    assert len(caught.value.response.content) == size
