"""``python -m bench [--quick] [--server emulator|loopback]``: one process, every route, one markdown report.

The server runs in a child process (so it never takes the client's GIL); everything measured runs in
this process, with the routes interleaved round by round, and every figure is a median. Ratios are
against LiteLLM's built-in ``gmi`` route measured in the same run (on a LiteLLM without that row, against
the ``openai/`` route, and the targets are then marked n/a).
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # ``python bench/run.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Before LiteLLM is imported: no remote cost map. (tiktoken's files: `import litellm_gmi` points tiktoken
# at LiteLLM's copy, as it does for users.)
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

WORKLOADS = ("sync", "async", "stream", "memory", "breakdown", "import")


@dataclass(frozen=True)
class Sizes:
    sync_calls: int
    async_calls: int
    concurrency: int
    streams: int
    rounds: int
    import_runs: int
    memory_calls: int
    warmup: int


FULL = Sizes(100, 500, 50, 20, 5, 7, 5000, 50)
QUICK = Sizes(10, 100, 50, 3, 1, 1, 200, 5)

TARGET_RATIO_CALL = 0.9
TARGET_RATIO_STREAM = 1.0
TARGET_IMPORT_MS = 50.0
TARGET_CLI_HELP_MS = 500.0
TARGET_MEMORY_MB = 5.0


@dataclass
class Report:
    ref: str | None
    ref_label: str
    names: list[str]
    lines: list[str] = field(default_factory=list)
    verdicts: list[tuple[str, str, str]] = field(default_factory=list)

    def emit(self, *lines: str) -> None:
        self.lines.extend(lines)

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        self.emit("| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|")
        self.emit(*("| " + " | ".join(row) + " |" for row in rows), "")

    def verdict(self, target: str, ratio: float | None, limit: float, unit: str = "x") -> None:
        if ratio is None:
            self.verdicts.append((target, "n/a", "n/a"))
            return
        measured = f"{ratio:.2f}{unit}" if unit == "x" else f"{ratio:.2f} {unit}"
        ok = ratio < limit if unit == "MB" else ratio <= limit
        self.verdicts.append((target, measured, "PASS" if ok else "**FAIL**"))


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _x(value: float, base: float | None) -> str:
    return "" if not base else f"{value / base:.2f}x"


def _sync(report: Report, routes: list[Any], sizes: Sizes) -> None:
    from bench import routes as r
    from bench import workloads as w

    ms = w.sync_latency(routes, sizes.sync_calls, sizes.rounds, sizes.warmup)
    report.emit(f"### Sequential sync calls ({sizes.rounds} rounds x {sizes.sync_calls} per route)\n")
    report.table(
        ["route", "ms / call (median)", f"vs {report.ref_label}", "vs raw httpx"],
        [[n, f"{ms[n]:.2f}", _x(ms[n], ms[report.ref_label]), _x(ms[n], ms[r.HTTPX])] for n in report.names],
    )
    ratio = ms[r.OURS] / ms[report.ref] if report.ref else None
    report.verdict("sync: time per call <= 0.9x built-in", ratio, TARGET_RATIO_CALL)


def _async(report: Report, routes: list[Any], sizes: Sizes) -> None:
    import asyncio

    from bench import routes as r
    from bench import workloads as w

    loop = asyncio.new_event_loop()
    result = w.async_throughput(routes, sizes.async_calls, sizes.concurrency, sizes.rounds, loop)
    report.emit(
        f"### Async, {sizes.concurrency} in flight ({sizes.rounds} rounds x {sizes.async_calls} calls)\n",
        "Ratio = reference calls/s / route calls/s, i.e. time per call relative to the reference.\n",
    )
    ref = result[report.ref_label]["rps"]
    report.table(
        ["route", "calls/s", f"vs {report.ref_label}", "p50 ms", "p99 ms"],
        [
            [n, f"{v['rps']:.0f}", _x(ref, v["rps"]), f"{v['p50']:.1f}", f"{v['p99']:.1f}"]
            for n, v in ((n, result[n]) for n in report.names)
        ],
    )
    ratio = result[report.ref]["rps"] / result[r.OURS]["rps"] if report.ref else None
    report.verdict("async throughput: time per call <= 0.9x built-in", ratio, TARGET_RATIO_CALL)


def _stream(report: Report, routes: list[Any], sizes: Sizes) -> None:
    from bench import routes as r
    from bench import workloads as w

    s = w.streaming(routes, sizes.streams, sizes.rounds)
    report.emit(f"### Streaming 200 chunks, sync ({sizes.rounds} rounds x {sizes.streams} streams)\n")
    report.table(
        ["route", "first chunk ms", "last chunk ms", f"last vs {report.ref_label}"],
        [
            [n, f"{s[n]['first']:.2f}", f"{s[n]['last']:.2f}", _x(s[n]["last"], s[report.ref_label]["last"])]
            for n in report.names
        ],
    )
    ratio = s[r.OURS]["last"] / s[report.ref]["last"] if report.ref else None
    report.verdict("stream: time to last chunk <= 1.0x built-in", ratio, TARGET_RATIO_STREAM)


def _memory(report: Report, routes: list[Any], sizes: Sizes) -> None:
    from bench import routes as r
    from bench import workloads as w

    warmup = sizes.warmup * 4
    report.emit(f"### Memory over {sizes.memory_calls} sync calls, after {warmup} warm-up calls\n")
    rows = []
    for route in routes:
        if route.name in (r.OURS, r.BUILTIN):
            m = w.memory_growth(route, sizes.memory_calls, warmup)
            rows.append([route.name, f"{m.traced_mb:.2f}", f"{m.rss_mb:.1f}", "<br>".join(m.top)])
            if route.name == r.OURS:
                report.verdict(
                    f"memory growth over {sizes.memory_calls} calls < 5 MB", m.traced_mb, 5.0, "MB"
                )
    report.table(["route", "tracemalloc growth MB", "RSS growth MB", "largest growth sites"], rows)


def _import(report: Report, sizes: Sizes) -> None:
    from bench import workloads as w

    cost = w.import_cost(sizes.import_runs)
    cli = w.cli_cost(sizes.import_runs)
    report.emit(f"### Import ({sizes.import_runs} fresh interpreters, median)\n")
    report.table(
        ["import", "time"],
        [
            ["`import litellm`", f"{cost['litellm_s'] * 1000:.0f} ms"],
            ["`import litellm_gmi` after it (registers route + catalog)", f"{cost['ours_ms']:.1f} ms"],
            ["same with `LITELLM_GMI_AUTO_REGISTER=0`", f"{cost['ours_noreg_ms']:.1f} ms"],
            ["`import litellm_gmi` alone (registers once LiteLLM loads)", f"{cli['alone_ms']:.1f} ms"],
            ["`litellm-gmi --help`, whole process", f"{cli['cli_help_ms']:.0f} ms"],
        ],
    )
    report.verdict("`import litellm_gmi` on top of litellm <= 50 ms", cost["ours_ms"], TARGET_IMPORT_MS, "ms")
    report.verdict("`litellm-gmi --help` <= 500 ms", cli["cli_help_ms"], TARGET_CLI_HELP_MS, "ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small N: a smoke run of every workload")
    parser.add_argument("--server", choices=("emulator", "loopback"), default="emulator")
    parser.add_argument("--only", default=",".join(WORKLOADS), help="comma-separated subset of workloads")
    args = parser.parse_args(argv)
    # A SIGTERM unwinds like Ctrl-C, so the server child process is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sizes, only = (QUICK if args.quick else FULL), set(args.only.split(","))

    from importlib.metadata import version

    import litellm_gmi
    from bench import routes as r
    from bench.breakdown import breakdown
    from bench.servers import serve

    began = time.perf_counter()
    header = [
        f"## litellm_gmi benchmark ({'quick' if args.quick else 'full'}, server: {args.server})\n",
        f"- CPU: {_cpu_model()}, {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at start",
        f"- Python {platform.python_version()}, {platform.system()} {platform.release()}",
        f"- LiteLLM {version('litellm')}, litellm_gmi {litellm_gmi.__version__}, openai {version('openai')}, "
        f"httpx {version('httpx')}",
    ]
    with serve(args.server) as base:
        routes = r.build(base)
        r.check(routes)
        names = [route.name for route in routes]
        ref = r.BUILTIN if r.BUILTIN in names else None
        report = Report(ref, ref or r.OPENAI_ROUTE, names, header)
        report.emit(
            f"- Ratios are against **{report.ref_label}**, measured in this run"
            + ("" if ref else " (this LiteLLM has no built-in gmi row: targets n/a)")
            + "\n"
        )
        for name, section in (("sync", _sync), ("async", _async), ("stream", _stream), ("memory", _memory)):
            if name in only:
                section(report, routes, sizes)
        if "breakdown" in only:
            report.emit(breakdown(routes, sizes.sync_calls * 2))
    if "import" in only:
        _import(report, sizes)
    report.emit("### Targets\n")
    report.table(["target", "measured", "verdict"], [list(v) for v in report.verdicts])
    report.emit(f"_{time.perf_counter() - began:.0f} s; load average {os.getloadavg()[0]:.2f} at the end._")
    print("\n".join(report.lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
