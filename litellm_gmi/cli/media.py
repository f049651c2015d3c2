"""``litellm-gmi media submit|status|wait|download|upload``: drive GMI's request queue from a shell.

Records print as JSON on stdout; progress and errors go to stderr. Exit codes: 0 done, 1 the job or the
API failed, 2 usage or missing key, 3 timed out (including "stuck in queued").
"""

# Only light imports at module level: `--help` and usage errors must not load LiteLLM (tests/cli/test_cli.py);
# even litellm_gmi.media would (its __init__ loads the client). run() imports them once arguments parsed.
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TYPE_CHECKING, Any, TextIO

from litellm_gmi.constants import DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_TIMEOUT

if TYPE_CHECKING:
    from litellm_gmi.media.queue_client import RequestQueueClient
    from litellm_gmi.media.records import QueueRequest

EXIT_FAILED, EXIT_USAGE, EXIT_TIMEOUT = 1, 2, 3


class Progress:
    """Status and elapsed time on stderr: one rewritten line on a terminal, a line per change otherwise."""

    def __init__(self, stream: TextIO, clock: Any = time.monotonic) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.clock = clock
        self.start = clock()
        self.last: str | None = None

    def __call__(self, record: QueueRequest) -> None:
        elapsed = self.clock() - self.start
        line = f"{record.request_id} {record.model}: {record.status} ({elapsed:.1f}s)"
        if self.tty:
            self.stream.write("\r\x1b[K" + line)
        elif record.status != self.last:
            self.stream.write(line + "\n")
        self.last = record.status
        self.stream.flush()

    def close(self) -> None:
        if self.tty and self.last is not None:
            self.stream.write("\n")
            self.stream.flush()


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--api-base", help="queue base URL (default: $GMI_QUEUE_API_BASE or GMI's console)")
    common.add_argument("--timeout", type=float, default=DEFAULT_WAIT_TIMEOUT, help="overall wait, seconds")
    common.add_argument("--poll-interval", type=float, default=DEFAULT_POLL_INTERVAL, help=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(prog="litellm-gmi media", description=__doc__)
    sub = parser.add_subparsers(dest="action", required=True)
    submit = sub.add_parser("submit", parents=[common], help="submit a job and print its record")
    submit.add_argument("model", help="queue model id, case-sensitive (e.g. Veo3, seedream-5.0-lite)")
    submit.add_argument("--payload", default="{}", help="payload as JSON")
    submit.add_argument(
        "-p", "--param", action="append", default=[], metavar="KEY=VALUE", help="payload field"
    )
    submit.add_argument("--wait", action="store_true", help="wait for the job to finish")
    for name, text in (("status", "print a job's record"), ("wait", "wait for a job, showing progress")):
        sub.add_parser(name, parents=[common], help=text).add_argument("request_id")
    download = sub.add_parser("download", parents=[common], help="download a finished job's artifact")
    download.add_argument("source", help="request id or artifact URL")
    download.add_argument("-o", "--output", default=".", help="file or directory (default: .)")
    download.add_argument("--overwrite", action="store_true", help="replace an existing file")
    upload = sub.add_parser("upload", parents=[common], help="upload a file, print its public URL")
    upload.add_argument("path")
    upload.add_argument("--file-type", help="png, jpeg, jpg, mp4, mp3 or wav (default: the extension)")
    return parser


def _payload(args: argparse.Namespace) -> dict[str, Any]:
    payload = json.loads(args.payload)
    if not isinstance(payload, dict):
        raise ValueError("--payload must be a JSON object")
    for item in args.param:
        key, sep, raw = item.partition("=")
        if not sep:
            raise ValueError(f"--param {item!r} is not KEY=VALUE")
        try:
            payload[key] = json.loads(raw)
        except ValueError:
            payload[key] = raw
    return payload


def _wait(client: RequestQueueClient, request: str | QueueRequest, args: argparse.Namespace) -> QueueRequest:
    progress = Progress(sys.stderr)
    try:
        return client.wait(
            request, timeout=args.timeout, poll_interval=args.poll_interval, on_update=progress
        )
    finally:
        progress.close()


def _act(client: RequestQueueClient, args: argparse.Namespace) -> str:
    """Do the action; return what goes to stdout."""
    from litellm_gmi.media.protocol import dump

    if args.action == "submit":
        record = client.submit(args.model, _payload(args))
        return dump(_wait(client, record, args) if args.wait else record)
    if args.action == "status":
        return dump(client.status(args.request_id))
    if args.action == "wait":
        return dump(_wait(client, args.request_id, args))
    if args.action == "download":
        is_url = args.source.startswith(("http://", "https://"))
        source: str | QueueRequest = args.source if is_url else client.status(args.source)
        return str(client.download(source, args.output, overwrite=args.overwrite))
    return client.upload(args.path, args.file_type)


def run(argv: list[str]) -> int:
    """Entry point of ``litellm-gmi media``; returns the exit code."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    from litellm.exceptions import AuthenticationError

    from litellm_gmi.media.errors import QueueTimeoutError, RequestFailedError

    try:
        client = make_client(args.api_base)
    except AuthenticationError as exc:  # no key configured: raised before any network call
        return _fail(EXIT_USAGE, exc)
    try:
        with client:
            print(_act(client, args))
    except QueueTimeoutError as exc:
        return _fail(EXIT_TIMEOUT, exc)
    except RequestFailedError as exc:
        return _fail(EXIT_FAILED, exc)
    except (ValueError, OSError) as exc:
        return _fail(EXIT_USAGE, exc)
    except Exception as exc:  # any other LiteLLM/HTTP error: one line, not a traceback
        return _fail(EXIT_FAILED, exc)
    return 0


def make_client(api_base: str | None) -> RequestQueueClient:
    """The client every action uses; tests swap it for one on a fake clock."""
    from litellm_gmi.media.queue_client import RequestQueueClient

    return RequestQueueClient(api_base=api_base)


def _fail(code: int, exc: BaseException) -> int:
    message = str(getattr(exc, "message", None) or exc).removeprefix("litellm.").splitlines()[0]
    print(f"litellm-gmi media: {message}", file=sys.stderr)
    return code
