"""The clerk's review page and its script and style sheet (not in the OpenAPI schema)."""

from __future__ import annotations

import json

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse, Response

from ... import __version__
from ..assets import fill, package_text
from ..state import AppStateDep

router = APIRouter()

_STATIC = {"review.js": "text/javascript; charset=utf-8", "review.css": "text/css; charset=utf-8"}
# The page loads nothing from elsewhere; the policy makes the browser enforce it.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def _page(max_upload_bytes: int) -> HTMLResponse:
    from html import escape

    from ...sector import sector_labels

    sectors = escape(json.dumps(sector_labels(), ensure_ascii=False), quote=True)
    html = fill(package_text("templates", "review.html"),
                {"version": __version__, "max_upload_bytes": str(max_upload_bytes),
                 "sectors": sectors})  # fmt: skip
    return HTMLResponse(html, headers={"Content-Security-Policy": CSP})


@router.get("/", include_in_schema=False)
def index(state: AppStateDep) -> HTMLResponse:
    return _page(state.max_upload_bytes)


@router.get("/documents/{doc_id}", include_in_schema=False)
def document_page(doc_id: str, state: AppStateDep) -> HTMLResponse:
    return _page(state.max_upload_bytes)


@router.get("/static/{name}", include_in_schema=False)
def static(name: str) -> Response:
    if name not in _STATIC:
        raise HTTPException(404, f"no static file {name!r}")
    return Response(package_text("static", name), media_type=_STATIC[name],
                    headers={"Cache-Control": "no-cache"})  # fmt: skip
