"""API-key checks shared by every route: ``Authorization: Bearer <key>`` (GMI's LLM API reference,
"Authentication"), and on ``/v1/messages`` also Anthropic's ``x-api-key`` (GMI's MiniMax-M2.7 page on
docs.gmicloud.ai).

The emulator accepts any non-empty key except ones that ask to fail: a key containing ``invalid`` gets
401, one containing ``forbidden`` gets 403, and one containing ``nobalance`` gets GMI's
``402 Insufficient balance`` for a zero-balance account (pgciq/pi-gmicloud-ai's README).
The key itself is never echoed or logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class AuthFailure:
    """Why a request was refused; each API wraps it in its own error shape."""

    status: int
    message: str


def check_auth(headers: Mapping[str, str], *, x_api_key: bool = False) -> AuthFailure | None:
    """``None`` when the request may proceed; ``x_api_key`` also accepts that header."""
    scheme, _, key = headers.get("Authorization", "").strip().partition(" ")
    key = key.strip() if scheme.lower() == "bearer" else ""
    if not key and x_api_key:
        key = headers.get("x-api-key", "").strip()
    if not key:
        return AuthFailure(401, "Missing API key: send 'Authorization: Bearer <GMI API key>'")
    if "invalid" in key:
        return AuthFailure(401, "Invalid API key")
    if "forbidden" in key:
        return AuthFailure(403, "This API key is not allowed to use this resource")
    if "nobalance" in key:
        return AuthFailure(402, "Insufficient balance")
    return None
