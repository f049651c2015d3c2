"""Server lifecycle: run the emulator app on 127.0.0.1 in a daemon thread with its own event loop.

A thread (not a subprocess) keeps the emulator's state in the test's own process, so tests can arm
faults and read the request log directly, and sync or async test code can call it alike.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping
from types import TracebackType

from aiohttp import web

from gmi_emulator.app import create_app
from gmi_emulator.faults import Fault
from gmi_emulator.limits import CHAT_PATH, QUEUE_PATH
from gmi_emulator.state import EmulatorState, RequestLog

_START_TIMEOUT = 10.0
_BACKLOG = 2048
"""The benchmarks open 500 connections at once; the default backlog (128) would stall some for a second."""


class GMIEmulator:
    """A local GMI Cloud: ``with GMIEmulator() as emu: ... emu.chat_base ...``."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        context_limits: Mapping[str, int] | None = None,
        latency: float = 0.0,
    ) -> None:
        self.host = host
        self.port = port
        self.state = EmulatorState(context_limits=dict(context_limits or {}), latency=latency)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------------------------ lifecycle ---
    def start(self) -> GMIEmulator:
        """Start serving; returns once the socket is listening. Starting twice is a no-op.

        The loop is set up inside the thread, so ``start()`` also works from async code.
        """
        with self._lock:
            if self._thread is not None:
                return self
            loop = asyncio.new_event_loop()
            runner = web.AppRunner(create_app(self.state), access_log=None, shutdown_timeout=1.0)
            ready = threading.Event()
            errors: list[BaseException] = []
            thread = threading.Thread(
                target=self._serve, args=(loop, runner, ready, errors), name="gmi-emulator", daemon=True
            )
            thread.start()
            if not ready.wait(_START_TIMEOUT):
                raise RuntimeError("the GMI emulator did not start listening in time")
            if errors:
                thread.join(_START_TIMEOUT)
                raise errors[0]
            self._loop, self._runner, self._thread = loop, runner, thread
        return self

    def _serve(
        self,
        loop: asyncio.AbstractEventLoop,
        runner: web.AppRunner,
        ready: threading.Event,
        errors: list[BaseException],
    ) -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._listen(runner))
        except BaseException as exc:  # handed to start(), which re-raises it in the caller's thread
            errors.append(exc)
            ready.set()
            loop.close()
            return
        ready.set()
        loop.run_forever()

    async def _listen(self, runner: web.AppRunner) -> None:
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port, backlog=_BACKLOG, reuse_address=True)
        await site.start()
        self.port = int(runner.addresses[0][1])

    def stop(self) -> None:
        """Stop serving and join the thread; safe to call more than once."""
        with self._lock:
            loop, runner, thread = self._loop, self._runner, self._thread
            self._loop = self._runner = self._thread = None
        if loop is None or runner is None or thread is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(_START_TIMEOUT)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(_START_TIMEOUT)
            if not thread.is_alive():
                loop.close()

    def __enter__(self) -> GMIEmulator:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------------------------------ urls ---
    @property
    def base_url(self) -> str:
        """``http://HOST:PORT``; the port is only known once started when it was 0."""
        if self.port == 0:
            raise RuntimeError("the emulator picks its port in start(); call start() first")
        return f"http://{self.host}:{self.port}"

    @property
    def chat_base(self) -> str:
        """What users set as ``GMI_API_BASE`` / ``api_base``."""
        return self.base_url + CHAT_PATH

    @property
    def queue_base(self) -> str:
        """What users set as ``GMI_QUEUE_API_BASE``."""
        return self.base_url + QUEUE_PATH

    # ---------------------------------------------------------------------------------------- faults ---
    def inject(self, fault: Fault) -> None:
        """Arm ``fault`` for the next ``fault.times`` matching requests (any API, matched on the model)."""
        self.state.faults.add(fault)

    def clear_faults(self) -> None:
        """Disarm every fault."""
        self.state.faults.clear()

    def reset(self) -> None:
        """Disarm every fault and empty the request log: a clean slate between tests sharing a server."""
        self.clear_faults()
        self.state.requests.clear()

    @property
    def requests(self) -> RequestLog:
        """Every request received, in order; ``.clear()`` empties it, ``.snapshot()`` copies it."""
        return self.state.requests
