"""Which URLs the queue client fetches and which redirects it follows.

Redirects, per kind of call (``HttpCall.redirects``):

* ``none``: a submit, an upload grant and the signed upload PUT follow no redirect at all. A 307 would
  otherwise resend the prompt (or the file) to wherever it points.
* ``same-origin``: other queue API calls follow a redirect only to the same scheme, host and port, with
  the same headers. A redirect elsewhere is refused: it would carry ``X-Organization-ID`` and the
  caller's headers there (httpx drops only ``Authorization`` across hosts).
* ``public``: artifact fetches follow up to :data:`MAX_REDIRECTS` redirects, each hop checked like the
  first URL, with no GMI header (they never carry one).

An artifact URL (and every hop of it) must be http(s) and name a public host: one whose addresses are
all global, not private, loopback, link-local (cloud metadata), reserved or multicast. The configured
queue base's own host is the one exception, so a queue on 127.0.0.1 (the emulator, tests) can hand out
local artifact URLs. A name that does not resolve here is left to the HTTP client (behind an HTTP
proxy, the proxy resolves it). The check resolves the name before httpx connects; a DNS answer that
changes in between is not caught.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

import httpx

from litellm_gmi.media.errors import UnsafeURLError

if TYPE_CHECKING:
    from litellm_gmi.media.protocol import HttpCall

MAX_REDIRECTS: Final = 5
REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})


def short(url: str) -> str:
    """Signed URLs carry their signature in the query; messages show only scheme, host and path."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def origin(url: str | httpx.URL) -> tuple[str, str, int | None]:
    parsed = httpx.URL(str(url))
    port = parsed.port or {"http": 80, "https": 443}.get(parsed.scheme)
    return parsed.scheme, parsed.host.lower(), port


def next_hop(response: httpx.Response, call: HttpCall) -> HttpCall | None:
    """The call a redirect answer leads to, ``None`` if ``response`` is not one; refused ones raise."""
    location = response.headers.get("location")
    if response.status_code not in REDIRECT_STATUSES or not location:
        return None
    target = response.request.url.join(location)
    where = f"{call.method} {short(call.url)} was redirected ({response.status_code}) to {short(str(target))}"
    if call.redirects == "none":
        raise UnsafeURLError(f"{where}: not followed (submits and uploads follow no redirect)", call.model)
    if call.redirects == "same-origin" and origin(target) != origin(call.url):
        raise UnsafeURLError(
            f"{where}: another host, not followed (GMI's headers go only to the queue's own host)", call.model
        )
    keeps_body = response.status_code in (307, 308) or call.method in ("GET", "HEAD", "DELETE")
    if keeps_body:
        return replace(call, url=str(target))
    return replace(call, url=str(target), method="GET", json=None, content=None)


def too_many_redirects(call: HttpCall) -> UnsafeURLError:
    return UnsafeURLError(f"{call.method} {short(call.url)}: more than {MAX_REDIRECTS} redirects", call.model)


def host_to_resolve(url: str, trusted_host: str | None) -> str | None:
    """Refuse a URL that is not http(s) or names a non-public address; the host name still to resolve
    (``None`` when nothing is left to check)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise UnsafeURLError(f"only http(s) artifact URLs are fetched, not {parts.scheme or 'no'} scheme")
    host = (parts.hostname or "").lower()
    if not host:
        raise UnsafeURLError(f"artifact URL {short(url)} names no host")
    if trusted_host and host == trusted_host.lower():
        return None
    if host == "localhost" or host.endswith(".localhost"):
        raise UnsafeURLError(f"artifact URL {short(url)} names a loopback host")
    address = _address(host)
    if address is None:
        return host
    _refuse_unless_public(url, [address])
    return None


def check_url(url: str, trusted_host: str | None) -> None:
    """:func:`host_to_resolve`, then every address the name resolves to."""
    host = host_to_resolve(url, trusted_host)
    if host is not None:
        try:
            infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            return
        _refuse_unless_public(url, _addresses(infos))


async def acheck_url(url: str, trusted_host: str | None) -> None:
    host = host_to_resolve(url, trusted_host)
    if host is not None:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            return
        _refuse_unless_public(url, _addresses(infos))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None


def _addresses(infos: list[Any]) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    found = (_address(str(info[4][0])) for info in infos)
    return [address for address in found if address is not None]


def _refuse_unless_public(url: str, addresses: list[ipaddress.IPv4Address | ipaddress.IPv6Address]) -> None:
    for address in addresses:
        mapped = getattr(address, "ipv4_mapped", None) or address
        if not mapped.is_global or mapped.is_multicast:
            raise UnsafeURLError(
                f"artifact URL {short(url)} names a private, loopback or link-local address ({mapped}); "
                "only public hosts and the queue's own host are fetched"
            )
