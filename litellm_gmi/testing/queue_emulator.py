"""Request-queue routes (``/api/v1/ie/requestqueue/apikey/...``) of the emulator."""

from __future__ import annotations

from aiohttp import web

from litellm_gmi.testing.state import EmulatorState


def add_queue_routes(app: web.Application, state: EmulatorState) -> None:
    """Mount the media request-queue API on the same server; the media work adds these routes.

    Until then the emulator serves only the LLM API, and queue paths answer aiohttp's 404.
    """
