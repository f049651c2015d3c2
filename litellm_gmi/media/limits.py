"""How many bytes a media input or an artifact may have, and reading no more than that.

Two caps, each an environment variable read at call time (so a proxy's environment sets them) and each
overridable per client:

* ``LITELLM_GMI_MEDIA_MAX_INPUT_BYTES`` (default 64 MiB): one image-edit or video reference input, a
  file given to ``upload()``, or a data URL's decoded size.
* ``LITELLM_GMI_MEDIA_MAX_DOWNLOAD_BYTES`` (default 256 MiB): one artifact from ``fetch()``,
  ``download()``, ``video_content`` or ``response_format="b64_json"``, counted after any decoding.

A local file is opened without blocking and read only if it is a regular file, and then only up to the
cap plus one byte: ``/dev/zero``, a FIFO or a device is refused before a byte is read.
"""

from __future__ import annotations

import os
import stat
from typing import Any, Final

from litellm_gmi.media.errors import MediaInputError

MAX_INPUT_BYTES_ENV: Final = "LITELLM_GMI_MEDIA_MAX_INPUT_BYTES"
MAX_DOWNLOAD_BYTES_ENV: Final = "LITELLM_GMI_MEDIA_MAX_DOWNLOAD_BYTES"
DEFAULT_MAX_INPUT_BYTES: Final = 64 * 1024 * 1024
DEFAULT_MAX_DOWNLOAD_BYTES: Final = 256 * 1024 * 1024


def max_input_bytes(value: int | None = None) -> int:
    """The input cap: ``value``, else the environment, else the default."""
    return _cap(value, MAX_INPUT_BYTES_ENV, DEFAULT_MAX_INPUT_BYTES)


def max_download_bytes(value: int | None = None) -> int:
    """The download cap: ``value``, else the environment, else the default."""
    return _cap(value, MAX_DOWNLOAD_BYTES_ENV, DEFAULT_MAX_DOWNLOAD_BYTES)


def _cap(value: int | None, env: str, default: int) -> int:
    raw: Any = value if value is not None else os.environ.get(env)
    if raw is None or raw == "":
        return default
    try:
        cap = int(raw)
    except (TypeError, ValueError):
        raise ValueError(f"{env} must be a whole number of bytes, not {raw!r}") from None
    if cap <= 0:
        raise ValueError(f"the media size cap must be positive, not {cap}")
    return cap


def too_large(what: str, cap: int) -> MediaInputError:
    return MediaInputError(f"{what} is larger than the {cap:,}-byte input cap ({MAX_INPUT_BYTES_ENV})")


def read_file(path: str | os.PathLike[str], cap: int) -> bytes:
    """A regular file's bytes, at most ``cap``; anything else (FIFO, device, directory) is refused.

    ``O_NONBLOCK`` keeps the open of a FIFO from waiting for a writer; the type is checked on the open
    descriptor, so a file swapped after a check cannot slip through.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise MediaInputError(f"cannot read media file {os.fspath(path)!r}: {exc.strerror}") from exc
    with os.fdopen(fd, "rb", buffering=0) as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise MediaInputError(f"media file {os.fspath(path)!r} is not a regular file")
        return read_stream(handle, cap, f"media file {os.fspath(path)!r}")


def read_stream(handle: Any, cap: int, what: str = "media input") -> bytes:
    """At most ``cap`` bytes from an open file; a longer one is refused after ``cap + 1`` bytes."""
    data = bytearray()
    while len(data) <= cap:
        chunk = handle.read(cap + 1 - len(data))
        if not chunk:
            break
        if not isinstance(chunk, bytes | bytearray):
            raise MediaInputError(f"{what} is a text file; open it in binary mode ('rb')")
        data += chunk
    if len(data) > cap:
        raise too_large(what, cap)
    return bytes(data)
