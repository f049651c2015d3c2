"""Turn the file inputs LiteLLM's image and video APIs accept into what GMI payloads want: URLs.

GMI's media models take hosted URLs (or sometimes data URIs) for reference images and videos (facts
§3.6). A URL or data URI passes through; bytes, paths and open files are uploaded through the queue's
upload API first. Deciding which is which needs no I/O, so it lives here for both clients.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Any

from litellm_gmi.media.protocol import normalise_file_type

_MAGIC = (
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"RIFF", "wav"),
    (b"ID3", "mp3"),
    (b"\xff\xfb", "mp3"),
)

Upload = tuple[bytes, str]
"""Bytes to upload and their GMI ``file_type``."""


def classify(item: Any) -> str | Upload:
    """A URL to use as is, or the bytes and ``file_type`` to upload.

    Accepts what OpenAI's SDK calls ``FileTypes``: URL or path strings, ``PathLike``, bytes, open binary
    files and ``(filename, content[, content_type])`` tuples.
    """
    if isinstance(item, str) and item.startswith(("http://", "https://", "data:")):
        return item
    if isinstance(item, str | PathLike):
        path = Path(item)
        return path.read_bytes(), normalise_file_type(None, path.name)
    name: str | None = None
    content: Any = item
    if isinstance(item, tuple) and len(item) >= 2:
        name, content = item[0], item[1]
    if hasattr(content, "read"):
        name = name or getattr(content, "name", None)
        content = content.read()
    if not isinstance(content, bytes | bytearray):
        raise TypeError(f"cannot send {type(item).__name__} to GMI: pass a URL, a path, bytes or a file")
    data = bytes(content)
    return data, normalise_file_type(_sniff(data), str(name) if name else None)


def _sniff(data: bytes) -> str | None:
    """The type from the first bytes; the name's extension is only the fallback (it may lie)."""
    if data[4:8] == b"ftyp":
        return "mp4"
    return next((kind for magic, kind in _MAGIC if data.startswith(magic)), None)
