"""Operations the package does not serve fail at once with a non-retryable error naming them."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from typing import Any

import litellm
import pytest

from litellm_gmi.litellm_seams import unsupported

MESSAGES = [{"role": "user", "content": "hi"}]
CALLS: dict[str, Callable[[], Any]] = {
    "speech": lambda: litellm.speech(model="gmi/minimax/tts", input="hello", voice="alloy"),
    "aspeech": lambda: litellm.aspeech(model="gmi/minimax/tts", input="hello", voice="alloy"),
    "transcription": lambda: litellm.transcription(
        model="gmi/x/whisper", file=("a.wav", b"RIFF", "audio/wav")
    ),
    "atranscription": lambda: litellm.atranscription(
        model="gmi/x/whisper", file=("a.wav", b"RIFF", "audio/wav")
    ),
    "rerank": lambda: litellm.rerank(model="gmi/x/rerank", query="q", documents=["a", "b"]),
    "arerank": lambda: litellm.arerank(model="gmi/x/rerank", query="q", documents=["a", "b"]),
    "image_variation": lambda: litellm.image_variation(
        image=io.BytesIO(b"png"), model="gmi/seedream-5.0-lite"
    ),
    "aimage_variation": lambda: litellm.aimage_variation(
        image=io.BytesIO(b"png"), model="gmi/seedream-5.0-lite"
    ),
    "moderation": lambda: litellm.moderation(input="hi", model="gmi/x/guard"),
    "amoderation": lambda: litellm.amoderation(input="hi", model="gmi/x/guard"),
}


async def outcome(result: Any) -> Any:
    return await result if isinstance(result, Awaitable) else result


def test_every_wrapped_operation_is_exercised() -> None:
    assert set(CALLS) == {name for op in unsupported.UNSUPPORTED for name in (op, f"a{op}")}


@pytest.mark.parametrize("operation", sorted(CALLS))
async def test_refused_naming_the_operation_and_provider(fault_gmi: Any, operation: str) -> None:
    with pytest.raises(litellm.BadRequestError) as info:
        await outcome(CALLS[operation]())
    message = str(info.value)
    assert f"gmi does not support {operation}" in message
    assert info.value.status_code == 400
    assert fault_gmi.seen == []


def test_the_error_is_not_retryable() -> None:
    should_retry = getattr(litellm.utils, "should_retry", None) or litellm.utils._should_retry
    assert not should_retry(unsupported.error_for("rerank", "gmi/x").status_code)


async def test_the_router_does_not_retry_it(fault_gmi: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    raised: list[str] = []
    original = unsupported.error_for

    def counting(operation: str, model: Any) -> Any:
        raised.append(operation)
        return original(operation, model)

    monkeypatch.setattr(unsupported, "error_for", counting)
    router = litellm.Router(
        model_list=[{"model_name": "ranker", "litellm_params": {"model": "gmi/x/rerank"}}], num_retries=3
    )
    with pytest.raises(litellm.BadRequestError):
        await router.arerank(model="ranker", query="q", documents=["a"])
    assert raised == ["arerank"]


def test_other_providers_are_untouched(fault_gmi: Any) -> None:
    """An OpenAI speech call still goes out (here to the fault server standing in for OpenAI)."""
    litellm.speech(
        model="openai/tts-1", input="hello", voice="alloy", api_base=fault_gmi.base, api_key="sk-x"
    )
    assert fault_gmi.seen[-1].path == "/v1/audio/speech"
