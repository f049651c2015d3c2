"""Fake artifact bytes the emulator serves for finished jobs: tiny but valid PNG, MP4 and WAV files."""

from __future__ import annotations

import io
import struct
import wave
import zlib
from collections.abc import Mapping


def _png() -> bytes:
    """A valid 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x10\x80\xf0")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _mp4() -> bytes:
    """An ``ftyp`` box and a small ``mdat``: enough for ``file`` to call it MP4."""
    ftyp = b"ftypisom" + struct.pack(">I", 512) + b"isomiso2avc1mp41"
    mdat = b"mdat" + bytes(range(64))
    return struct.pack(">I", len(ftyp) + 4) + ftyp + struct.pack(">I", len(mdat) + 4) + mdat


def _wav() -> bytes:
    """A tenth of a second of 8 kHz silence."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 800)
    return buffer.getvalue()


MEDIA: Mapping[str, tuple[str, bytes]] = {
    "png": ("image/png", _png()),
    "mp4": ("video/mp4", _mp4()),
    "wav": ("audio/wav", _wav()),
}
"""Fake artifact bytes by extension, fixed so downloads are deterministic."""
