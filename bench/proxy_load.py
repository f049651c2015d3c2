"""``python -m bench.proxy_load``: a bounded load run through the LiteLLM proxy, our route and the built-in.

Two single-worker proxies run side by side against one GMI emulator (``gmi_emulator``, its own process)
and one Redis, both from ``proxy_config.fleet.yaml``: one as written (``gmi/`` through litellm_gmi),
one without ``custom_provider_map``, so that ``gmi/`` takes LiteLLM's built-in JSON row (LiteLLM >=
1.81.3; older releases run ours alone). Both entries get ``api_base: os.environ/GMI_API_BASE``, which the
built-in row needs. ``--clients`` concurrent clients send ``deepseek-v3`` chat requests, to one proxy at a
time, in alternating segments, for ``--seconds`` per route. Every response must be a 200 with content;
anything else counts as an unexpected error and makes the command exit 1. The report gives throughput,
latency and LiteLLM's own ``x-litellm-overhead-duration-ms`` header (its time outside the call to GMI).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
FLEET = ROOT / "proxy_config.fleet.yaml"
MASTER_KEY = "sk-load-master"
GMI_KEY = "sk-load-gmi-0000000000000000"
MODEL = "deepseek-v3"
MESSAGES = [{"role": "user", "content": "What is the capital of France?"}]
OURS = "gmi/ through litellm_gmi"
BUILTIN = "gmi/ through LiteLLM's built-in row"
_URL = re.compile(r"(http://127\.0\.0\.1:\d+)")


# ------------------------------------------------------------------------------------------ processes ---
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _process(
    command: list[str], log: Path, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - fixed commands of our own
            command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True, cwd=log.parent
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def _wait_for(check: object, what: str, log: Path, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.5)
    raise RuntimeError(f"{what} not ready after {timeout:.0f}s; see {log}")


def _listening(log: Path) -> str | None:
    match = _URL.search(log.read_text(errors="replace")) if log.exists() else None
    return match.group(1) if match else None


def _alive(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health/liveliness", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _litellm_file(*parts: str) -> Path:
    """A file of the installed LiteLLM, found without importing it (that takes seconds)."""
    spec = find_spec("litellm")
    if spec is None or spec.origin is None:
        raise RuntimeError("LiteLLM is not installed")
    return Path(spec.origin).parent.joinpath(*parts)


def _has_builtin_row() -> bool:
    """Whether this LiteLLM ships the JSON ``gmi`` row."""
    providers = _litellm_file("llms", "openai_like", "providers.json")
    return providers.exists() and "gmi" in json.loads(providers.read_text())


def _configs(workdir: Path) -> dict[str, Path]:
    """The fleet file for our route and, when LiteLLM has one, for its built-in row; each entry aimed at
    ``GMI_API_BASE``. On LiteLLM without ``enforce_model_rate_limits`` (1.81.1) the variants the file's
    comments document: the ``gmi_handler.py`` shim and usage-based routing."""
    text = FLEET.read_text()
    if not _litellm_file("router_utils", "pre_call_checks", "model_rate_limit_check.py").exists():
        text = text.replace(
            'optional_pre_call_checks: ["enforce_model_rate_limits"]',
            "routing_strategy: usage-based-routing-v2",
        )
        text = text.replace(
            "custom_handler: litellm_gmi.gmi_provider", "custom_handler: gmi_handler.gmi_provider"
        )
        (workdir / "gmi_handler.py").write_text("from litellm_gmi import gmi_provider\n")
    settings = yaml.safe_load(text)
    for entry in settings["model_list"]:
        entry["litellm_params"]["api_base"] = "os.environ/GMI_API_BASE"
    configs = {OURS: workdir / "ours.yaml"}
    configs[OURS].write_text(yaml.safe_dump(settings, sort_keys=False))
    if _has_builtin_row():
        del settings["litellm_settings"]["custom_provider_map"]
        configs[BUILTIN] = workdir / "builtin.yaml"
        configs[BUILTIN].write_text(yaml.safe_dump(settings, sort_keys=False))
    return configs


# ----------------------------------------------------------------------------------------------- load ---
@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    overheads: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def _segment(url: str, clients: int, seconds: float, tally: Tally) -> None:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"Authorization": f"Bearer {MASTER_KEY}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=60) as client:
        stop = time.monotonic() + seconds

        async def one_client() -> None:
            while time.monotonic() < stop:
                start = time.perf_counter()
                try:
                    response = await client.post(
                        "/v1/chat/completions", json={"model": MODEL, "messages": MESSAGES}
                    )
                except httpx.HTTPError as exc:
                    tally.error(type(exc).__name__)
                    continue
                elapsed = time.perf_counter() - start
                if response.status_code != 200:
                    tally.error(f"HTTP {response.status_code}")
                    continue
                if not response.json()["choices"][0]["message"]["content"]:
                    tally.error("empty answer")
                    continue
                tally.latencies.append(elapsed)
                overhead = response.headers.get("x-litellm-overhead-duration-ms")
                if overhead is not None:
                    tally.overheads.append(float(overhead))

        began = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        tally.seconds += time.perf_counter() - began


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def _report(tallies: dict[str, Tally], args: argparse.Namespace) -> str:
    lines = [
        f"## Proxy load run: {args.clients} concurrent clients, {args.seconds:.0f} s per route, "
        f"emulator latency {args.latency * 1000:.0f} ms\n",
        f"- CPU: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; load average "
        f"{os.getloadavg()[0]:.2f} at the end",
        f"- Python {platform.python_version()}, LiteLLM {version('litellm')}; one proxy worker per route, "
        "Redis, proxy_config.fleet.yaml\n",
        "| route | requests | req/s | unexpected errors | latency p50 / p99 ms "
        "| LiteLLM overhead median / p95 / p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, tally in tallies.items():
        n = len(tally.latencies)
        errors = sum(tally.errors.values())
        kinds = f" ({', '.join(f'{k}: {v}' for k, v in tally.errors.items())})" if errors else ""
        latency = (
            f"{_quantile(tally.latencies, 0.5) * 1000:.0f} / {_quantile(tally.latencies, 0.99) * 1000:.0f}"
        )
        overhead = " / ".join(
            f"{value:.1f}"
            for value in (
                _quantile(tally.overheads, 0.5),
                _quantile(tally.overheads, 0.95),
                _quantile(tally.overheads, 0.99),
            )
        )
        lines.append(
            f"| {name} | {n:,} | {n / tally.seconds:.0f} | {errors}{kinds} | {latency} | {overhead} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.proxy_load", description=__doc__)
    parser.add_argument("--seconds", type=float, default=120.0, help="load per route (default 120)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--segments", type=int, default=4, help="alternating segments per route (default 4)")
    parser.add_argument(
        "--latency", type=float, default=0.5, help="emulator seconds per answer (default 0.5)"
    )
    args = parser.parse_args(argv)
    redis_server = shutil.which("redis-server")
    litellm_cli = Path(sys.executable).with_name("litellm")
    if redis_server is None or not litellm_cli.exists():
        parser.error("needs redis-server on PATH and the LiteLLM proxy (pip install 'litellm[proxy]')")

    with tempfile.TemporaryDirectory(prefix="proxy_load_") as tmp, ExitStack() as stack:
        workdir = Path(tmp)
        redis_port = _free_port()
        stack.enter_context(
            _process(
                [
                    redis_server,
                    "--port",
                    str(redis_port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                workdir / "redis.log",
            )
        )
        emulator_log = workdir / "emulator.log"
        stack.enter_context(
            _process(
                [sys.executable, "-m", "gmi_emulator", "--port", "0", "--latency", str(args.latency)],
                emulator_log,
            )
        )
        _wait_for(lambda: _listening(emulator_log), "the emulator", emulator_log)
        emulator = _listening(emulator_log)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GMI_")},
            "GMI_API_KEY": GMI_KEY,
            "GMI_API_BASE": f"{emulator}/v1",
            "LITELLM_MASTER_KEY": MASTER_KEY,
            "LITELLM_LOCAL_MODEL_COST_MAP": "True",
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(redis_port),
        }
        urls: dict[str, str] = {}
        for name, config in _configs(workdir).items():
            port = _free_port()
            log = workdir / f"{config.stem}.log"
            command = [str(litellm_cli), "--config", str(config), "--host", "127.0.0.1", "--port", str(port)]
            stack.enter_context(_process(command, log, env))
            urls[name] = f"http://127.0.0.1:{port}"
        for name, url in urls.items():
            _wait_for(lambda url=url: _alive(url), name, workdir)  # type: ignore[misc]
        loop = asyncio.new_event_loop()
        tallies = {name: Tally() for name in urls}
        for url in urls.values():  # warm: first requests load clients and caches
            loop.run_until_complete(_segment(url, args.clients, 3.0, Tally()))
        for index in range(args.segments):
            for name in urls if index % 2 == 0 else list(reversed(urls)):
                loop.run_until_complete(
                    _segment(urls[name], args.clients, args.seconds / args.segments, tallies[name])
                )
        print(_report(tallies, args))
    return 1 if any(tally.errors for tally in tallies.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
