"""Every place this package reaches into LiteLLM beyond its documented extension points, each checked.

LiteLLM ships several releases a week, and none of these names is a promise. Each :class:`Seam` says
what it touches, which module of ours relies on it, why, and what stops working without it; its probe
tells whether the installed LiteLLM still has it. :func:`warn_missing` runs the probes once at
registration and warns, naming the seam and the LiteLLM release, for every one that is gone, so a
new release never degrades a call silently. ``litellm-gmi doctor`` prints them all, and
``litellm-gmi doctor --markdown`` the table in docs/litellm-seams.md. Every module of
:mod:`litellm_gmi.litellm_seams` has a row here; tests/test_architecture.py keeps the reaches there.

Documented extension points are not listed: ``custom_provider_map`` with a ``CustomLLM``,
``register_model``, ``litellm.callbacks`` with a ``CustomLogger``, and ``OpenAIGPTConfig`` subclasses.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

logger = logging.getLogger("litellm_gmi")

IN_PLACE: Final = "in place"
NOT_NEEDED: Final = "not on this release"
MISSING: Final = "MISSING"


@dataclass(frozen=True)
class Status:
    state: str
    detail: str = ""


@dataclass(frozen=True)
class Seam:
    name: str
    kind: str
    used_by: str
    why: str
    without: str
    """What stops working when the seam is gone."""
    probe: Callable[[], Status]


def _attribute(path: str) -> object:
    """``"litellm.utils.X.y"`` → the object: the longest importable module prefix, then attributes.

    Raises ``AttributeError`` or ``ImportError`` when any part is gone.
    """
    parts = path.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:]:
            target = getattr(target, name)
        return target
    raise ImportError(path)


def _has(*paths: str, optional_before: str = "") -> Callable[[], Status]:
    """A probe: every ``path`` resolves; if ``optional_before`` is set, absence means an older release."""

    def probe() -> Status:
        missing = []
        for path in paths:
            try:
                _attribute(path)
            except (AttributeError, ImportError):
                missing.append(path)
        if not missing:
            return Status(IN_PLACE)
        if optional_before:
            return Status(NOT_NEEDED, optional_before)
        return Status(MISSING, "gone: " + ", ".join(missing))

    return probe


def _parameter(path: str, parameter: str) -> Callable[[], Status]:
    def probe() -> Status:
        try:
            target = _attribute(path)
        except (AttributeError, ImportError):
            return Status(MISSING, f"gone: {path}")
        if parameter in inspect.signature(target).parameters:  # type: ignore[arg-type]
            return Status(IN_PLACE)
        return Status(MISSING, f"{path} takes no {parameter!r}")

    return probe


def _json_registry() -> Status:
    try:
        from litellm.llms.openai_like.json_loader import JSONProviderRegistry
    except ImportError:
        return Status(NOT_NEEDED, "no JSON provider registry, so no built-in gmi row to replace")
    if isinstance(getattr(JSONProviderRegistry, "_providers", None), dict):
        return Status(IN_PLACE)
    return Status(MISSING, "JSONProviderRegistry._providers is not a dict")


def _call_details() -> Status:
    import datetime

    try:
        from litellm.litellm_core_utils.litellm_logging import Logging

        call = Logging(
            model="m",
            messages=[],
            stream=False,
            call_type="completion",
            start_time=datetime.datetime.now(),
            litellm_call_id="litellm-gmi-seam-check",
            function_id="litellm-gmi-seam-check",
        )
    except Exception as exc:  # any change in its constructor is a change in the seam
        return Status(MISSING, f"Logging(...) failed: {type(exc).__name__}")
    missing = [
        name
        for name, ok in (
            ("model_call_details", isinstance(getattr(call, "model_call_details", None), dict)),
            ("pre_call", callable(getattr(call, "pre_call", None))),
        )
        if not ok
    ]
    return Status(MISSING, "Logging lacks " + ", ".join(missing)) if missing else Status(IN_PLACE)


def _native_routes() -> Status:
    from litellm_gmi.litellm_seams.native_errors import native_routes_available

    if native_routes_available():
        return Status(IN_PLACE)
    return Status(
        NOT_NEEDED, "no supported_endpoints pass-through: /v1/messages and /v1/responses are bridged"
    )


def _native_error_classes() -> Status:
    from litellm_gmi.litellm_seams.native_errors import CONFIG_CLASSES

    if _native_routes().state == NOT_NEEDED:
        return Status(NOT_NEEDED, "no pass-through")
    return _has(*(f"{module}.{name}.get_error_class" for module, name in CONFIG_CLASSES))()


def _stream_opening() -> Status:
    from litellm_gmi.litellm_seams.caller_loop import seams_missing

    missing = seams_missing()
    return Status(MISSING, "; ".join(missing)) if missing else Status(IN_PLACE)


def _tokenizers() -> Status:
    from litellm_gmi.litellm_seams.tiktoken_cache import litellm_tokenizers

    return Status(IN_PLACE) if litellm_tokenizers() else Status(MISSING, "no tokenizers folder in litellm")


def _unsupported_operations() -> Status:
    from litellm.types.utils import CallTypes

    from litellm_gmi.litellm_seams.unsupported import REFUSED_BY_HOOK, WRAPPED

    if unknown := set(REFUSED_BY_HOOK) - {member.value for member in CallTypes}:
        return Status(MISSING, "CallTypes lacks " + ", ".join(sorted(unknown)))
    return _has(*(f"litellm.{name}" for name in WRAPPED))()


SEAMS: Final = (
    Seam(
        "litellm.llms.openai_like.json_loader.JSONProviderRegistry._providers",
        "private write",
        "litellm_seams.builtin_row",
        "LiteLLM 1.81.3+ consult their built-in JSON gmi row before custom providers; it is popped",
        "gmi/ calls go to LiteLLM's built-in row instead of this package",
        _json_registry,
    ),
    Seam(
        "litellm.utils.get_supported_openai_params, litellm.get_supported_openai_params",
        "module wrap",
        "litellm_seams.supported_params",
        "LiteLLM validates a custom provider's parameters against the generic OpenAI-like list",
        "GMI's own parameters and reasoning options are refused before sending",
        _has("litellm.utils.get_supported_openai_params", "litellm.get_supported_openai_params"),
    ),
    Seam(
        "litellm.main.get_optional_params_embeddings",
        "module wrap",
        "litellm_seams.embedding_params",
        "main.embedding refuses encoding_format, dimensions and user for providers outside its list",
        "the openai SDK's embeddings (which always send encoding_format) are refused",
        _has("litellm.main.get_optional_params_embeddings"),
    ),
    Seam(
        "litellm.completion_with_retries, litellm.acompletion_with_retries",
        "module wrap",
        "litellm_seams.retries_wrap",
        "the @client wrapper calls them for num_retries; ours honour Retry-After and never retry a 4xx",
        "num_retries falls back to LiteLLM's own retry policy",
        _has("litellm.completion_with_retries", "litellm.acompletion_with_retries"),
    ),
    Seam(
        "litellm.moderation, amoderation; CallTypes.aspeech, atranscription, arerank, amoderation",
        "module wrap, call types",
        "litellm_seams.unsupported",
        "moderation sends a gmi/ call's input to OpenAI (and runs no hook), so both are wrapped; the hook "
        "refuses the async operations LiteLLM would answer with a retried 500 (or send to OpenAI), matched "
        "by their call type",
        "gmi/ moderation input goes to OpenAI; those async calls get LiteLLM's 500, retried by a Router",
        _unsupported_operations,
    ),
    Seam(
        "Logging.model_call_details, Logging.pre_call (litellm_core_utils/litellm_logging.py)",
        "private read, per-call patch",
        "litellm_seams.call_record",
        "LiteLLM's generic mapping drops reasoning_effort, thinking, user and drop_params for custom "
        "providers; they are read back from the call's record. pre_call is wrapped per call to mask "
        "X-Organization-ID in the debug log",
        "reasoning_effort, thinking and user stop reaching GMI; the org id shows in debug logs",
        _call_details,
    ),
    Seam(
        "litellm.constants.DEFAULT_CHAT_COMPLETION_PARAM_VALUES",
        "private read",
        "litellm_seams.call_record",
        "the OpenAI names LiteLLM validates, to tell what allowed_openai_params let through",
        "parameters allowed by allowed_openai_params are refused a second time",
        _has("litellm.constants.DEFAULT_CHAT_COMPLETION_PARAM_VALUES"),
    ),
    Seam(
        "BaseLLMHTTPHandler.completion(provider_config=...)",
        "internal call",
        "litellm_seams.streams",
        "every chat call runs on LiteLLM's own HTTP stack with GMIChatConfig",
        "no gmi/ chat call works",
        _parameter(
            "litellm.llms.custom_httpx.llm_http_handler.BaseLLMHTTPHandler.completion", "provider_config"
        ),
    ),
    Seam(
        "CustomStreamWrapper.completion_stream",
        "private read",
        "litellm_seams.streams",
        "the inner stream wrapper is unwrapped so LiteLLM's per-chunk work runs once",
        "streams are wrapped twice (slower) and GMI's usage is replaced by a local count",
        _parameter(
            "litellm.litellm_core_utils.streaming_handler.CustomStreamWrapper.__init__", "completion_stream"
        ),
    ),
    Seam(
        "litellm.llms.custom_httpx.http_handler.get_async_httpx_client, get_httpx_client",
        "internal call",
        "litellm_seams.http_clients",
        "calls share LiteLLM's pooled clients",
        "no gmi/ call works",
        _has("litellm.llms.custom_httpx.http_handler.get_async_httpx_client"),
    ),
    Seam(
        "litellm.utils._invalidate_model_cost_lowercase_map",
        "private call",
        "litellm_seams.cost_map",
        "the catalog is written into litellm.model_cost in one pass instead of register_model per row",
        "lookups by a differently-cased name miss the catalog",
        _has("litellm.utils._invalidate_model_cost_lowercase_map"),
    ),
    Seam(
        "litellm.utils._runtime_registered_model_cost",
        "private write",
        "litellm_seams.cost_map",
        "LiteLLM 1.106+ replays these rows after adopting a newly downloaded cost map",
        "a late cost-map download erases the catalog's prices",
        _has(
            "litellm.utils._runtime_registered_model_cost",
            optional_before="LiteLLM replays no runtime rows before 1.106",
        ),
    ),
    Seam(
        "litellm.utils.async_pre_call_deployment_hook",
        "internal hook",
        "litellm_seams.caller_loop, native.hooks",
        "the CustomLogger hook that wires native routes, records the caller's loop and refuses the "
        "async operations GMI does not serve",
        "native /v1/messages and /v1/responses are bridged; async streams open lazily; gmi/ aspeech, "
        "atranscription, arerank and amoderation get LiteLLM's retried 500 (amoderation goes to OpenAI)",
        _has("litellm.utils.async_pre_call_deployment_hook"),
    ),
    Seam(
        "custom_chat_llm_router, acompletion awaiting what completion() returns, wrapper_async's kwargs",
        "internal call path",
        "litellm_seams.caller_loop",
        "an async stream is opened inside acompletion, awaited on the caller's loop, so a 429 or 5xx "
        "before its first byte is retried, without holding an executor thread",
        "async streams open at their first iteration, where such errors are not retried",
        _stream_opening,
    ),
    Seam(
        "OpenAILikeAnthropicMessagesConfig, OpenAILikeResponsesConfig (supported_endpoints pass-through)",
        "internal config",
        "litellm_seams.native_errors",
        "GMI's native /v1/messages and /v1/responses are forwarded untranslated",
        "both are bridged over chat completions",
        _native_routes,
    ),
    Seam(
        "OpenAILikeAnthropicMessagesConfig.get_error_class, OpenAILikeResponsesConfig.get_error_class",
        "class method wrap",
        "litellm_seams.native_errors",
        "every native-route error body passes through it before LiteLLM builds and logs the exception",
        "an upstream echoing the key or organisation shows them in native-route errors and logs",
        _native_error_classes,
    ),
    Seam(
        "litellm._version.version",
        "private read",
        "litellm_seams.version",
        "the installed release, already computed by `import litellm`; asking importlib.metadata again "
        "cost 7-11 ms of `import litellm_gmi`",
        "nothing: the version is read from importlib.metadata instead",
        _has("litellm._version.version", optional_before="read from importlib.metadata instead"),
    ),
    Seam(
        "litellm/litellm_core_utils/tokenizers (package data folder)",
        "private file",
        "litellm_seams.tiktoken_cache",
        "LiteLLM 1.81.1's custom-provider path loads tiktoken's cl100k_base without pointing tiktoken "
        "at LiteLLM's bundled copy; TIKTOKEN_CACHE_DIR is set to it",
        "gmi/ calls on 1.81.1 download tiktoken's encoding, and fail without internet",
        _tokenizers,
    ),
    Seam(
        "ProviderConfigManager.get_custom_provider_video_config",
        "extension point (young)",
        "videos.transformation, videos.route",
        "litellm.video_generation and the proxy's /v1/videos reach a custom provider's BaseVideoConfig "
        "(present in 1.108.7 and 1.110.2, absent in 1.109.3)",
        "video goes through litellm_gmi.video_generation only; LiteLLM's video functions refuse gmi/",
        _has(
            "litellm.utils.ProviderConfigManager.get_custom_provider_video_config",
            optional_before="no custom video configs here: litellm_gmi.video_generation",
        ),
    ),
)


def check() -> list[tuple[Seam, Status]]:
    """Every seam with its status on the installed LiteLLM."""
    results = []
    for seam in SEAMS:
        try:
            status = seam.probe()
        except Exception as exc:  # a probe that cannot run says so rather than hiding the rest
            status = Status(MISSING, f"probe failed: {type(exc).__name__}: {exc}")
        results.append((seam, status))
    return results


def warn_missing() -> list[Seam]:
    """Warn once for each seam the installed LiteLLM no longer has; returns them."""
    from litellm_gmi.litellm_seams.version import LITELLM_VERSION

    missing = [seam for seam, status in check() if status.state == MISSING]
    for seam in missing:
        message = (
            f"litellm_gmi: LiteLLM {LITELLM_VERSION} no longer has {seam.name} ({seam.kind}, used by "
            f"litellm_gmi.{seam.used_by}): {seam.without}. Run `litellm-gmi doctor` for the full list."
        )
        logger.warning(message)
        warnings.warn(message, RuntimeWarning, stacklevel=3)
    return missing


_PAGE_HEAD = """# What this package touches inside LiteLLM

Generated by `litellm-gmi doctor --markdown > docs/litellm-seams.md` from
`litellm_gmi/litellm_seams/registry.py`; do
not edit. Each row is checked when the package registers (a `RuntimeWarning` names any that a LiteLLM
release removed), and `litellm-gmi doctor` prints their state on the installed LiteLLM (CI runs it on
every leg). Documented extension points (`custom_provider_map`, `register_model`, `litellm.callbacks`,
`OpenAIGPTConfig` subclasses) are not listed.

| what we touch | kind | used by | why | without it |
|---|---|---|---|---|
"""


def markdown() -> str:
    """The seams as docs/litellm-seams.md."""
    return _PAGE_HEAD + "".join(
        f"| `{s.name}` | {s.kind} | `litellm_gmi.{s.used_by.split(',')[0]}` | {s.why} | {s.without} |\n"
        for s in SEAMS
    )
