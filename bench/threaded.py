"""A plain ``http.server.ThreadingHTTPServer`` with the same canned answers as :mod:`bench.loopback`.

``python -m bench.threaded`` prints ``listening on http://127.0.0.1:PORT``. One thread per connection,
HTTP/1.1 keep-alive, a stream written one SSE event per chunk with a flush after each, as many mock
servers and simple proxies do. Its accept backlog is raised to 2,048 so that 500 simultaneous
connections are queued, never refused (the default of 5 would make clients retry a SYN after a second).
"""

from __future__ import annotations

import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.loopback import COMPLETION, STREAM_EVENTS


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if b'"stream": true' in body or b'"stream":true' in body:
            self._stream()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(COMPLETION)))
        self.end_headers()
        self.wfile.write(COMPLETION)

    def _stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for event in STREAM_EVENTS:
            self.wfile.write(f"{len(event):x}\r\n".encode() + event + b"\r\n")
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, format: str, *args: object) -> None:
        """Silence the per-request access log."""


class _Server(ThreadingHTTPServer):
    request_queue_size = 2048
    daemon_threads = True


def main(port: int) -> None:
    server = _Server(("127.0.0.1", port), _Handler)
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
