"""Fixtures for the emulator's own tests: a server on 127.0.0.1 and an HTTP client for each API."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from gmi_emulator import GMIEmulator

from .helpers import AUTH


@pytest.fixture(scope="session")
def server() -> Iterator[GMIEmulator]:
    with GMIEmulator() as emulator:
        yield emulator


@pytest.fixture
def emu(server: GMIEmulator) -> Iterator[GMIEmulator]:
    """The session's emulator with faults and the request log cleared around each test."""
    server.reset()
    yield server
    server.reset()


@pytest.fixture
def api(emu: GMIEmulator) -> Iterator[httpx.Client]:
    """A client on the chat base (``/v1``) with a valid key."""
    with httpx.Client(base_url=emu.chat_base, headers=AUTH, timeout=10) as client:
        yield client
