"""The clerk's Vietnamese wording of the server's errors (the ``message`` of an error body),
from ``data/presentation.json`` (``server``).

``detail`` stays in English for programs and logs; the review page shows ``message``, so
a clerk never reads a raw validation message.
"""

from __future__ import annotations

from typing import Optional

from ..fields import presentation, say


def read_error_kinds() -> dict[str, str]:
    """A reader's failure kind -> what is wrong with the file, in the clerk's words."""
    return presentation().server.read_errors


def status_message(status: int) -> str:
    """The message of an HTTP status given in the data (400, 422, 500 always are)."""
    return presentation().server.status[status]


def read_error(kind: str, name: Optional[str]) -> str:
    """A reader's failure, naming the file."""
    words = presentation().server
    what = words.read_errors.get(kind, words.read_error_default)
    return words.read_error.format(name=name or say("unnamed_text"), what=what)


def validation(errors: list[dict]) -> str:
    """The first problem of a request body, naming the field as the page labels it."""
    words = presentation().server
    if not errors:
        return words.status[422]
    first = errors[0]
    names = [str(p) for p in first.get("loc", ()) if p not in ("body", "fields")]
    field = next((words.request_fields[n] for n in reversed(names) if n in words.request_fields),
                 None)  # fmt: skip
    kind = first.get("type") or ""
    problem = next((v for k, v in words.problems.items() if kind.startswith(k)),
                   words.problem_default)  # fmt: skip
    if field:
        return words.field_problem.format(field=field, problem=problem)
    return words.body_problem.format(problem=problem)


def for_status(status: int) -> str:
    """The generic message of an HTTP status."""
    status_words = presentation().server.status
    return status_words.get(status, status_words[500] if status >= 500 else status_words[400])
