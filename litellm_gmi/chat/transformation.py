"""``GMIChatConfig``: GMI's chat route as a LiteLLM ``OpenAIGPTConfig``, in the style of Fireworks.

LiteLLM's ``BaseLLMHTTPHandler`` drives it: ``validate_environment`` (key, organisation, User-Agent),
``get_complete_url``, ``transform_request``, then ``transform_response`` or the stream iterator, and
``get_error_class`` for non-2xx answers. Parameter rules live in :mod:`litellm_gmi.chat.params`;
``transform_request`` also decides how a ``json_schema`` reaches GMI
(:mod:`litellm_gmi.chat.structured_output`), since that may add a system instruction to the messages.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import httpx
from litellm.llms.base_llm.chat.transformation import BaseLLMException
from litellm.llms.openai.chat.gpt_transformation import OpenAIGPTConfig
from litellm.llms.openai.common_utils import OpenAIError
from litellm.types.utils import ModelResponse
from typing_extensions import override

from litellm_gmi import json_limits
from litellm_gmi.chat import params as gmi_params
from litellm_gmi.chat import structured_output
from litellm_gmi.chat.reasoning import split_think
from litellm_gmi.chat.streaming import GMIStreamIterator
from litellm_gmi.chat.structured_output import STRUCTURED_OUTPUT_KWARG
from litellm_gmi.common_utils import GMIBase
from litellm_gmi.constants import PROVIDER
from litellm_gmi.errors import GMIError, error_in_answer

ORG_ID_PARAM = "organization"
"""LiteLLM's own name for an organisation (``completion(organization=...)``), sent as X-Organization-ID."""


class GMIChatConfig(GMIBase, OpenAIGPTConfig):
    """Chat completions on ``https://api.gmi-serving.com/v1``; key, headers and the error class come from
    :class:`~litellm_gmi.common_utils.GMIBase`."""

    # GMI-only parameters, declared like Fireworks declares its own.
    top_k: int | None = None
    ignore_eos: bool | None = None
    context_length_exceeded_behavior: str | None = None
    repetition_penalty: float | None = None
    min_p: float | None = None

    @property
    @override
    def custom_llm_provider(self) -> str:
        return PROVIDER

    @override
    def get_supported_openai_params(self, model: str) -> list[str]:
        return gmi_params.supported_openai_params(model)

    @override
    def map_openai_params(
        self,
        non_default_params: dict[str, Any],
        optional_params: dict[str, Any],
        model: str,
        drop_params: bool,
        *,
        allowed: Collection[str] = (),
    ) -> dict[str, Any]:
        """The caller's parameters as GMI's fields: the path every chat call's parameters take.

        LiteLLM maps a custom provider's parameters through its generic config instead of this one
        (:mod:`litellm_gmi.chat.params`), so :class:`~litellm_gmi.provider.GMIProvider` calls it, on the
        parameters :func:`~litellm_gmi.chat.recovered.recover_params` took back. ``stream`` asks for
        usage on the last chunk; ``allowed`` are the names the caller's ``allowed_openai_params`` let
        through, sent without a second refusal (as LiteLLM adds them after its own mapping).
        """
        params = dict(non_default_params)
        stream = bool(params.pop("stream", False))
        optional_params.update(
            gmi_params.prepare_params(
                params, model=model, stream=stream, drop_params=drop_params, allowed=allowed
            )
        )
        if stream:
            optional_params["stream"] = True
        return optional_params

    @override
    def validate_environment(
        self,
        headers: dict[str, Any],
        model: str,
        messages: list[Any],
        optional_params: dict[str, Any],
        litellm_params: dict[str, Any],
        api_key: str | None = None,
        api_base: str | None = None,
    ) -> dict[str, Any]:
        org_id = litellm_params.get(ORG_ID_PARAM)
        # Already resolved by the provider, once per call: nothing is looked up again here.
        return self.gmi_credentials(api_key, api_base, org_id, model=model).headers(headers)

    @override
    def get_complete_url(
        self,
        api_base: str | None,
        api_key: str | None,
        model: str,
        optional_params: dict[str, Any],
        litellm_params: dict[str, Any],
        stream: bool | None = None,
    ) -> str:
        base = self.gmi_api_base(api_base)
        return base if base.endswith("/chat/completions") else f"{base}/chat/completions"

    @override
    def transform_request(
        self,
        model: str,
        messages: list[Any],
        optional_params: dict[str, Any],
        litellm_params: dict[str, Any],
        headers: dict[str, Any],
    ) -> dict[str, Any]:
        requested = optional_params.pop(STRUCTURED_OUTPUT_KWARG, None)
        for name in gmi_params.CONTROL_PARAMS:  # steer this package, never sent
            optional_params.pop(name, None)
        messages = structured_output.apply(optional_params, messages, model=model, requested=requested)
        tool_choice = optional_params.get("tool_choice")
        body: dict[str, Any] = super().transform_request(
            model, messages, optional_params, litellm_params, headers
        )
        if tool_choice is not None:  # the parent drops a tool_choice sent without tools; we never drop
            body["tool_choice"] = tool_choice
        return body

    @override
    def transform_response(
        self,
        model: str,
        raw_response: httpx.Response,
        model_response: ModelResponse,
        logging_obj: Any,
        request_data: dict[str, Any],
        messages: list[Any],
        optional_params: dict[str, Any],
        litellm_params: dict[str, Any],
        encoding: Any,
        api_key: str | None = None,
        json_mode: bool | None = None,
    ) -> ModelResponse:
        unreadable = ""
        try:
            response: ModelResponse = super().transform_response(
                model,
                raw_response,
                model_response,
                logging_obj,
                request_data,
                messages,
                optional_params,
                litellm_params,
                encoding,
                api_key,
                json_mode,
            )
        except OpenAIError:  # a body that is not JSON
            unreadable = "is not JSON"
        except BaseLLMException:
            raise
        except RecursionError:  # LiteLLM's json.loads of a body nested thousands deep (issue 21, item 10)
            unreadable = "is JSON nested too deep to read"
        except Exception:  # JSON of the wrong shape; LiteLLM's text carries a traceback
            unreadable = "is not a chat completion"
        if unreadable:
            # Raised outside the except block, with nothing chained: LiteLLM's proxy answers 400
            # "Invalid request format" to any error with an AttributeError in its chain.
            raise _error_in(raw_response) or _unreadable(raw_response, unreadable)
        if not response.choices:  # an empty answer must not pass as a successful one
            raise _error_in(raw_response) or GMIError(
                status_code=502, message="GMI answered 200 with no choices", headers=raw_response.headers
            )
        for choice in response.choices:
            message = getattr(choice, "message", None)
            content = getattr(message, "content", None)
            if message is None or not isinstance(content, str):
                continue
            reasoning, answer = split_think(content)
            if reasoning is not None:
                message.content = answer
                message.reasoning_content = reasoning
        if not response.model:  # GMI's docs show it echoed; a server that omits it left None
            response.model = model
        return response

    @override
    def get_model_response_iterator(
        self, streaming_response: Any, sync_stream: bool, json_mode: bool | None = False
    ) -> GMIStreamIterator:
        return GMIStreamIterator(
            streaming_response=streaming_response, sync_stream=sync_stream, json_mode=json_mode
        )


def _error_in(raw_response: httpx.Response) -> GMIError | None:
    """The error a 200 answer carries in GMI's envelope (its reason and code), as in a stream."""
    try:
        body = json_limits.loads(raw_response.text)
    except ValueError:
        return None
    return error_in_answer(body)


def _unreadable(raw_response: httpx.Response, why: str) -> GMIError:
    """A 200 whose body is not an answer: GMI's (or a proxy's) fault, reported as a 502, not a 400."""
    return GMIError(
        status_code=502,
        message=f"GMI returned a body that {why} ({len(raw_response.content)} bytes): "
        f"{raw_response.text[:200]!r}",
        headers=raw_response.headers,
    )
