"""GMI's error shapes become LiteLLM's typed exceptions with GMI's real reason."""

from __future__ import annotations

import json

import litellm
import pytest

from litellm_gmi.errors import extract_message, is_context_overflow, to_litellm_exception

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
