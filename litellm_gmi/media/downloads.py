"""Where a download lands and how it gets there: never over an existing file, never half a file.

* Into a directory, the file is named from the URL's last path segment, sanitised: only letters,
  digits, ``.``, ``_`` and ``-``, no leading dot (``/.bashrc`` becomes ``bashrc``), at most 128
  characters; a segment with nothing left (``/..``) gives the request id, else ``artifact``.
* An existing file is replaced only with ``overwrite=True``; otherwise :class:`DownloadTargetError`,
  raised before the download starts and again, atomically, when it would land.
* Bytes go to a uniquely named ``.part`` file beside the target, removed on any failure, and are
  counted against the download cap (:mod:`litellm_gmi.media.limits`) as they arrive, after decoding.
"""

from __future__ import annotations

import os
import re
import tempfile
from os import PathLike
from pathlib import Path, PurePosixPath
from types import TracebackType
from urllib.parse import unquote, urlsplit

import httpx

from litellm_gmi.media.errors import DownloadTargetError, MediaTooLargeError
from litellm_gmi.media.limits import MAX_DOWNLOAD_BYTES_ENV
from litellm_gmi.media.urls import short

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
MAX_NAME = 128


def safe_name(url: str, request_id: str | None = None) -> str:
    """The file name for ``url`` inside a directory (see the module docstring)."""
    for raw in (PurePosixPath(unquote(urlsplit(url).path)).name, request_id or ""):
        name = _UNSAFE.sub("_", raw).lstrip(".")[:MAX_NAME]
        if name.strip("._-"):
            return name
    return "artifact"


def download_target(
    dest: str | PathLike[str], url: str, request_id: str | None = None, *, overwrite: bool = False
) -> Path:
    """``dest``, or the sanitised name inside ``dest`` if it is a directory; refused if it exists."""
    path = Path(dest)
    if path.is_dir():
        path = path / safe_name(url, request_id)
    if not path.parent.is_dir():
        raise DownloadTargetError(f"cannot download to {path}: {path.parent} is not a directory")
    if not overwrite and (path.exists() or path.is_symlink()):
        raise exists(path)
    return path


def exists(path: Path) -> DownloadTargetError:
    return DownloadTargetError(f"{path} exists; pass overwrite=True (CLI: --overwrite) to replace it")


class Budget:
    """Counts an artifact's bytes against the download cap; a declared or actual excess raises."""

    def __init__(self, response: httpx.Response, cap: int) -> None:
        self.cap = cap
        self.url = str(response.request.url)
        self.seen = 0
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise self.error()

    def take(self, chunk: bytes) -> bytes:
        self.seen += len(chunk)
        if self.seen > self.cap:
            raise self.error()
        return chunk

    def error(self) -> MediaTooLargeError:
        return MediaTooLargeError(
            f"artifact {short(self.url)} is larger than the {self.cap:,}-byte download cap "
            f"(max_download_bytes= or {MAX_DOWNLOAD_BYTES_ENV})"
        )


class PartFile:
    """``with PartFile(target, overwrite) as part: part.write(...)``: the target appears only whole."""

    def __init__(self, target: Path, overwrite: bool) -> None:
        self.target = target
        self.overwrite = overwrite
        try:
            fd, name = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".part", dir=target.parent)
        except OSError as exc:
            raise DownloadTargetError(f"cannot write in {target.parent}: {exc.strerror}") from exc
        self.path = Path(name)
        self._file = os.fdopen(fd, "wb")

    def write(self, chunk: bytes) -> None:
        try:
            self._file.write(chunk)
        except OSError as exc:
            raise DownloadTargetError(f"cannot write {self.target}: {exc.strerror}") from exc

    def __enter__(self) -> PartFile:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            self._file.close()
            if exc is None:
                self._land()
        finally:
            self.path.unlink(missing_ok=True)

    def _land(self) -> None:
        if self.overwrite:
            os.replace(self.path, self.target)
            return
        try:
            os.link(self.path, self.target)  # atomic, and fails if the target appeared meanwhile
        except FileExistsError:
            raise exists(self.target) from None
        except OSError:  # a filesystem without hard links: check, then move
            if self.target.exists():
                raise exists(self.target) from None
            os.replace(self.path, self.target)
