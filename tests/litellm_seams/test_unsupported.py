"""Operations the package refuses fail at once with a non-retryable error naming them, sending nothing.

Which operations are refused, and why the others are left to LiteLLM, is measured by
tests/unsupported_report.py (docs/unsupported-operations.md); these tests assert only our refusals.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import litellm
import pytest

from litellm_gmi.litellm_seams import unsupported

CALLS: dict[str, Callable[[], Any]] = {
    "aspeech": lambda: litellm.aspeech(model="gmi/minimax/tts", input="hello", voice="alloy"),
    "atranscription": lambda: litellm.atranscription(
        model="gmi/x/whisper", file=("a.wav", b"RIFF", "audio/wav")
    ),
    "arerank": lambda: litellm.arerank(model="gmi/x/rerank", query="q", documents=["a", "b"]),
    "amoderation": lambda: litellm.amoderation(input="hi", model="gmi/x/guard"),
    "moderation": lambda: litellm.moderation(input="hi", model="gmi/x/guard"),
}
ROUTER_CALLS: dict[str, dict[str, Any]] = {
    "aspeech": {"input": "hello", "voice": "alloy"},
    "atranscription": {"file": ("a.wav", b"RIFF", "audio/wav")},
    "arerank": {"query": "q", "documents": ["a"]},
    "amoderation": {"input": "hi"},
}


async def outcome(result: Any) -> Any:
    return await result if isinstance(result, Awaitable) else result


@pytest.fixture
def openai_is_local(fault_gmi: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """OpenAI's base URL and a key set, as on many hosts: anything sent to "OpenAI" lands on the server."""
    for name in ("OPENAI_API_BASE", "OPENAI_BASE_URL"):
        monkeypatch.setenv(name, fault_gmi.base)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-test")
    return fault_gmi


def test_every_refused_operation_is_exercised() -> None:
    assert set(CALLS) == {*unsupported.REFUSED_BY_HOOK, *unsupported.WRAPPED}
    assert set(ROUTER_CALLS) == set(unsupported.REFUSED_BY_HOOK)


@pytest.mark.parametrize("operation", sorted(CALLS))
async def test_refused_naming_the_operation_and_provider(openai_is_local: Any, operation: str) -> None:
    with pytest.raises(litellm.BadRequestError) as info:
        await outcome(CALLS[operation]())
    message = str(info.value)
    assert f"gmi does not support {operation}" in message
    assert info.value.status_code == 400
    assert openai_is_local.seen == []


def test_the_error_is_not_retryable() -> None:
    should_retry = getattr(litellm.utils, "should_retry", None) or litellm.utils._should_retry
    assert not should_retry(unsupported.error_for("arerank", "gmi/x").status_code)


@pytest.mark.parametrize("operation", sorted(ROUTER_CALLS))
async def test_the_router_does_not_retry_it(
    openai_is_local: Any, monkeypatch: pytest.MonkeyPatch, operation: str
) -> None:
    raised: list[str] = []
    original = unsupported.error_for

    def counting(name: str, model: Any) -> Any:
        raised.append(name)
        return original(name, model)

    monkeypatch.setattr(unsupported, "error_for", counting)
    router = litellm.Router(
        model_list=[{"model_name": "deployment", "litellm_params": {"model": "gmi/x/y"}}], num_retries=3
    )
    with pytest.raises(litellm.BadRequestError):
        await getattr(router, operation)(model="deployment", **ROUTER_CALLS[operation])
    assert raised == [operation]
    assert openai_is_local.seen == []


async def test_a_caller_holding_the_function_from_before_registration_is_refused(
    openai_is_local: Any,
) -> None:
    """The Router (so the proxy) keeps ``amoderation`` from when it was built; a module imports
    ``arerank`` by name. Neither holds anything of ours, and both are refused."""
    from litellm.main import amoderation
    from litellm.rerank_api.main import arerank

    with pytest.raises(litellm.BadRequestError, match="gmi does not support arerank"):
        await arerank(model="gmi/x/rerank", query="q", documents=["a"])
    with pytest.raises(litellm.BadRequestError, match="gmi does not support amoderation"):
        await amoderation(input="hi", model="gmi/x/guard")
    assert openai_is_local.seen == []


def test_other_providers_are_untouched(fault_gmi: Any) -> None:
    """An OpenAI speech call still goes out (here to the fault server standing in for OpenAI)."""
    litellm.speech(
        model="openai/tts-1", input="hello", voice="alloy", api_base=fault_gmi.base, api_key="sk-x"
    )
    assert fault_gmi.seen[-1].path == "/v1/audio/speech"


async def test_other_providers_async_calls_are_untouched(fault_gmi: Any) -> None:
    """The hook lets an OpenAI moderation through (to the fault server standing in for OpenAI)."""
    with pytest.raises(Exception):  # noqa: B017, PT011 - the server's reply is no moderation; it was sent
        await litellm.amoderation(
            input="hi", model="omni-moderation-latest", api_base=fault_gmi.base, api_key="sk-x"
        )
    assert fault_gmi.seen[-1].path == "/v1/moderations"


async def test_moderation_stays_refused_where_the_hook_is_gone(openai_is_local: Any) -> None:
    """A proxy config's ``callbacks:`` can replace ``litellm.callbacks`` after registration: moderation,
    which would send the input to OpenAI, is still refused, sync and async."""
    from litellm_gmi.native import hooks

    hooks.uninstall()
    try:
        for operation in ("moderation", "amoderation"):
            with pytest.raises(litellm.BadRequestError, match=f"gmi does not support {operation}"):
                await outcome(CALLS[operation]())
    finally:
        hooks.install()
    assert openai_is_local.seen == []
