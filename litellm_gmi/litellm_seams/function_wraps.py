"""The LiteLLM module attributes wrapped for ``gmi`` calls, installed and removed together.

Each is its own module, which says why no extension point reaches it: ``get_supported_openai_params``
(:mod:`.supported_params`), ``get_optional_params_embeddings`` (:mod:`.embedding_params`),
``completion_with_retries`` (:mod:`.retries_wrap`) and the operations GMI does not serve
(:mod:`.unsupported`). GMI's own answers are handed in, so nothing here imports the package above it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from litellm_gmi.litellm_seams import embedding_params as embeddings_wrap
from litellm_gmi.litellm_seams import retries_wrap, supported_params, unsupported


def install_wraps(*, chat_params: Callable[[str], list[str]], embedding_params: Collection[str]) -> None:
    """Wrap every attribute; ``chat_params(model)`` and ``embedding_params`` answer for ``gmi``."""
    supported_params.install(chat_params, embedding_params)
    embeddings_wrap.install(embedding_params)
    retries_wrap.install()
    unsupported.install()


def uninstall_wraps() -> None:
    """Put every wrapped attribute back as it was."""
    for seam in (supported_params, embeddings_wrap, retries_wrap, unsupported):
        seam.uninstall()
