"""Error replies: ``detail`` (English, one line) and ``message`` (the clerk's Vietnamese),
the exception handlers that give every error that shape, and the upload size limit."""

from __future__ import annotations

import logging
from typing import Optional

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import messages

log = logging.getLogger("extractor.web.app")  # the logger's name from before the split


class ClientError(HTTPException):
    """An HTTP error with the clerk's Vietnamese ``message`` beside the English ``detail``."""

    def __init__(self, status: int, detail: str, message: Optional[str] = None,
                 headers: Optional[dict] = None):  # fmt: skip
        super().__init__(status, detail, headers=headers)
        self.message = message or messages.for_status(status)


def error_response(status: int, detail: str, message: Optional[str] = None,
                   **extra) -> JSONResponse:  # fmt: skip
    """The JSON error reply: ``detail``, ``message`` (by status when not given), ``extra``."""
    body = {"detail": detail, "message": message or messages.for_status(status), **extra}
    return JSONResponse(body, status_code=status)


class BodyTooLarge(Exception):
    def __init__(self, size: int, limit: int):
        super().__init__(f"request body too large: over {limit / 1048576:.1f} MB "
                         f"(received {size / 1048576:.1f} MB so far)")  # fmt: skip


class BodyLimit:
    """ASGI middleware: refuse a body over the limit before it is read into memory."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            message = str(BodyTooLarge(int(length), self.limit))
            return await error_response(413, message)(scope, receive, send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(seen, self.limit)
            return message

        return await self.app(scope, counted, send)


async def _too_large(request: Request, exc: BodyTooLarge):
    return error_response(413, str(exc))


async def _http_error(request: Request, exc: StarletteHTTPException):
    reply = error_response(exc.status_code, str(exc.detail), getattr(exc, "message", None))
    reply.headers.update(exc.headers or {})
    return reply


async def _invalid(request: Request, exc: RequestValidationError):
    errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type")}
              for e in exc.errors()]  # fmt: skip
    first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(p) for p in first["loc"] if p != "body") or "body"
    return error_response(422, f"{where}: {first['msg']}", messages.validation(errors),
                          errors=errors)  # fmt: skip


async def _too_deep(request: Request, exc: RecursionError):
    return error_response(422, "the request is nested too deeply")


async def _internal(request: Request, exc: Exception):
    log.exception("internal error on %s %s", request.method, request.url.path)
    return error_response(500, f"internal error: {type(exc).__name__}")


def install_error_handlers(app: FastAPI) -> None:
    """Give every error the ``{detail, message}`` shape (500s logged, never shown)."""
    app.add_exception_handler(BodyTooLarge, _too_large)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(RecursionError, _too_deep)
    app.add_exception_handler(Exception, _internal)
