"""LiteLLM's ``CustomStreamWrapper``, unwrapped once and built once, and its HTTP handler's chat call.

What it touches, on LiteLLM 1.81.1 through 1.110.2:

* ``CustomStreamWrapper.completion_stream`` (a read): ``BaseLLMHTTPHandler`` wraps our stream iterator in
  a ``CustomStreamWrapper`` and ``completion()`` wraps the result in a second one. Two wrappers cost
  twice LiteLLM's per-chunk work (bench/: 200 chunks took 1.6x LiteLLM's built-in route) and the inner
  one replaces GMI's usage with a local token estimate, so :func:`inner_stream` takes the inner
  iterator back and only the outer wrapper is kept.
* ``CustomStreamWrapper(completion_stream=, model=, custom_llm_provider=, logging_obj=)``: the wrapper
  ``completion()`` builds for a stream, built by :func:`wrap_stream` for an async stream opened inside
  ``acompletion`` (:mod:`litellm_gmi.litellm_seams.caller_loop`).
* ``BaseLLMHTTPHandler.completion(provider_config=...)`` (an internal call signature): every chat call
  runs on LiteLLM's own HTTP stack with our ``OpenAIGPTConfig`` subclass (:func:`send_chat`).

Checked at registration by :mod:`litellm_gmi.litellm_seams.registry` (both keyword parameters must
exist); without them no ``gmi/`` chat call works, or streams are wrapped twice.
"""

from __future__ import annotations

from typing import Any

from litellm.litellm_core_utils.streaming_handler import CustomStreamWrapper
from litellm.llms.custom_httpx.llm_http_handler import BaseLLMHTTPHandler

from litellm_gmi.constants import PROVIDER

_http = BaseLLMHTTPHandler()


def inner_stream(stream: Any) -> Any:
    """The iterator LiteLLM's inner stream wrapper was built on, or ``stream`` if it is no wrapper."""
    return getattr(stream, "completion_stream", stream)


def wrap_stream(chunks: Any, *, model: str, logging_obj: Any) -> CustomStreamWrapper:
    """LiteLLM's stream wrapper around ``chunks``, as ``completion()`` builds it for a ``gmi`` stream."""
    return CustomStreamWrapper(
        completion_stream=chunks, model=model, custom_llm_provider=PROVIDER, logging_obj=logging_obj
    )


def send_chat(*, provider_config: Any, **kwargs: Any) -> Any:
    """``BaseLLMHTTPHandler.completion`` with our chat config: LiteLLM's transport, GMI's mapping."""
    return _http.completion(provider_config=provider_config, **kwargs)
