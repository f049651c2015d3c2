"""Point tiktoken at the encodings LiteLLM ships, so ``gmi/`` calls work on machines without internet.

LiteLLM passes ``litellm.main.encoding`` (tiktoken's ``cl100k_base``) to every custom provider. On 1.81.1
``litellm.main.__getattr__`` loads it with a bare ``tiktoken.get_encoding``; tiktoken then downloads the
file from openaipublic.blob.core.windows.net unless ``TIKTOKEN_CACHE_DIR`` names a folder holding it.
LiteLLM ships that folder (``litellm/litellm_core_utils/tokenizers``) and its own
``litellm.litellm_core_utils.default_encoding`` points tiktoken there, but 1.81.1's custom-provider path
never imports that module. Later releases load the encoding through it; setting the variable first is
harmless there. tiktoken reads the variable when it loads an encoding, not at import, so setting it when
``litellm_gmi`` is imported is early enough.

Checked at registration (:mod:`.registry`): LiteLLM's tokenizer folder must still exist.
"""

from __future__ import annotations

import os
from importlib.util import find_spec
from pathlib import Path

LITELLM_TOKENIZERS = ("litellm_core_utils", "tokenizers")
"""Where LiteLLM keeps tiktoken's cache files, relative to its package folder."""


def use_litellm_encodings() -> None:
    """Set ``TIKTOKEN_CACHE_DIR`` to LiteLLM's copy unless the user chose a cache.

    A user's ``TIKTOKEN_CACHE_DIR`` or ``DATA_GYM_CACHE_DIR`` (tiktoken's older name) is left alone.
    ``CUSTOM_TIKTOKEN_CACHE_DIR`` is honoured as LiteLLM's ``default_encoding`` module honours it.
    """
    if "TIKTOKEN_CACHE_DIR" in os.environ or "DATA_GYM_CACHE_DIR" in os.environ:
        return
    folder = os.environ.get("CUSTOM_TIKTOKEN_CACHE_DIR") or litellm_tokenizers()
    if folder:
        os.environ["TIKTOKEN_CACHE_DIR"] = folder


def litellm_tokenizers() -> str | None:
    """LiteLLM's bundled tokenizer folder, found without importing LiteLLM (``find_spec`` only)."""
    spec = find_spec("litellm")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))).joinpath(*LITELLM_TOKENIZERS)
    return str(folder) if folder.is_dir() else None
