"""Which way ``gmi/`` video goes on the installed LiteLLM: its own video API, or this package's functions.

Feature detection, not version numbers. LiteLLM lets a custom provider serve ``litellm.video_generation``,
``video_status``, ``video_content`` (and the proxy's ``/v1/videos``) where
:data:`VIDEO_SEAM` exists: it returns the ``BaseVideoConfig`` registered for the provider in
``litellm.custom_provider_map``. LiteLLM 1.108.7 and 1.110.2 have it, 1.109.3 does not, which is
why a version number would not do. :class:`~litellm_gmi.provider.GMIProvider` is that
config. Without the seam LiteLLM's video functions cannot reach ``gmi``: there
:mod:`litellm_gmi.litellm_seams.unsupported` makes them refuse ``gmi`` with a pointer to
:func:`litellm_gmi.video_generation`, which works on every supported release.
"""

from __future__ import annotations

import logging
from typing import Final

logger = logging.getLogger("litellm_gmi")

VIDEO_SEAM: Final = "litellm.utils.ProviderConfigManager.get_custom_provider_video_config"
"""The LiteLLM function that finds a custom provider's video config (public, but young)."""

_logged = False


def litellm_routes_video() -> bool:
    """True when ``litellm.video_generation(model="gmi/...")`` reaches this package's video config."""
    from litellm.utils import ProviderConfigManager

    return callable(getattr(ProviderConfigManager, "get_custom_provider_video_config", None))


def describe() -> str:
    """One line saying which video path this LiteLLM gets, naming the seam it was decided on."""
    if litellm_routes_video():
        return f"gmi/ video: LiteLLM's video API ({VIDEO_SEAM} present) and litellm_gmi.video_generation"
    return (
        f"gmi/ video: litellm_gmi.video_generation only ({VIDEO_SEAM} absent; "
        "litellm.video_generation refuses gmi/)"
    )


def log_route() -> None:
    """Log :func:`describe` once per process, at registration."""
    global _logged  # noqa: PLW0603 - once per process
    if not _logged:
        _logged = True
        logger.info(describe())
