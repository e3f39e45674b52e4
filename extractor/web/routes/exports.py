"""Downloads of the accepted directives: one document or several, as the reviewed JSON,
CSV, an Excel workbook or an iCalendar file."""

from __future__ import annotations

import json
from typing import Annotated, Optional

from fastapi import APIRouter, Query
from fastapi.responses import Response

from ...reviewed import ReviewedDocument
from .. import review as rv
from ..state import AppStateDep

router = APIRouter()

_MEDIA = {"json": "application/json; charset=utf-8", "csv": "text/csv; charset=utf-8",
          "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "ics": "text/calendar; charset=utf-8"}  # fmt: skip
_EXPORT_DOCS = {
    "json": "Reviewed documents (schema 1.0-reviewed), as a JSON array.",
    "csv": "The clerk's table as CSV (UTF-8 with BOM, Vietnamese headers).",
    "xlsx": "The clerk's table as an Excel workbook (directives and documents sheets).",
    "ics": "An iCalendar file: one all-day event per dated deadline.",
}


@router.get("/api/documents/{doc_id}/export.json", tags=["export"],
            response_model=ReviewedDocument)
def export_json(doc_id: str, state: AppStateDep, text: bool = False) -> Response:
    """The reviewed document (schema ``1.0-reviewed``: ``extractor schema --reviewed``)
    with the accepted directives only; ``?text=true`` includes the normalized text."""
    doc = rv.export(state.load(doc_id), with_text=text)
    return _download(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", "json",
                     f"chi-dao-{doc_id}")  # fmt: skip


def _export_table(fmt: str):
    def export(doc_id: str, state: AppStateDep) -> Response:
        return _table([rv.export(state.load(doc_id))], fmt, f"chi-dao-{doc_id}")

    export.__doc__ = _EXPORT_DOCS[fmt] + " Accepted directives only."
    return export


def _export_many(fmt: str):
    def export(state: AppStateDep,
               id: Annotated[Optional[list[str]], Query()] = None) -> Response:  # noqa: A002
        ids = id or [d["id"] for d in state.store.list_documents(500)]
        docs = [rv.export(state.load(doc_id)) for doc_id in ids]
        if fmt == "json":
            return _download(json.dumps(docs, ensure_ascii=False, indent=2) + "\n",
                             "json", "chi-dao")  # fmt: skip
        return _table(docs, fmt, "chi-dao")

    export.__doc__ = (_EXPORT_DOCS[fmt] + " The accepted directives of several documents "
                      "(?id=...&id=...; every stored document without it).")  # fmt: skip
    return export


def _export_responses(fmt: str) -> dict:
    return {200: {"description": "The file", "content": {
        _MEDIA[fmt]: {"schema": {"type": "string", "format": "binary"}}}}}  # fmt: skip


for _fmt in ("csv", "xlsx", "ics"):
    router.get(f"/api/documents/{{doc_id}}/export.{_fmt}", tags=["export"],
               responses=_export_responses(_fmt), name=f"export_{_fmt}")(_export_table(_fmt))
for _fmt in ("json", "csv", "xlsx", "ics"):
    router.get(f"/api/export.{_fmt}", tags=["export"], responses=_export_responses(_fmt),
               name=f"export_many_{_fmt}")(_export_many(_fmt))  # fmt: skip


def _table(docs: list[dict], fmt: str, stem: str) -> Response:
    from ...exports import to_csv, to_ics, to_xlsx

    body = {"csv": lambda: to_csv(docs).encode("utf-8"), "xlsx": lambda: to_xlsx(docs),
            "ics": lambda: to_ics(docs)}[fmt]()  # fmt: skip
    return _download(body, fmt, stem)


def _download(body, fmt: str, stem: str) -> Response:
    return Response(body, media_type=_MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'})
