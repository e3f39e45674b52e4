"""Files shipped in the package (templates, static), read with importlib.resources."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_SLOT = re.compile(r"(\{\{\w+\}\})")


@cache
def package_text(*parts: str) -> str:
    """A text file under ``extractor/web`` (e.g. ``"templates", "report.html"``)."""
    return resources.files(__package__).joinpath(*parts).read_text(encoding="utf-8")


def fill(template: str, values: dict[str, str]) -> str:
    """``template`` with each ``{{name}}`` replaced by ``values[name]``, in one pass, so a
    value that itself contains ``{{...}}`` (a document's text) is left as it is."""
    return "".join(
        values.get(part[2:-2], part) if _SLOT.fullmatch(part) else part
        for part in _SLOT.split(template)
    )
