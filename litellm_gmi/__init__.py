"""GMI Cloud as a first-class LiteLLM provider.

``import litellm_gmi`` is all it takes: ``litellm.completion("gmi/<org>/<model>", ...)`` then runs through
this package (parameter mapping, typed errors, reasoning, costs from the shipped catalog). Set
``LITELLM_GMI_AUTO_REGISTER=0`` to import without registering, and call :func:`register` yourself.
"""

from __future__ import annotations

import os

from litellm_gmi._version import __version__
from litellm_gmi.handler import GMIProvider, gmi_provider
from litellm_gmi.registration import builtin_row_active, register, unregister

__all__ = ["GMIProvider", "__version__", "builtin_row_active", "gmi_provider", "register", "unregister"]

if os.environ.get("LITELLM_GMI_AUTO_REGISTER", "1") != "0":
    register()
