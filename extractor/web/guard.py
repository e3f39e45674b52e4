"""Requests from other sites: a Host check and an Origin check (ASGI middleware).

- **Host.** A page on any site can make the clerk's browser resolve its own name to
  127.0.0.1 (DNS rebinding) and then read this server's answers as same-origin. The
  server therefore answers only requests whose ``Host`` names it: a loopback name or one
  of the names it was told to serve (``extractor serve --allow-host``). Others get 400.
- **Origin.** A page on another site can still make the browser *send* a state-changing
  request (an upload, a review). Browsers mark such requests with ``Origin`` (and
  ``Sec-Fetch-Site``); one whose origin is not this server's (scheme, host and port, as
  the ``Host`` header names it) gets 403. Requests
  without these headers (curl, another system's client) are not from a browser page and
  pass.
"""

from __future__ import annotations

from typing import Iterable
from urllib.parse import urlsplit

from starlette.responses import JSONResponse

from ..fields import say

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _hostname(value: str) -> str:
    """The host name of a ``Host`` header value or an origin, lower case, no port."""
    value = value.strip().lower()
    if "://" in value:
        return (urlsplit(value).hostname or "").strip("[]")
    if value.startswith("["):  # [::1]:8000
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class HostGuard:
    """Refuse requests for other host names (400) and cross-site state changes (403)."""

    def __init__(self, app, allowed_hosts: Iterable[str] = ()):
        self.app = app
        self.allowed = LOOPBACK_NAMES | {_hostname(h) for h in allowed_hosts if h}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = _hostname(headers.get("host", ""))
        if host not in self.allowed:
            reply = JSONResponse({"detail": f"host {host or '(none)'!r} is not served here",
                                  "message": say("host_refused")},
                                 status_code=400)  # fmt: skip
            return await reply(scope, receive, send)
        if scope["method"] in _UNSAFE_METHODS and _cross_site(headers):
            reply = JSONResponse({"detail": "cross-site request refused: open the review "
                                  "page of this server to make changes",
                                  "message": say("cross_site_refused")},
                                 status_code=403)  # fmt: skip
            return await reply(scope, receive, send)
        return await self.app(scope, receive, send)



def _cross_site(headers: dict[str, str]) -> bool:
    """Whether a browser sent this from a page of another origin (scheme, host and port)."""
    origin = headers.get("origin")
    if origin == "null":  # sandboxed frames and file: pages
        return True
    if origin is not None:
        return urlsplit(origin).netloc.lower() != headers.get("host", "").strip().lower()
    return headers.get("sec-fetch-site") == "cross-site"
