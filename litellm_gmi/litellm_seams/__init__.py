"""Every reach into LiteLLM beyond its documented extension points, in one room.

Documented extension points are used from the rest of the package directly: ``custom_provider_map``
with a ``CustomLLM``, ``register_model``, ``litellm.callbacks`` with a ``CustomLogger``,
``OpenAIGPTConfig`` subclasses and ``BaseVideoConfig``. Everything else (private names, module-attribute
wraps, patches of LiteLLM objects, internal call signatures) lives in a module of this package, whose
docstring says what it touches, why, on which LiteLLM releases, and how it is checked at registration.
:mod:`.registry` lists them all; ``litellm-gmi doctor`` prints their state and docs/litellm-seams.md is
generated from it. tests/test_architecture.py fails if a module outside this package reaches in.

The rest of the package imports only the names below, from here. They load lazily, so
``import litellm_gmi`` still loads no LiteLLM (:func:`use_litellm_encodings` runs before it).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from litellm_gmi.litellm_seams import caller_loop
    from litellm_gmi.litellm_seams.builtin_row import builtin_row_active
    from litellm_gmi.litellm_seams.builtin_row import give_back as give_back_builtin_row
    from litellm_gmi.litellm_seams.builtin_row import set_aside as set_aside_builtin_row
    from litellm_gmi.litellm_seams.call_record import mask_org_header_in_logs, validated_openai_names
    from litellm_gmi.litellm_seams.call_record import recorded as recorded_call
    from litellm_gmi.litellm_seams.cost_map import write_rows as write_cost_rows
    from litellm_gmi.litellm_seams.function_wraps import install_wraps, uninstall_wraps
    from litellm_gmi.litellm_seams.http_clients import (
        ClosingAsyncClient,
        ClosingSyncClient,
        pooled_async_client,
        pooled_sync_client,
    )
    from litellm_gmi.litellm_seams.native_errors import install as install_native_error_masking
    from litellm_gmi.litellm_seams.native_errors import native_routes_available
    from litellm_gmi.litellm_seams.native_errors import remember as remember_for_masking
    from litellm_gmi.litellm_seams.native_errors import uninstall as uninstall_native_error_masking
    from litellm_gmi.litellm_seams.registry import MISSING as SEAM_MISSING
    from litellm_gmi.litellm_seams.registry import check as check_seams
    from litellm_gmi.litellm_seams.registry import markdown as seams_markdown
    from litellm_gmi.litellm_seams.registry import warn_missing as warn_missing_seams
    from litellm_gmi.litellm_seams.streams import inner_stream, send_chat, wrap_stream
    from litellm_gmi.litellm_seams.tiktoken_cache import use_litellm_encodings
    from litellm_gmi.litellm_seams.unsupported import refuse as refuse_unsupported
    from litellm_gmi.litellm_seams.version import LITELLM_VERSION, STREAM_PASSTHROUGH

_SURFACE: dict[str, tuple[str, str | None]] = {
    "caller_loop": ("caller_loop", None),
    "builtin_row_active": ("builtin_row", "builtin_row_active"),
    "give_back_builtin_row": ("builtin_row", "give_back"),
    "set_aside_builtin_row": ("builtin_row", "set_aside"),
    "mask_org_header_in_logs": ("call_record", "mask_org_header_in_logs"),
    "validated_openai_names": ("call_record", "validated_openai_names"),
    "recorded_call": ("call_record", "recorded"),
    "write_cost_rows": ("cost_map", "write_rows"),
    "install_wraps": ("function_wraps", "install_wraps"),
    "uninstall_wraps": ("function_wraps", "uninstall_wraps"),
    "ClosingAsyncClient": ("http_clients", "ClosingAsyncClient"),
    "ClosingSyncClient": ("http_clients", "ClosingSyncClient"),
    "pooled_async_client": ("http_clients", "pooled_async_client"),
    "pooled_sync_client": ("http_clients", "pooled_sync_client"),
    "install_native_error_masking": ("native_errors", "install"),
    "native_routes_available": ("native_errors", "native_routes_available"),
    "remember_for_masking": ("native_errors", "remember"),
    "uninstall_native_error_masking": ("native_errors", "uninstall"),
    "SEAM_MISSING": ("registry", "MISSING"),
    "check_seams": ("registry", "check"),
    "seams_markdown": ("registry", "markdown"),
    "warn_missing_seams": ("registry", "warn_missing"),
    "inner_stream": ("streams", "inner_stream"),
    "send_chat": ("streams", "send_chat"),
    "wrap_stream": ("streams", "wrap_stream"),
    "use_litellm_encodings": ("tiktoken_cache", "use_litellm_encodings"),
    "refuse_unsupported": ("unsupported", "refuse"),
    "LITELLM_VERSION": ("version", "LITELLM_VERSION"),
    "STREAM_PASSTHROUGH": ("version", "STREAM_PASSTHROUGH"),
}
"""Each public name: the seam module that defines it, and its name there (``None``: the module)."""

__all__ = [
    "LITELLM_VERSION",
    "SEAM_MISSING",
    "STREAM_PASSTHROUGH",
    "ClosingAsyncClient",
    "ClosingSyncClient",
    "builtin_row_active",
    "caller_loop",
    "check_seams",
    "give_back_builtin_row",
    "inner_stream",
    "install_native_error_masking",
    "install_wraps",
    "mask_org_header_in_logs",
    "native_routes_available",
    "pooled_async_client",
    "pooled_sync_client",
    "recorded_call",
    "refuse_unsupported",
    "remember_for_masking",
    "seams_markdown",
    "send_chat",
    "set_aside_builtin_row",
    "uninstall_native_error_masking",
    "uninstall_wraps",
    "use_litellm_encodings",
    "validated_openai_names",
    "warn_missing_seams",
    "wrap_stream",
    "write_cost_rows",
]


def __getattr__(name: str) -> Any:
    try:
        module_name, attribute = _SURFACE[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    module = importlib.import_module(f"{__name__}.{module_name}")
    return module if attribute is None else getattr(module, attribute)
