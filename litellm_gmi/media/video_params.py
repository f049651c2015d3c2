"""OpenAI's video arguments (``seconds``, ``size``, ``input_reference``) in each GMI model family's names.

GMI has no common video schema: Veo wants ``durationSeconds`` as a string, Kling ``duration`` as a string and
``image``, Wan an integer ``duration``, ``W*H`` sizes and ``img_url``, PixVerse ``image_url``, Seedance
``first_frame`` (GMI's quickstart pages, docs.gmicloud.ai/model-quickstarts/video/<model>;
yemi-f/genblaze-gmicloud-pipeline for PixVerse, genblaze-gmicloud's ``models/video.py`` for Seedance).
Anything not listed keeps OpenAI's meaning under the generic names; explicit payload fields from the caller
always win over this mapping.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Family:
    """Where one family puts duration, size and the reference image, and how it spells them."""

    duration: str = "duration"
    duration_as_int: bool = False
    size: str | None = "size"
    size_separator: str = "x"
    reference: str = "image"


_FAMILIES: tuple[tuple[str, Family], ...] = (
    ("veo", Family(duration="durationSeconds", size=None)),
    ("sora", Family(duration="seconds", reference="input_reference")),
    ("kling", Family(size=None)),
    ("pixverse", Family(size=None, reference="image_url")),
    ("wan", Family(duration_as_int=True, size_separator="*", reference="img_url")),
    ("happyhorse", Family(duration_as_int=True, size=None, reference="img_url")),
    ("seedance", Family(duration_as_int=True, size=None, reference="first_frame")),
    ("minimax", Family(duration_as_int=True, size=None)),
)
_DEFAULT = Family()


def family(model: str) -> Family:
    """The family rules for a GMI video model id (matched on its lower-cased prefix)."""
    lowered = model.lower()
    return next((rules for prefix, rules in _FAMILIES if lowered.startswith(prefix)), _DEFAULT)


def video_payload(
    model: str, *, seconds: Any = None, size: str | None = None, reference: str | None = None
) -> dict[str, Any]:
    """The payload fields for the OpenAI-style arguments that were given (others are left out)."""
    rules = family(model)
    payload: dict[str, Any] = {}
    if seconds is not None:
        value = float(seconds)
        payload[rules.duration] = int(value) if rules.duration_as_int else f"{value:g}"
    if size and rules.size:
        payload[rules.size] = size.replace("x", rules.size_separator)
    if reference:
        payload[rules.reference] = reference
    return payload
