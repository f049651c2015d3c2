"""LiteLLM's per-call ``Logging`` object: the caller's parameters read back, and the organisation masked.

What it touches, on LiteLLM 1.81.1 through 1.110.2 (``litellm/litellm_core_utils/litellm_logging.py``):

* ``logging_obj.model_call_details`` (a read): LiteLLM's generic mapping for a custom provider removes
  ``user``, ``reasoning_effort`` and ``thinking`` before the provider sees them, but records the call's
  own parameters there (``"optional_params"``), beside the caller's ``drop_params``
  (``"litellm_params"``). :mod:`litellm_gmi.chat.recovered` takes them back from :func:`recorded`.
* ``logging_obj.pre_call`` (a per-call patch of that one object): LiteLLM's debug line masks only headers
  whose names contain ``authorization``, ``key``, ``token``... (``get_masked_values``), so
  ``X-Organization-ID`` was printed in full; :func:`mask_org_header_in_logs` masks it in the copy handed
  to the logger.
* ``litellm.constants.DEFAULT_CHAT_COMPLETION_PARAM_VALUES``: the OpenAI names LiteLLM validates
  (:func:`validated_openai_names`).

Checked at registration by :mod:`litellm_gmi.litellm_seams.registry` (a ``Logging`` is built and must
have both); a record that is gone at call time warns once, naming it.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping
from typing import Any

from litellm.constants import DEFAULT_CHAT_COMPLETION_PARAM_VALUES

from litellm_gmi.constants import ORG_ID_HEADER


def recorded(logging_obj: Any) -> tuple[Mapping[str, Any] | None, Any]:
    """The call's own parameters and its ``drop_params`` as LiteLLM recorded them; ``(None, None)``
    for a call made without LiteLLM's bookkeeping. Warns once if the record itself is gone."""
    details = getattr(logging_obj, "model_call_details", None)
    if logging_obj is not None and not isinstance(details, dict):
        _warn_record_moved(logging_obj)
    params = details.get("optional_params") if isinstance(details, dict) else None
    if not isinstance(params, Mapping):
        return None, None
    settings = details.get("litellm_params") if isinstance(details, dict) else None
    return params, settings.get("drop_params") if isinstance(settings, Mapping) else None


def validated_openai_names() -> Mapping[str, Any]:
    """The OpenAI parameter names LiteLLM validates against a provider's supported list."""
    return DEFAULT_CHAT_COMPLETION_PARAM_VALUES


_warned_record_moved = False


def _warn_record_moved(logging_obj: Any) -> None:
    """Say once, loudly, that the caller's reasoning options can no longer be recovered."""
    global _warned_record_moved  # noqa: PLW0603 - once per process
    if _warned_record_moved:
        return
    _warned_record_moved = True
    message = (
        f"litellm_gmi: LiteLLM's call record ({type(logging_obj).__name__}.model_call_details) is gone, "
        "so reasoning_effort, thinking, user and drop_params no longer reach GMI on this LiteLLM "
        "release. Run `litellm-gmi doctor`."
    )
    logging.getLogger("litellm_gmi").warning(message)
    warnings.warn(message, RuntimeWarning, stacklevel=4)


def mask_org_header_in_logs(logging_obj: Any) -> None:
    """Keep the organisation id out of LiteLLM's debug log and callbacks' ``additional_args``.

    The request itself still carries the real value: only the copy handed to the logger is masked
    (tests/test_secret_hygiene.py).
    """
    pre_call = getattr(logging_obj, "pre_call", None)
    if not callable(pre_call) or getattr(pre_call, "_gmi_masked", False):
        return

    def masked_pre_call(*args: Any, **kwargs: Any) -> Any:
        extra = kwargs.get("additional_args")
        headers = extra.get("headers") if isinstance(extra, dict) else None
        if isinstance(extra, dict) and isinstance(headers, dict):
            kwargs["additional_args"] = {
                **extra,
                "headers": {
                    name: "****" if name.lower() == ORG_ID_HEADER.lower() else value
                    for name, value in headers.items()
                },
            }
        return pre_call(*args, **kwargs)

    masked_pre_call._gmi_masked = True  # type: ignore[attr-defined]
    try:
        logging_obj.pre_call = masked_pre_call
    except AttributeError:  # a logging object that refuses attributes keeps LiteLLM's own masking
        return
