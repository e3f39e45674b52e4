"""Reading ``POST /api/extract``: a JSON ``{"text", "doc_date"}`` or a multipart form with a
``file`` (or ``text``) and ``doc_date``."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from fastapi import Request

from ..fields import say
from . import messages
from .bodies import valid_text
from .errors import ClientError


@dataclass(frozen=True)
class Upload:
    """What was sent: its bytes, the file name (None for text) and the text when typed."""

    data: bytes
    name: Optional[str]
    text: Optional[str]
    doc_date: Optional[dt.date]


async def read_upload(request: Request) -> Upload:
    """The upload of a JSON or multipart request; any other content type is 415."""
    media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if media == "application/json":
        text, doc_date = await _json_text(request)
        return Upload(text.encode("utf-8"), None, text, doc_date)
    if media == "multipart/form-data":
        return await _form_input(request)
    raise ClientError(415, f"unsupported content type {media or '(none)'!r}: send "
                      "JSON {\"text\": ...} or multipart/form-data with a 'file'")


def check_size(upload: Upload, limit: int) -> None:
    """413 for an upload over ``limit`` bytes."""
    if len(upload.data) > limit:
        size, name = len(upload.data) / 1048576, upload.name
        raise ClientError(413, f"{name or 'text'}: too large: {size:.1f} MB, the limit "
                          f"is {limit / 1048576:.1f} MB",
                          say("too_large", name=name or say("unnamed_text"), size=size,
                              limit=limit / 1048576))  # fmt: skip


async def _json_text(request: Request) -> tuple[str, Optional[dt.date]]:
    body = await request.body()
    if not body.strip():
        raise ClientError(422, 'empty request body: send {"text": "..."}',
                          say("text_empty"))  # fmt: skip
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ClientError(422, f"the body is not valid JSON: {exc}",
                          messages.status_message(422)) from None  # fmt: skip
    except RecursionError:
        raise ClientError(422, "the JSON body is nested too deeply") from None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise ClientError(422, 'the JSON body needs a "text" string',
                          say("text_empty"))  # fmt: skip
    try:
        valid_text(data["text"])
    except ValueError as exc:
        raise ClientError(422, f"text: {exc}", say("bad_characters")) from None
    unknown = set(data) - {"text", "doc_date"}
    if unknown:
        raise ClientError(422, f"unknown field(s): {', '.join(sorted(unknown))}")
    return data["text"], parse_date(data.get("doc_date"))


async def _form_input(request: Request) -> Upload:
    form = await request.form(max_files=1, max_fields=10)
    doc_date = parse_date(form.get("doc_date") or None)
    upload = form.get("file")
    if upload is not None and not isinstance(upload, str):
        data = await upload.read()
        name = Path(upload.filename or "upload").name  # never a client's folder path
        return Upload(data, name, None, doc_date)
    text = form.get("text")
    if isinstance(text, str):
        return Upload(text.encode("utf-8"), None, text, doc_date)
    raise ClientError(422, "no file in the upload: send it in the form field 'file'",
                      say("no_file"))  # fmt: skip


def parse_date(value) -> Optional[dt.date]:
    """A ``YYYY-MM-DD`` date, None for nothing, 422 for anything else."""
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        message = f"doc_date {value!r} is not a date in the form YYYY-MM-DD"
        raise ClientError(422, message, say("bad_date")) from None
