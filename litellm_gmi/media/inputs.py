"""Turn the file inputs LiteLLM's image and video APIs accept into what GMI payloads want: URLs.

GMI's media models take hosted URLs (or sometimes data URIs) for reference images and videos (GMI's video API
reference, "File Handling"). An http(s) URL or a data URL passes through; bytes and open files are uploaded
through the queue's upload API first. Every input is checked before any of them touches the network.

The path rule. A ``str`` that is not a URL could name a file on the machine running this code. It is
read only for a caller in this process, never for a call that came through LiteLLM's proxy, where the
string is whatever a remote client put in its JSON (``"image": ["/etc/passwd"]``). A call counts as
proxied when LiteLLM's proxy marked it (``proxy_server_request`` in the call's keyword arguments, set by
``litellm/proxy/litellm_pre_call_utils.py`` on 1.81.1 through 1.110.2 and handed on to a custom provider
as ``optional_params``) or, in case a LiteLLM release stops passing that mark on, whenever LiteLLM's
proxy server module is loaded in this process. A refused path is never opened or even looked up, and
the refusal reads the same whether it exists or not. ``pathlib.Path`` objects, which JSON cannot
produce, are always read: in a process that runs the proxy, pass a ``Path`` for a file of your own.

Sizes: every input is capped (:mod:`litellm_gmi.media.limits`), and a file is read only if it is a
regular file, and never beyond the cap.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from os import PathLike
from pathlib import PurePath
from typing import Any

from litellm_gmi.media.errors import MediaInputError
from litellm_gmi.media.limits import max_input_bytes, read_file, read_stream, too_large
from litellm_gmi.media.transfer import normalise_file_type

_MAGIC = (
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"RIFF", "wav"),
    (b"ID3", "mp3"),
    (b"\xff\xfb", "mp3"),
)
PROXY_MARK = "proxy_server_request"
"""The keyword LiteLLM's proxy adds to every request it forwards (``add_litellm_data_to_request``)."""
PROXY_MODULE = "litellm.proxy.proxy_server"

Upload = tuple[bytes, str]
"""Bytes to upload and their GMI ``file_type``."""

PATH_REFUSED = (
    "GMI media inputs through LiteLLM's proxy must be uploaded files, http(s) URLs or data URLs; "
    "a string that is not a URL is never read as a path on the proxy's host"
)


def local_paths_allowed(call_kwargs: Mapping[str, Any] | None) -> bool:
    """Whether a non-URL string in this call may be read as a local path (see the module's rule)."""
    if call_kwargs is not None and call_kwargs.get(PROXY_MARK) is not None:
        return False
    return PROXY_MODULE not in sys.modules


def classify_all(items: list[Any], *, local_paths: bool, max_bytes: int | None = None) -> list[str | Upload]:
    """Every input as a URL or bytes to upload, all checked before the first upload."""
    cap = max_input_bytes(max_bytes)
    return [classify(item, local_paths=local_paths, max_bytes=cap) for item in items]


def classify(item: Any, *, local_paths: bool, max_bytes: int | None = None) -> str | Upload:
    """A URL to use as is, or the bytes and ``file_type`` to upload.

    Accepts what OpenAI's SDK calls ``FileTypes``: URL strings, ``PathLike``, bytes, open binary files
    and ``(filename, content[, content_type])`` tuples, and path strings when ``local_paths``.
    """
    cap = max_input_bytes(max_bytes)
    if isinstance(item, str):
        if item.startswith(("http://", "https://")):
            return item
        if item.startswith("data:"):
            if len(item) > cap * 4 // 3 + 256:  # base64 grows by 4/3; room for the media type
                raise too_large("a data URL media input", cap)
            return item
        if not local_paths:
            raise MediaInputError(PATH_REFUSED)
    if isinstance(item, str | PathLike):
        kind = _file_type(None, PurePath(item).name)
        return read_file(item, cap), kind
    name, content = None, item
    if isinstance(item, tuple) and len(item) >= 2:
        name, content = item[0], item[1]
    if hasattr(content, "read"):
        name = name or getattr(content, "name", None)
        content = read_stream(content, cap)
    if not isinstance(content, bytes | bytearray):
        raise MediaInputError(
            f"cannot send {type(item).__name__} to GMI as media: "
            "pass bytes, a file, or an http(s) or data URL"
        )
    if len(content) > cap:
        raise too_large("a media input", cap)
    data = bytes(content)
    return data, _file_type(_sniff(data), str(name) if name else None)


def _file_type(sniffed: str | None, name: str | None) -> str:
    try:
        return normalise_file_type(sniffed, name)
    except ValueError as exc:
        raise MediaInputError(str(exc)) from None


def _sniff(data: bytes) -> str | None:
    """The type from the first bytes; the name's extension is only the fallback (it may lie)."""
    if data[4:8] == b"ftyp":
        return "mp4"
    return next((kind for magic, kind in _MAGIC if data.startswith(magic)), None)
