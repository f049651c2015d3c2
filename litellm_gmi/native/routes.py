"""Claude Code's ``/v1/messages`` and Codex's ``/v1/responses`` reach GMI's own endpoints, untranslated.

LiteLLM 1.106 and later forward either call as-is when the call's ``model_info["supported_endpoints"]``
lists the endpoint and the call carries an ``api_base``:

- ``/v1/messages``: ``_deployment_passes_through_anthropic_messages`` (1.106:
  litellm/llms/anthropic/pass_through/messages/handler.py; 1.109: litellm/llms/anthropic/messages/native/
  handler.py) picks ``OpenAILikeAnthropicMessagesConfig`` (litellm/llms/openai_like/messages/
  transformation.py), which posts the Anthropic body to ``{api_base minus /v1}/v1/messages`` with
  ``Authorization: Bearer <api_key>``.
- ``/v1/responses``: ``_deployment_passes_through_responses`` (litellm/responses/main.py) picks
  ``OpenAILikeResponsesConfig`` (litellm/llms/openai_like/responses/transformation.py), which posts the
  Responses body to ``{api_base}/responses``.

Otherwise LiteLLM translates the call to chat completions (its "bridge"), and thinking budgets, thinking
blocks, reasoning items and ``previous_response_id`` are lost. This module supplies both for ``gmi/``
models: the endpoint list from the catalog (a deployment's own ``supported_endpoints`` wins), and the
key, base URL, organisation and User-Agent from :mod:`litellm_gmi.common_utils`, so no deployment needs
an ``api_base``.

:func:`route` does that for every async call, from the package's ``CustomLogger``
(:class:`litellm_gmi.native.hooks.GMIHooks`) and its ``async_pre_call_deployment_hook``, which LiteLLM's
``@client`` async wrapper runs (via ``litellm.utils.async_pre_call_deployment_hook``) for each logger in
``litellm.callbacks``; that covers the proxy, ``litellm.aresponses`` and
``litellm.anthropic.messages.acreate``. LiteLLM's sync wrapper runs no such hook, so sync callers add
:func:`native_kwargs` themselves. LiteLLM 1.81.1 has neither config class: :func:`native_routes_available`
is false there and the hook leaves every call alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from litellm_gmi.catalog import capabilities, supported_endpoints
from litellm_gmi.chat import thinking
from litellm_gmi.common_utils import resolve_credentials
from litellm_gmi.constants import ORG_ID_KWARG, PROVIDER
from litellm_gmi.litellm_seams import (
    mask_org_header_in_logs,
    native_routes_available,
    remember_for_masking,
)

__all__ = ["MESSAGES", "RESPONSES", "native_kwargs", "native_routes_available", "route"]

MESSAGES: Final = "/v1/messages"
RESPONSES: Final = "/v1/responses"

_ENDPOINT_BY_CALL_TYPE: Final[Mapping[str, str]] = MappingProxyType(
    {"anthropic_messages": MESSAGES, "aresponses": RESPONSES}
)
"""LiteLLM ``CallTypes`` values (the ``@client`` function names) of the calls that can go native."""


def native_kwargs(
    model: str,
    endpoint: str,
    *,
    api_key: str | None = None,
    api_base: str | None = None,
    org_id: str | None = None,
    model_info: Mapping[str, Any] | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Keyword arguments that send one ``endpoint`` call for ``model`` to GMI untranslated.

    ``endpoint`` is :data:`MESSAGES` or :data:`RESPONSES`. The answer is empty, and LiteLLM's
    chat-completions bridge handles the call as before, when ``model`` is not a ``gmi/`` model, when
    GMI does not serve ``endpoint`` for it (``model_info["supported_endpoints"]`` if given, else the
    catalog), or on a LiteLLM without the pass-through. A missing key raises
    :class:`litellm.AuthenticationError` here, before any network call. Sync calls need it spelled out::

        model = "gmi/openai/gpt-5.2"
        litellm.responses(model=model, input="Hi", **native_kwargs(model, RESPONSES))
    """
    if not model.startswith(f"{PROVIDER}/") or not native_routes_available():
        return {}
    declared = model_info.get("supported_endpoints") if model_info is not None else None
    endpoints = list(declared) if isinstance(declared, (list, tuple)) else list(supported_endpoints(model))
    if endpoint not in endpoints:
        return {}
    credentials = resolve_credentials(api_key, api_base, org_id, model=model)
    remember_for_masking(*credentials.secrets)  # masked in this call's errors, which LiteLLM builds
    return {
        "api_key": credentials.api_key,
        "api_base": credentials.api_base,
        "model_info": {**(model_info or {}), "supported_endpoints": endpoints},
        # LiteLLM's pass-through configs write the Authorization header from api_key.
        "extra_headers": credentials.identity_headers(extra_headers),
    }


def route(kwargs: dict[str, Any], call_type: Any) -> dict[str, Any] | None:
    """The call's kwargs with :func:`native_kwargs` added, for an async ``/v1/messages`` or
    ``/v1/responses`` call to a ``gmi/`` model that GMI serves natively; ``None`` leaves the call as is.

    Run for every async call by :class:`litellm_gmi.native.hooks.GMIHooks`, the package's ``CustomLogger``."""
    endpoint = _ENDPOINT_BY_CALL_TYPE.get(str(getattr(call_type, "value", call_type)))
    model = kwargs.get("model")
    if endpoint is None or not isinstance(model, str):
        return None
    routed = native_kwargs(
        model,
        endpoint,
        api_key=kwargs.get("api_key"),
        api_base=kwargs.get("api_base"),
        org_id=kwargs.get(ORG_ID_KWARG),
        model_info=kwargs.get("model_info"),
        extra_headers=kwargs.get("extra_headers"),
    )
    if not routed:
        return None
    mask_org_header_in_logs(kwargs.get("litellm_logging_obj"))
    # `org_id` became a header; left in, LiteLLM would send it to GMI as a body field.
    routed_kwargs = {**{k: v for k, v in kwargs.items() if k != ORG_ID_KWARG}, **routed}
    if endpoint == MESSAGES:
        _enable_adaptive_thinking(routed_kwargs, model.removeprefix(f"{PROVIDER}/"))
    return routed_kwargs


def _enable_adaptive_thinking(kwargs: dict[str, Any], model: str) -> None:
    """Claude Code's ``thinking: {"type": "adaptive"}`` + ``output_config.effort`` as GMI's enabled thinking.

    LiteLLM's ``AnthropicMessagesConfig._translate_adaptive_effort_for_non_adaptive_model``
    (litellm/llms/anthropic/pass_through/messages/transformation.py, 1.106 to 1.110) looks the model's
    reasoning support up under provider ``anthropic``, where no ``gmi/`` model is listed, and drops the
    thinking. Sent as ``{"type": "enabled", "budget_tokens": N}`` (:func:`thinking.enabled_thinking`),
    the form GMI documents for ``/v1/messages``, it passes that function untouched.
    """
    if not capabilities.supports_reasoning(model):
        return
    enabled = thinking.enabled_thinking(
        kwargs.get("thinking"), kwargs.get("output_config"), kwargs.get("max_tokens")
    )
    if enabled is None:
        return
    kwargs["thinking"], output_config = enabled
    if output_config is None:
        kwargs.pop("output_config", None)
    else:
        kwargs["output_config"] = output_config
