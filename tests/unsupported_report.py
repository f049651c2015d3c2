"""What LiteLLM itself does with a ``gmi/`` call to an operation GMI does not serve, measured, not asserted.

``litellm_gmi.litellm_seams.unsupported`` refuses some of LiteLLM's operations for ``gmi/`` models with
its own ``BadRequestError``; tests/litellm_seams/test_unsupported.py asserts that. Whether each refusal
still earns its place depends on what LiteLLM does without it, which changes with its releases, so it is
measured here: the package is registered, the refusals are taken off (``unsupported.uninstall()`` and an empty
``REFUSED_BY_HOOK``), and each operation
is called for a ``gmi/`` model, sync and async, directly and through a ``Router`` with ``num_retries=2``:

    python tests/unsupported_report.py           # print the measurements for the installed LiteLLM
    python tests/unsupported_report.py --write   # and record them in docs/unsupported-operations.json
                                                 # and docs/unsupported-operations.md
    python tests/unsupported_report.py --proxy   # also through a LiteLLM proxy (needs its [proxy] extra)

Nothing leaves the machine: every connection that is not to loopback is refused and its host recorded
(``tests/network_guard.py``'s rule), ``OPENAI_API_BASE`` points at a local server that records what
it is sent (with an ``OPENAI_API_KEY`` set, as on many hosts), and ``GMI_API_BASE`` at another.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import socket
import sys
from collections.abc import Awaitable, Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "docs" / "unsupported-operations.json"
PAGE = ROOT / "docs" / "unsupported-operations.md"
SECRET_INPUT = "the user's private text"
"""What each call sends; a server that receives it received the user's data."""

CALLS: dict[str, tuple[str, dict[str, Any]]] = {
    "speech": ("gmi/minimax/tts", {"input": SECRET_INPUT, "voice": "alloy"}),
    "transcription": ("gmi/x/whisper", {"file": ("a.wav", b"RIFF" + SECRET_INPUT.encode(), "audio/wav")}),
    "rerank": ("gmi/x/rerank", {"query": SECRET_INPUT, "documents": ["a", "b"]}),
    "image_variation": ("gmi/seedream-5.0-lite", {"image": None}),
    "moderation": ("gmi/x/guard", {"input": SECRET_INPUT}),
}
ROUTER_OPERATIONS = ("speech", "transcription", "rerank", "moderation")
"""The operations a ``Router`` has (no image variation)."""

attempted_hosts: list[str] = []


def guard_network() -> None:
    """Refuse every non-loopback connection and lookup, recording the host, as tests/network_guard.py."""
    from network_guard import LOCAL_HOSTS, NetworkBlockedError

    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect

    def check(host: Any) -> None:
        host = host.decode() if isinstance(host, bytes) else host
        if host not in LOCAL_HOSTS:
            attempted_hosts.append(str(host))
            raise NetworkBlockedError(f"network blocked: {host!r}")

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        check(host)
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            check(address[0])
        real_connect(self, address)

    socket.getaddrinfo = getaddrinfo
    socket.socket.connect = connect  # type: ignore[method-assign]


def _arguments(operation: str) -> dict[str, Any]:
    model, extra = CALLS[operation]
    extra = dict(extra)
    if operation == "image_variation":
        extra["image"] = io.BytesIO(b"\x89PNG" + SECRET_INPUT.encode())
    return {"model": model, **extra}


def _where(servers: dict[str, Any]) -> str:
    sent = []
    for name, server in servers.items():
        for seen in server.seen:
            leaked = SECRET_INPUT in json.dumps(seen.body, default=str) or SECRET_INPUT.encode() in (
                seen.body if isinstance(seen.body, bytes) else b""
            )
            sent.append(f"{name} {seen.path}" + (" (the input)" if leaked else ""))
    sent += [f"tried {host}" for host in dict.fromkeys(attempted_hosts)]
    return "; ".join(dict.fromkeys(sent)) or "nothing sent"


def _outcome(run: Callable[[], Any], servers: dict[str, Any]) -> dict[str, str]:
    import litellm

    for server in servers.values():
        server.clear()
    attempted_hosts.clear()
    try:
        result = run()
        if isinstance(result, Awaitable):
            asyncio.run(_wait(result))
    except Exception as exc:
        status = getattr(exc, "status_code", None)
        should_retry = getattr(litellm.utils, "should_retry", None) or litellm.utils._should_retry
        message = " ".join(str(exc).split())
        return {
            "raised": type(exc).__name__,
            "status": str(status) if status is not None else "none",
            "retryable": "yes" if isinstance(status, int) and should_retry(status) else "no",
            "message": message[:160] + ("…" if len(message) > 160 else ""),
            "names_gmi": "yes" if "gmi" in message else "no",
            "sent": _where(servers),
        }
    return {
        "raised": "nothing (returned)",
        "status": "",
        "retryable": "",
        "message": "",
        "names_gmi": "",
        "sent": _where(servers),
    }


async def _wait(result: Awaitable[Any]) -> Any:
    return await result


def _router_attempts(operation: str, servers: dict[str, Any]) -> str:
    """How many times a Router with ``num_retries=2`` calls ``litellm.a<operation>`` for one request."""
    import litellm

    name = f"a{operation}"
    original = getattr(litellm, name)
    calls: list[int] = []

    async def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return await original(*args, **kwargs)

    real_sleep = asyncio.sleep

    async def no_backoff(delay: float, *args: Any, **kwargs: Any) -> Any:  # a retry's wait, skipped
        return await real_sleep(0)

    setattr(litellm, name, counting)  # before the Router is built: some releases capture it then
    asyncio.sleep = no_backoff  # type: ignore[assignment]
    try:
        arguments = _arguments(operation)
        router = litellm.Router(
            model_list=[{"model_name": "deployment", "litellm_params": {"model": arguments.pop("model")}}],
            num_retries=2,
        )
        outcome = _outcome(lambda: getattr(router, name)(model="deployment", **arguments), servers)
    finally:
        setattr(litellm, name, original)
        asyncio.sleep = real_sleep  # type: ignore[assignment]
    return f"{len(calls)} call(s); {outcome['raised']} {outcome['status']}".strip()


def measure() -> dict[str, dict[str, str]]:
    import litellm

    import litellm_gmi
    from litellm_gmi.litellm_seams import unsupported

    from fault_server import FaultServer

    litellm_gmi.register()
    unsupported.uninstall()  # the module wraps
    refused, unsupported.REFUSED_BY_HOOK = unsupported.REFUSED_BY_HOOK, ()  # type: ignore[misc]
    results: dict[str, dict[str, str]] = {}
    with FaultServer() as gmi, FaultServer() as openai:
        os.environ.update(
            GMI_API_KEY="sk-gmi-report",
            GMI_API_BASE=gmi.base,
            OPENAI_API_KEY="sk-openai-report",
            OPENAI_API_BASE=openai.base,
            OPENAI_BASE_URL=openai.base,
        )
        servers = {"GMI": gmi, "OPENAI_API_BASE": openai}
        for operation in CALLS:
            for name in (operation, f"a{operation}"):
                function = getattr(litellm, name)
                results[name] = _outcome(lambda f=function, o=operation: f(**_arguments(o)), servers)
            if operation in ROUTER_OPERATIONS:
                results[name]["router"] = _router_attempts(operation, servers)
    unsupported.REFUSED_BY_HOOK = refused  # type: ignore[misc]
    unsupported.install()
    return results


PROXY_ROUTES = {
    "speech": ("/v1/audio/speech", {"json": {"model": "tts", "input": SECRET_INPUT, "voice": "alloy"}}),
    "transcription": (
        "/v1/audio/transcriptions",
        {"data": {"model": "whisper"}, "files": {"file": ("a.wav", b"RIFF", "audio/wav")}},
    ),
    "rerank": ("/v1/rerank", {"json": {"model": "ranker", "query": SECRET_INPUT, "documents": ["a"]}}),
    "moderation": ("/v1/moderations", {"json": {"model": "guard", "input": SECRET_INPUT}}),
}
PROXY_MODELS = {
    "tts": "gmi/minimax/tts",
    "whisper": "gmi/x/whisper",
    "ranker": "gmi/x/rerank",
    "guard": "gmi/x/guard",
}
SHIM = """import os
from litellm.integrations.custom_logger import CustomLogger
from litellm_gmi import gmi_provider
if os.environ.get("REPORT_REFUSALS") == "off":
    from litellm_gmi.litellm_seams import unsupported
    unsupported.uninstall()
    unsupported.REFUSED_BY_HOOK = ()
class Attempts(CustomLogger):
    async def async_log_failure_event(self, kwargs, response_obj, start_time, end_time):
        with open(os.environ["REPORT_ATTEMPTS"], "a") as log:
            log.write(str(kwargs.get("call_type")) + "\\n")
attempts = Attempts()
import litellm
litellm.callbacks.append(attempts)
listed = Attempts()  # what a config's `callbacks:` names; it replaces litellm.callbacks
"""


def measure_proxy(refusals: str, callbacks: str = "") -> dict[str, str]:
    """Each route of a LiteLLM proxy (Router ``num_retries: 2``) for a ``gmi/`` deployment.

    ``callbacks="first"`` puts a one-name ``callbacks:`` in ``litellm_settings`` before
    ``custom_provider_map`` (the proxy then replaces ``litellm.callbacks`` after the package registered;
    a list of names would extend it), ``"last"`` after it.
    """
    import tempfile

    import httpx
    import yaml
    from test_proxy_config import MASTER_KEY, proxy_env, running_proxy

    from fault_server import FaultServer

    results = {}
    with tempfile.TemporaryDirectory() as tmp, FaultServer() as gmi, FaultServer() as openai:
        workdir = Path(tmp)
        (workdir / "gmi_handler.py").write_text(SHIM)
        attempts = workdir / "attempts.log"
        settings: dict[str, Any] = {
            "custom_provider_map": [{"provider": "gmi", "custom_handler": "gmi_handler.gmi_provider"}]
        }
        if callbacks:
            listed = {"callbacks": "gmi_handler.listed"}
            settings = {**listed, **settings} if callbacks == "first" else {**settings, **listed}
        config = {
            "model_list": [
                {"model_name": name, "litellm_params": {"model": model, "api_key": "os.environ/GMI_API_KEY"}}
                for name, model in PROXY_MODELS.items()
            ],
            "litellm_settings": settings,
            "router_settings": {"num_retries": 2},
        }
        (workdir / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
        env = proxy_env(chat_base=gmi.base, gmi_key="sk-gmi-report")
        env.update(
            REPORT_REFUSALS=refusals,
            REPORT_ATTEMPTS=str(attempts),
            OPENAI_API_KEY="sk-openai-report",
            OPENAI_API_BASE=openai.base,
            OPENAI_BASE_URL=openai.base,
            PYTHONPATH=os.pathsep.join([str(workdir), os.environ.get("PYTHONPATH", "")]),
        )
        with running_proxy(workdir, env, config=workdir / "config.yaml") as proxy:
            for operation, (path, request) in PROXY_ROUTES.items():
                gmi.clear()
                openai.clear()
                attempts.write_text("")
                answer = httpx.post(
                    proxy.base_url + path,
                    headers={"Authorization": f"Bearer {MASTER_KEY}"},
                    timeout=120,
                    **request,
                )
                text = " ".join(answer.text.split())
                ours = "our refusal" if "gmi does not support" in text else f"LiteLLM's: {text[:90]}"
                tries = len(attempts.read_text().split())
                results[operation] = (
                    f"{answer.status_code} ({ours if answer.status_code >= 400 else 'answered'}), "
                    f"{tries} attempt(s); {_where({'GMI': gmi, 'OPENAI_API_BASE': openai})}"
                )
    return results


def _ours(name: str) -> str:
    from litellm_gmi.litellm_seams.unsupported import REFUSED_BY_HOOK, WRAPPED

    by = [how for how, names in (("the hook", REFUSED_BY_HOOK), ("a module wrap", WRAPPED)) if name in names]
    if by:
        return f"refused: `BadRequestError` 400 before sending, never retried ({' and '.join(by)})"
    return "left to LiteLLM"


def _cell(outcome: dict[str, str]) -> str:
    if not outcome:
        return "not measured"
    if not outcome["status"]:
        return f"{outcome['raised']}; {outcome['sent']}"
    retry = "retryable" if outcome["retryable"] == "yes" else "not retryable"
    named = "names gmi" if outcome["names_gmi"] == "yes" else "does not name gmi"
    status = "no status" if outcome["status"] == "none" else outcome["status"]
    return f"`{outcome['raised']}` {status} ({retry}, {named}); {outcome['sent']}"


def render_page(results: dict[str, dict[str, dict[str, str]]]) -> str:
    from builtin_route_report import _release

    releases = sorted(results, key=_release)
    rule = "|" + "---|" * (len(releases) + 2)
    lines = [
        "# Operations GMI does not serve: what LiteLLM does on its own",
        "",
        "Generated by `python tests/unsupported_report.py --write [--proxy]`; do not edit. The package is",
        "registered and its refusals taken off; each call is then made for a `gmi/` model with no network",
        "but loopback, `OPENAI_API_KEY` set and `OPENAI_API_BASE` on a local server that records what it",
        'gets. "this package" is asserted by `tests/litellm_seams/test_unsupported.py`; the LiteLLM '
        "columns are",
        "measured on the release named, never asserted. A refusal is kept only where LiteLLM's own answer",
        "sends the input elsewhere or is a 500 that a Router retries",
        "(`litellm_gmi/litellm_seams/unsupported.py`).",
    ]
    names = [name for operation in CALLS for name in (operation, f"a{operation}")]
    sections = (
        ("Direct calls", "call", [(f"`litellm.{n}`", _ours(n), n, "") for n in names]),
        (
            "Through a Router (`num_retries=2`): calls of `litellm.a<operation>`",
            "call",
            [
                (f"`Router.a{o}`", "1 call, `BadRequestError` 400", f"a{o}", "router")
                for o in ROUTER_OPERATIONS
            ],
        ),
        (
            "Through the proxy (`num_retries: 2`): answer, attempts, what was sent",
            "route",
            [
                (f"`{path}`", "400 (our refusal), 1 attempt; nothing sent", o, "proxy")
                for o, (path, _) in PROXY_ROUTES.items()
            ],
        ),
    )
    for title, first, rows in sections:
        lines += [
            "",
            f"## {title}",
            "",
            f"| {first} | this package | " + " | ".join(f"LiteLLM {r}" for r in releases) + " |",
            rule,
        ]
        for label, ours, key, field in rows:
            outcomes = [results[r].get(key, {}) for r in releases]
            cells = [_cell(o) if not field else o.get(field, "not measured") for o in outcomes]
            lines.append(f"| {label} | {ours} | " + " | ".join(cells) + " |")
    lines += [
        "",
        'The proxy\'s "this package" column was measured (`measure_proxy("on")`), not asserted. Two',
        "exceptions, also measured: LiteLLM 1.81.1's `/v1/audio/speech` answers a bare 500 \"Internal",
        'Server Error" with or without this package; and a proxy config whose `callbacks:` replaces',
        "`litellm.callbacks` after the package registered drops its hook, so `/v1/audio/speech`,",
        "`/v1/audio/transcriptions` and `/v1/rerank` get LiteLLM's retried 500 while `/v1/moderations`",
        'stays refused by its module wrap (`measure_proxy("on", "first")`, LiteLLM 1.110.2).',
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    guard_network()
    release = version("litellm")
    measured = measure()
    if "--proxy" in argv:
        for operation, outcome in measure_proxy("off").items():
            measured.setdefault(operation, {})["proxy"] = outcome
    print(f"LiteLLM {release}, gmi/ calls without litellm_gmi's refusals:")
    for name, outcome in measured.items():
        print(f"  {name}: {json.dumps(outcome)}")
    if "--write" in argv:
        from builtin_route_report import record_release

        results = record_release(RESULTS, release, measured)
        PAGE.write_text(render_page(results))
        print(f"wrote {RESULTS.relative_to(ROOT)} and {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    raise SystemExit(main(sys.argv[1:]))
