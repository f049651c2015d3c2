"""Where the shipped model catalog lives, for :mod:`litellm_gmi.catalog` and its
:mod:`~litellm_gmi.catalog.overlay`.

Its own module so that the overlay (which must never be written over the shipped file) and the catalog
(which applies the overlay) both depend on it, not on each other.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

CATALOG_FILENAME = "model_catalog.json"


def catalog_path() -> Path:
    """The catalog file to read: the source tree's in a checkout, else the copy packaged in the wheel.

    A checkout comes first because an editable install also force-includes a copy into site-packages,
    and that copy is a snapshot from install time, not the file being edited.
    """
    checkout = Path(__file__).resolve().parents[2]  # litellm_gmi/catalog/path.py -> the checkout
    if (checkout / "pyproject.toml").is_file() and (checkout / CATALOG_FILENAME).is_file():
        return checkout / CATALOG_FILENAME
    return Path(str(resources.files("litellm_gmi").joinpath(CATALOG_FILENAME)))
