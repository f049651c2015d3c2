"""``python -m bench [--quick] [--server loopback|threaded|both] [--only ...]``: one markdown report.

Every workload runs against both of the bench's own servers (each in a child process) in one run; all
routes are timed in this process, paired round by round, and every ratio is against LiteLLM's built-in
``gmi`` route measured in the same round (on a LiteLLM without that row, against ``openai/`` with
``api_base``, and the targets are then n/a). See bench/README.md for the method.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # ``python bench/run.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Before LiteLLM is imported: no remote cost map. (tiktoken's files: `import litellm_gmi` points tiktoken
# at LiteLLM's copy, as it does for users.)
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

WORKLOADS = ("sync", "async", "stream", "memory", "attribution", "startup")
CONCURRENCIES = (50, 200, 500)
TARGET_RATIO = 0.7
TARGET_IMPORT_S = 0.030
TARGET_HELP_S = 0.3
TARGET_BLOCKS_PER_CALL = 0.1
"""Flat memory: fewer than one allocator block kept per ten calls once warm (a leak of even one small
object per call shows as >= 1)."""


@dataclass(frozen=True)
class Sizes:
    rounds: int
    sync_calls: int
    async_factor: int
    """Calls per async burst, as a multiple of the concurrency."""
    streams: int
    memory_calls: int
    warmup: int
    startup_runs: int
    profile_calls: int


FULL = Sizes(5, 100, 2, 5, 5000, 30, 7, 200)
QUICK = Sizes(2, 20, 1, 2, 1000, 10, 2, 50)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _header(quick: bool) -> list[str]:
    from importlib.metadata import version

    import litellm_gmi

    return [
        f"## litellm_gmi benchmark ({'quick' if quick else 'full'})\n",
        f"- CPU: {_cpu_model()}, {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at start",
        f"- Python {platform.python_version()}, {platform.system()} {platform.release()}",
        f"- LiteLLM {version('litellm')}, litellm_gmi {litellm_gmi.__version__}, openai {version('openai')}, "
        f"httpx {version('httpx')}",
        "",
    ]


class Bench:
    """One run: the routes against each server, then the start-up figures, then the targets."""

    def __init__(self, sizes: Sizes, only: set[str]) -> None:
        from bench.report import Report

        self.sizes, self.only = sizes, only
        self.report = Report()
        self.loop = asyncio.new_event_loop()
        self.verdicts: dict[str, dict[str, tuple[str, bool | None]]] = {}
        """Target → server → (measured text, passed)."""
        self.ref: str | None = None
        self.ratios: dict[tuple[str, str], float] = {}
        """(server, workload key) → median ratio of our route to the reference."""

    # ------------------------------------------------------------------------------------- per server ---
    def server(self, kind: str, description: str, base: str) -> None:
        from bench import routes as r
        from bench.control import freeze_heap
        from bench.workloads import warm

        routes = r.build(base)
        r.check(routes, self.loop)
        names = [route.name for route in routes]
        self.ref = r.BUILTIN if r.BUILTIN in names else None
        ref_name = self.ref or r.OPENAI_ROUTE
        warm(routes, self.loop, CONCURRENCIES, self.sizes.warmup)
        freeze_heap()
        self.report.emit(f"### Server: {description}\n")
        rows: list[list[str]] = []
        details: list[list[str]] = []
        for label, key, results in self._workloads(routes):
            rows.append(self._row(label, results, names, ref_name))
            if key:
                self._verdict(key, kind, results, ref_name)
            if "p99" in results[r.OURS][0].extra:
                details.append(self._latency(label, results, ref_name, "p50", "p99"))
            if "first" in results[r.OURS][0].extra:
                details.append(self._latency(label, results, ref_name, "first", None))
        if rows:
            ref_label = "built-in" if self.ref else "openai/ (no built-in row)"
            others = [n for n in names if n not in (r.OURS, ref_name)]
            self.report.table(
                [
                    "workload",
                    "litellm_gmi",
                    ref_label,
                    f"ratio, median (min-max) of {self.sizes.rounds} rounds",
                    "CPU litellm_gmi",
                    f"CPU {ref_label}",
                    "CPU ratio",
                    *others,
                ],
                rows,
            )
            if details:
                self.report.table(["workload", "litellm_gmi", ref_label], details)
        if "memory" in self.only and kind == "loopback":
            self._memory(routes, ref_name)
        if "attribution" in self.only and kind == "loopback":
            self._attribution(routes, ref_name)

    def _workloads(self, routes: list[Any]) -> list[tuple[str, str | None, Any]]:
        from bench import workloads as w

        s, out = self.sizes, []
        if "sync" in self.only:
            out.append(("sync call", "sync", w.paired(routes, s.rounds, w.sync_calls(s.sync_calls))))
        if "async" in self.only:
            for c in CONCURRENCIES:
                one = w.async_calls(self.loop, c * s.async_factor, c)
                out.append(
                    (f"async, {c} in flight (per call)", f"async c={c}", w.paired(routes, s.rounds, one))
                )
        if "stream" in self.only:
            out.append(
                (
                    "200-chunk stream, sync (to last chunk)",
                    "stream sync",
                    w.paired(routes, s.rounds, w.sync_streams(s.streams)),
                )
            )
            one = w.async_streams(self.loop, s.streams)
            out.append(
                ("200-chunk stream, async (to last chunk)", "stream async", w.paired(routes, s.rounds, one))
            )
        return out

    def _row(self, label: str, results: Any, names: list[str], ref_name: str) -> list[str]:
        from bench import routes as r
        from bench.report import median_of, ms, ratio

        others = [n for n in names if n not in (r.OURS, ref_name)]
        return [
            label,
            ms(median_of(results, r.OURS)),
            ms(median_of(results, ref_name)),
            ratio(results, r.OURS, ref_name).text(),
            ms(median_of(results, r.OURS, "cpu")),
            ms(median_of(results, ref_name, "cpu")),
            ratio(results, r.OURS, ref_name, "cpu").text(),
            *(ms(median_of(results, n)) for n in others),
        ]

    def _latency(self, label: str, results: Any, ref_name: str, first: str, second: str | None) -> list[str]:
        from bench import routes as r
        from bench.report import median_extra

        def cell(name: str) -> str:
            text = f"{first} {median_extra(results, name, first) * 1000:.1f} ms"
            if second:
                text += f", {second} {median_extra(results, name, second) * 1000:.1f} ms"
            return text

        return [label, cell(r.OURS), cell(ref_name)]

    def _verdict(self, key: str, kind: str, results: Any, ref_name: str) -> None:
        from bench import routes as r
        from bench.report import ratio

        measured = ratio(results, r.OURS, ref_name)
        self.ratios[(kind, key)] = measured.median
        passed = measured.median <= TARGET_RATIO if self.ref else None
        self.verdicts.setdefault(key, {})[kind] = (measured.text(), passed)

    def _memory(self, routes: list[Any], ref_name: str) -> None:
        from bench import routes as r
        from bench.memory import memory_growth

        s = self.sizes
        self.report.emit(
            f"#### Memory over {s.memory_calls} sync calls after {s.warmup * 10} warm-up calls "
            "(allocator blocks and RSS after `gc.collect()`)\n"
        )
        rows = []
        for route in routes:
            if route.name not in (r.OURS, ref_name):
                continue
            m = memory_growth(route, s.memory_calls, s.warmup * 10)
            rows.append(
                [
                    route.name,
                    " / ".join(f"{b:,}" for b in m.blocks),
                    f"{m.blocks_per_call:.3f}",
                    f"{m.rss_mb[-1] - m.rss_mb[0]:+.1f} MB",
                ]
            )
            if route.name == r.OURS:
                passed = m.blocks_per_call < TARGET_BLOCKS_PER_CALL
                text = f"{m.blocks_per_call:.3f} blocks/call, RSS {m.rss_mb[-1] - m.rss_mb[0]:+.1f} MB"
                self.verdicts[f"memory flat over {s.memory_calls} calls"] = {"loopback": (text, passed)}
        self.report.table(
            ["route", "blocks at each checkpoint", "blocks kept per call after the first checkpoint", "RSS"],
            rows,
        )

    def _attribution(self, routes: list[Any], ref_name: str) -> None:
        from bench import routes as r
        from bench.attribution import OURS, PROVIDER, SEND, async_profile, self_time, sync_profile

        n = self.sizes.profile_calls
        self.report.emit(
            f"#### Where a call's time goes: profiled self time per call by owning package ({n} calls; "
            "profiler overhead included, read the shares)\n"
        )
        chosen = [route for route in routes if route.name in (r.OURS, ref_name)]
        profiles: dict[str, dict[str, float]] = {}
        for route in chosen:
            profiles[f"{route.name}, sync"] = sync_profile(route, n)
            profiles[f"{route.name}, async c=50"] = async_profile(route, self.loop, n, 50)
            profiles[f"{route.name}, stream sync"] = sync_profile(route, max(2, n // 20), stream=True)
        groups = sorted(
            {g for p in profiles.values() for g in p} - {PROVIDER, SEND}, key=lambda g: (g != OURS, g)
        )
        rows = []
        for label, p in profiles.items():
            total = self_time(p)
            rows.append(
                [label, f"{total * 1e6:,.0f} us"]
                + [f"{p.get(g, 0.0) * 1e6:,.0f} us ({p.get(g, 0.0) / total:.1%})" for g in groups]
            )
        self.report.table(["call (per call or per stream)", "total", *groups], rows)
        self._layers(profiles, ref_name)

    def _layers(self, profiles: dict[str, dict[str, float]], ref_name: str) -> None:
        """Where a non-streamed call goes, by layer, and what is left once LiteLLM's share is paid."""
        from bench import routes as r
        from bench.attribution import OURS, PROVIDER, SEND, self_time

        def share(value: float, total: float) -> str:
            return f"{value * 1e6:,.0f} us ({value / total:.0%})"

        rows, floors = [], []
        for kind in ("sync", "async c=50"):
            ours, ref = profiles[f"{r.OURS}, {kind}"], profiles[f"{ref_name}, {kind}"]
            total, ref_total = self_time(ours), self_time(ref)
            wrapper, own, send = total - ours[PROVIDER], ours.get(OURS, 0.0), ours[SEND]
            inside = ours[PROVIDER] - own - send
            rows.append(
                [
                    f"{r.OURS}, {kind}",
                    f"{total * 1e6:,.0f} us",
                    share(wrapper, total),
                    share(inside, total),
                    share(own, total),
                    share(send, total),
                ]
            )
            rows.append(
                [
                    f"{ref_name}, {kind}",
                    f"{ref_total * 1e6:,.0f} us",
                    share(ref_total - ref[PROVIDER], ref_total),
                    share(ref[PROVIDER] - ref[SEND], ref_total),
                    "-",
                    share(ref[SEND], ref_total),
                ]
            )
            measured = self.ratios.get(("loopback", kind))
            floors.append(
                [
                    kind,
                    f"{measured:.2f}x" if measured is not None else "",
                    f"{total / ref_total:.2f}x",
                    f"{(total - own) / ref_total:.2f}x",
                    f"{(wrapper + send) / ref_total:.2f}x",
                ]
            )
        self.report.emit(
            "Layers of one call (profiled): LiteLLM's `completion()` wrapper outside the provider, LiteLLM "
            "code run inside it (for our route: `BaseLLMHTTPHandler`, the `OpenAIGPTConfig` parents, "
            "LiteLLM's HTTP handler; for the built-in row: LiteLLM's OpenAI handler and the openai SDK), "
            "litellm_gmi's own frames, and httpx's `send` (the request on the wire and the wait).\n"
        )
        self.report.table(
            ["call", "total", "LiteLLM wrapper", "LiteLLM inside the provider", "litellm_gmi", "HTTP send"],
            rows,
        )
        self.report.emit(
            "The floor: the profiled ratio, the same with litellm_gmi's frames at zero cost, and the least "
            "any provider inside LiteLLM can reach (the wrapper plus the HTTP send, nothing else).\n"
        )
        self.report.table(
            ["workload", "measured ratio", "profiled ratio", "our frames free", "wrapper + send only"], floors
        )

    # --------------------------------------------------------------------------------------- start-up ---
    def startup(self) -> None:
        from bench.startup import gc_pause, help_cost, import_cost

        runs = self.sizes.startup_runs
        cost = import_cost(runs)
        helped = help_cost(runs)
        pause_before, pause_after, frozen = gc_pause(runs)
        self.report.emit(f"### Start-up ({runs} fresh interpreters each; median (min-max))\n")
        self.report.table(
            ["what", "time"],
            [
                ["`import litellm`", cost["litellm"].text(1, "s", 2)],
                [
                    "`import litellm_gmi` after it (registers the route and the catalog)",
                    cost["ours"].text(1000, "ms"),
                ],
                ["the same with `LITELLM_GMI_AUTO_REGISTER=0`", cost["ours_noreg"].text(1000, "ms")],
                ["`import litellm_gmi` alone (LiteLLM not loaded)", cost["alone"].text(1000, "ms")],
                ["`litellm-gmi --help`", helped.text(1, "s", 2)],
                ["a full garbage collection once both are loaded", pause_before.text(1000, "ms")],
                [
                    f"the same after `litellm_gmi.freeze_heap()` (opt-in; {frozen:,} objects frozen)",
                    pause_after.text(1000, "ms"),
                ],
            ],
        )
        self.verdicts["`import litellm_gmi` <= 30 ms"] = {
            "process": (cost["ours"].text(1000, "ms"), cost["ours"].median <= TARGET_IMPORT_S)
        }
        self.verdicts["`litellm-gmi --help` <= 0.3 s"] = {
            "process": (helped.text(1, "s", 2), helped.median <= TARGET_HELP_S)
        }

    # ---------------------------------------------------------------------------------------- targets ---
    def targets(self, servers: list[str]) -> None:
        columns = [*servers, "process"]
        rows = []
        for target, by_server in self.verdicts.items():
            cells = [by_server[c][0] if c in by_server else "" for c in columns]
            passed = [p for _, p in by_server.values()]
            verdict = "n/a" if any(p is None for p in passed) else ("PASS" if all(passed) else "**FAIL**")
            label = (
                target if not target.startswith(("sync", "async", "stream")) else f"{target} <= 0.7x built-in"
            )
            rows.append([label, *cells, verdict])
        self.report.emit("### Targets\n")
        self.report.table(["target", *columns, "verdict"], rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small N: a smoke run of every workload")
    parser.add_argument("--server", choices=("loopback", "threaded", "both"), default="both")
    parser.add_argument("--only", default=",".join(WORKLOADS), help="comma-separated subset of workloads")
    args = parser.parse_args(argv)
    # A SIGTERM unwinds like Ctrl-C, so the server child process is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    only = set(args.only.split(","))
    if unknown := only - set(WORKLOADS):
        parser.error(f"unknown workloads: {', '.join(sorted(unknown))}")

    from bench.servers import SERVERS, serve

    began = time.perf_counter()
    bench = Bench(QUICK if args.quick else FULL, only)
    bench.report.emit(*_header(args.quick))
    servers = list(SERVERS) if args.server == "both" else [args.server]
    for kind in servers:
        with serve(kind) as base:
            bench.server(kind, SERVERS[kind], base)
    if bench.ref is None:
        bench.report.emit(
            "_This LiteLLM has no built-in gmi row: ratios are against `openai/`, targets n/a._\n"
        )
    if "startup" in only:
        bench.startup()
    bench.targets(servers)
    bench.report.emit(
        f"_{time.perf_counter() - began:.0f} s; load average {os.getloadavg()[0]:.2f} at the end. Heap "
        "frozen after the warm-up, collector off inside every timed burst, for every route alike._"
    )
    print(bench.report.text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
