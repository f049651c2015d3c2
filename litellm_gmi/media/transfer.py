"""Moving files to and from storage: the upload PUT, artifact GETs, and which file types GMI takes.

Storage hosts get no GMI credential (a signed URL is its own credential) and no redirect-following
beyond :mod:`litellm_gmi.media.urls`; inputs are read no further than the input cap
(:mod:`litellm_gmi.media.limits`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from os import PathLike
from pathlib import PurePath, PurePosixPath

import httpx

from litellm_gmi.common_utils import user_agent
from litellm_gmi.errors import extract_message, to_litellm_exception
from litellm_gmi.media.limits import max_input_bytes, read_file, too_large
from litellm_gmi.media.protocol import HttpCall, transport_error
from litellm_gmi.media.records import QueueRequest, artifact_urls
from litellm_gmi.media.urls import short

UPLOAD_CATEGORIES = {
    "png": "image",
    "jpeg": "image",
    "jpg": "image",
    "mp4": "video",
    "mp3": "audio",
    "wav": "audio",
}
"""``file_type`` values ``POST /upload-url`` accepts, and the MIME category each is signed with."""


def upload_put(upload_url: str, data: bytes, file_type: str) -> HttpCall:
    """The signed PUT: no GMI credentials (the URL is the credential), the exact signed content type."""
    headers = {"Content-Type": content_type_for(file_type)}
    return HttpCall("PUT", upload_url, content=data, headers=headers, redirects="none")


def artifact_get(url: str) -> HttpCall:
    """Artifacts are public storage links: sending GMI's key to a storage host would leak it. Identity
    encoding is asked for, so a storage host has no reason to send a gzip that inflates past the cap."""
    headers = {"User-Agent": user_agent(), "Accept-Encoding": "identity"}
    return HttpCall("GET", url, headers=headers, redirects="public")


def raise_for_download(response: httpx.Response, url: str) -> None:
    """Artifact and upload hosts answer XML or text errors; say which URL failed (never a key)."""
    if response.status_code >= 400:
        raise to_litellm_exception(
            response.status_code,
            f"{response.request.method} {short(url)} failed: {extract_message(response.content)[:300]}",
            model="",
            headers=response.headers,
            request=response.request,
        )


@contextmanager
def body_errors() -> Iterator[None]:
    """Reading an artifact's body: a cut or stalled transfer raises LiteLLM's error."""
    try:
        yield
    except httpx.TransportError as exc:
        raise transport_error(exc) from exc


def content_type_for(file_type: str) -> str:
    """GMI signs the literal ``<category>/<ext>``: ``image/jpg`` and ``audio/mp3`` included (GMI's
    GMISWE/picture_compose ``app.py`` signs ``image/{file_type}``; the video API reference's "Upload API"
    lists ``audio/mpeg`` [C])."""
    return f"{UPLOAD_CATEGORIES[file_type]}/{file_type}"


def normalise_file_type(file_type: str | None, name: str | None = None) -> str:
    """The bare extension GMI wants, from ``file_type`` or the file name; ``ValueError`` if unsupported."""
    value = (file_type or (PurePosixPath(name).suffix if name else "")).lower().lstrip(".")
    if value not in UPLOAD_CATEGORIES:
        raise ValueError(
            f"cannot upload {name or 'data'} as {value or '(unknown type)'}: "
            f"GMI accepts file_type {', '.join(UPLOAD_CATEGORIES)}"
        )
    return value


def first_artifact(record: QueueRequest) -> str:
    """The URL to fetch for a finished record; images may only have a thumbnail (genblaze-gmicloud's
    ``extract_media_urls`` falls back the same way)."""
    urls = artifact_urls(record.outcome, thumbnail_fallback=True)
    if not record.succeeded:
        raise to_litellm_exception(
            400,
            f"GMI request {record.request_id} is {record.status} and has no artifact to download",
            model="",
        )
    if not urls:
        raise to_litellm_exception(
            502, f"GMI request {record.request_id} succeeded but its outcome names no artifact URL", model=""
        )
    return urls[0]


def upload_source(
    source: str | PathLike[str] | bytes, file_type: str | None, max_bytes: int | None = None
) -> tuple[bytes, str]:
    """The bytes and GMI ``file_type`` of something to upload: a path (a regular file, read no further
    than the input cap), or raw bytes with ``file_type``."""
    cap = max_input_bytes(max_bytes)
    if isinstance(source, bytes | bytearray):
        if not file_type:
            raise ValueError(
                "uploading raw bytes needs file_type= (one of " + ", ".join(UPLOAD_CATEGORIES) + ")"
            )
        if len(source) > cap:
            raise too_large("the upload", cap)
        return bytes(source), normalise_file_type(file_type)
    kind = normalise_file_type(file_type, PurePath(source).name)
    return read_file(source, cap), kind


def artifact_url(source: str | QueueRequest) -> str:
    """A URL as given, or the first artifact of a finished record."""
    return source if isinstance(source, str) else first_artifact(source)
