"""The request queue's models, written from GMI's quickstart pages and the public sources below, not a client.

Each row gives the model's output kind, the payload keys its docs mark required, the documented type of a
key where a wrong type is rejected, and the behaviour the sources observed live. Ids are case-sensitive
with per-family casing (genblaze-gmicloud's README, "Slug casing"): a wrong case is 404.

Sources, by the short names the rows use: DOCS-QS = GMI's quickstart page per model,
docs.gmicloud.ai/model-quickstarts/<video|image>/<page>; GMIDOC-VIDEO = GMI's 2025 video API reference and
GMIDOC-RATE = its rate-limit page (GMISWE/gmiswe.github.io ``docs/inference-engine/``); python-sdk =
GMISWE/python-sdk; picture_compose = GMISWE/picture_compose; THUT = nrynss/thutapi's live records;
genblaze = genblaze-gmicloud 0.3.5 on PyPI (backblaze-labs/genblaze); GBPIPE = the genblaze pipeline,
yemi-f/genblaze-gmicloud-pipeline; pi-gmicloud = pgciq/pi-gmicloud-ai. [V-live] marks what a source
observed against GMI, [C] where sources conflict, [I] an inference.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

Mode = Literal["image", "video", "audio"]
Behaviour = Literal["normal", "sync", "stuck", "legacy", "gated"]
"""* ``sync``: ``seedream-5.0-lite`` returned ``success`` with its ``outcome`` in the submit answer
  ([V-live] THUT);
* ``stuck``: ``Flux2-Klein`` and ``Z-Image`` are accepted, then stay ``queued`` forever with
  ``updated_at == created_at`` ([V-live] THUT);
* ``legacy``: the 2025 docs' flat ``outcome.video_url`` / ``thumbnail_image_url`` (GMIDOC-VIDEO);
  such jobs also report a failure in a top-level ``error`` (genblaze's reading), while
  every other job reports it in ``outcome.error`` (GMI's picture_compose reading): the sources disagree
  [C], so the emulator serves both;
* ``gated``: passes the empty-payload probe (400) but a real submit is 404 "you do not have access"
  (genblaze).
"""


@dataclass(frozen=True)
class MediaModel:
    """One request-queue model."""

    id: str
    mode: Mode
    required: tuple[str, ...] = ()
    """Keys the model's page marks required; empty when no page says (then any non-empty payload)."""
    types: Mapping[str, type] = field(default_factory=dict)
    """Keys whose documented type is enforced: a value of another type is a 400."""
    only: tuple[str, ...] | None = None
    """When set, any other payload key is a 400 (``gpt-image-2-edit``'s strict passthrough)."""
    behaviour: Behaviour = "normal"
    price: tuple[int, str] | None = None
    """``price_info`` as ``(price in 1e-6 USD, pricing_type)``, where a source gives a figure."""
    first_status: Literal["queued", "dispatched"] = "queued"
    """Status in the submit answer: ``queued`` on the kling-v2-6 and sora-2-pro pages, ``dispatched`` in
    the Veo3 example of the video API reference (both are served)."""


def _rows(*models: MediaModel) -> dict[str, MediaModel]:
    return {m.id: m for m in models}


_V: Final = "video"
_I: Final = "image"
_A: Final = "audio"

MEDIA_MODELS: Final[Mapping[str, MediaModel]] = _rows(
    # --- Video (DOCS-QS pages named per row).
    MediaModel("Veo3", _V, ("prompt",), {"durationSeconds": str}, first_status="dispatched"),  # veo3
    MediaModel(  # veo3-fast: durationSeconds required
        "Veo3-Fast", _V, ("prompt", "durationSeconds"), {"durationSeconds": str}, first_status="dispatched"
    ),
    MediaModel("kling-v2-6", _V, ("prompt",), {"duration": str}),  # kling-v2-6: duration "5"/"10"
    MediaModel("kling-v2-5-turbo", _V),
    MediaModel("kling-v3-text-to-video", _V),
    # ~$0.28/request per GMI's blog (gmicloud.ai); the 2025 outcome shape (GMIDOC-VIDEO).
    MediaModel("Kling-Text2Video-V2.1-Master", _V, behaviour="legacy", price=(280_000, "per_request")),
    MediaModel("Kling-Image2Video-V2.1-Master", _V, behaviour="legacy", price=(280_000, "per_request")),
    MediaModel("Kling-Image2Video-V1.6-Pro", _V),  # python-sdk example
    MediaModel("Kling-Text2Video-V1.6-Pro", _V),  # GMIDOC-RATE
    MediaModel("Luma-Ray2", _V),  # GMIDOC-VIDEO list
    MediaModel("sora-2-pro", _V, ("prompt",), {"seconds": str}),  # sora-2-pro: seconds "4"/"8"/"12"
    MediaModel("wan2.6-t2v", _V, ("prompt",), {"duration": int}),  # wan2-6-t2v: duration 5/10/15 (int)
    MediaModel("wan2.6-i2v", _V, ("img_url",)),  # wan2-6-i2v: img_url, not image/image_url
    MediaModel("wan2.6-r2v", _V, ("reference_video_urls",)),  # wan2-6-r2v
    MediaModel("wan2.7-i2v", _V, ("img_url",)),  # genblaze pipeline probe
    MediaModel("happyhorse1.0-t2v", _V, ("prompt",)),  # happyhorse-1-0-t2v
    # The SDK docs say ``Wan-AI_``, the quickstart page ``Wan-AL_``: one is a typo [C]; both are served.
    MediaModel("Wan-AI_Wan2.1-T2V-14B", _V),
    MediaModel("Wan-AL_Wan2.1-T2V-14B", _V),
    MediaModel("Minimax-Hailuo-2.3-Fast", _V, ("prompt",)),  # minimax-hailuo-2-3-fast
    # PixVerse: ``quality`` required, ``duration`` a string (an int is a 400), probe-verified (GBPIPE).
    MediaModel("pixverse-v5.6-t2v", _V, ("quality",), {"duration": str}),
    MediaModel("pixverse-v5.6-i2v", _V, ("quality",), {"duration": str}),
    MediaModel("pixverse-v5.6-transition", _V, ("quality",), {"duration": str}),
    MediaModel("seedance-1-0-pro-250528", _V),
    MediaModel("seedance-1-0-pro-fast-251015", _V),
    MediaModel("seedance-2-0-260128", _V, price=(52_000, "per_second")),  # ~$0.052/s (a user's note)
    MediaModel("seedance-2-0-fast-260128", _V),
    MediaModel("vidu-q3-pro-i2v", _V),
    MediaModel("heygen-avatar-v4", _V, ("video_inputs",)),  # heygen-avatar-v4
    # Named by a public third-party app, a claim not checked against GMI.
    MediaModel("gemini-omni-flash-preview", _V),
    MediaModel("kling-v3-omni", _V),
    MediaModel("ltx-fast-i2v", _V),
    MediaModel("seedance-2.0-i2v", _V),
    # --- Image (sources per row).
    MediaModel("seedream-5.0-lite", _I, behaviour="sync", price=(35_000, "per_image")),  # $0.035/image
    MediaModel("seedream-5.0-pro", _I),  # pi-gmicloud
    MediaModel("gemini-3.1-flash-image-preview", _I, ("prompt",)),  # GMI's picture_compose
    MediaModel("gemini-2.5-flash-image", _I),
    MediaModel("flux-kontext-pro", _I),
    MediaModel("gpt-image-2-generate", _I),
    # Strict passthrough: any key besides prompt and image is 400 "Generation rejected..." (genblaze).
    MediaModel("gpt-image-2-edit", _I, ("prompt", "image"), only=("prompt", "image")),
    MediaModel("reve-edit-20250915", _I),
    MediaModel("reve-edit-fast-20251030", _I),
    MediaModel("reve-remix-20250915", _I),
    MediaModel("reve-remix-fast-20251030", _I),
    MediaModel("seededit-3-0-i2i-250628", _I, behaviour="gated"),
    MediaModel("bria-genfill", _I),
    MediaModel("bria-eraser", _I),
    MediaModel("wan2.7-image", _I, ("text",)),  # image/wan2-7-image: the prompt key is ``text``
    MediaModel("Qwen-Image-2512", _I),  # ignores the reference image (THUT)
    MediaModel("Flux2-Klein", _I, behaviour="stuck"),
    MediaModel("Z-Image", _I, behaviour="stuck"),
    # --- Audio (genblaze's ``models/audio.py``; genblaze flagged the 2.6 family as suspected dead,
    # pi-gmicloud names the 2.8 family). Voice clone needs ``text`` and ``source_audio`` at minimum
    # ([V-live]).
    MediaModel("elevenlabs-tts-v3", _A),
    MediaModel("minimax-tts-speech-2.6-turbo", _A),
    MediaModel("minimax-audio-voice-clone-speech-2.6-hd", _A, ("text", "source_audio")),
    MediaModel("minimax-music-2.5", _A),
    MediaModel("inworld-tts-1.5-mini", _A),
    MediaModel("minimax-tts-speech-2.8-turbo", _A),
    MediaModel("minimax-tts-speech-2.8-hd", _A),
    MediaModel("minimax-audio-voice-clone-speech-2.8", _A, ("text", "source_audio")),
    MediaModel("minimax-music-3.0", _A),
)


def payload_problem(model: MediaModel, payload: Mapping[str, object]) -> str | None:
    """Why GMI would refuse this payload with a 400, or ``None``; an empty payload always names keys."""
    if not payload:
        keys = ", ".join(model.required or ("prompt",))
        return f"invalid payload for {model.id}: missing required field(s): {keys}"
    missing = [key for key in model.required if key not in payload]
    if missing:
        return f"invalid payload for {model.id}: missing required field(s): {', '.join(missing)}"
    for key, kind in model.types.items():
        if key in payload and not isinstance(payload[key], kind):
            return f"invalid payload for {model.id}: {key} must be a {kind.__name__}"
    if model.only is not None:
        extra = sorted(set(payload) - set(model.only))
        if extra:
            return f"Generation rejected: unsupported field(s) for {model.id}: {', '.join(extra)}"
    return None
