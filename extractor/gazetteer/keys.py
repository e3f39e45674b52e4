"""Comparison keys: how a mention and a name meet.

A key is the text normalized by :func:`extractor.normalize.normalize_text`, case-folded,
with dashes unified and spaces around ``- & .`` dropped, so "Bộ LĐ - TB & XH" and
"bộ lđ-tb&xh" meet. Pure functions over strings; no data.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Optional

from ..normalize import normalize_text

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_TIGHT = re.compile(r"\s*([-&./])\s*")
_LOOSE = re.compile(r"\s*([,;:])\s*")
_SPACES = re.compile(r"\s+")
_EDGE = "\"'“”‘’()[]«» \t\n.,;:"


@lru_cache(maxsize=65536)  # pure, and called for every piece a list split tries
def clean(surface: str) -> str:
    """The mention as the resolver reads it: normalized, dashes unified, edges trimmed."""
    text = _DASHES.sub("-", normalize_text(surface))
    return _SPACES.sub(" ", text).strip(_EDGE)


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """Comparison key: case-folded, spacing around punctuation made canonical."""
    text = clean(text).casefold()
    text = _TIGHT.sub(r"\1", text)
    text = _LOOSE.sub(r"\1 ", text)
    return _SPACES.sub(" ", text).strip(_EDGE)


def prefix_of(text_key: str, prefixes: Iterable[str]) -> Optional[str]:
    """The longest prefix (a key) that ends on a word boundary of ``text_key``."""
    best = None
    for p in prefixes:
        if text_key == p or (text_key.startswith(p) and not text_key[len(p)].isalnum()):
            if best is None or len(p) > len(best):
                best = p
    return best


def longest_word_prefix(text_key: str, pairs: Iterable[tuple[str, object]]):
    """The (prefix, value) whose prefix is ``text_key`` or its first whole words, longest."""
    best = None
    for prefix, value in pairs:
        if (text_key == prefix or text_key.startswith(prefix + " ")) and (
            best is None or len(prefix) > len(best[0])
        ):
            best = (prefix, value)
    return best


def after(text: str, prefix_key: str) -> str:
    """``text`` without its first words, those that make up ``prefix_key``."""
    words = text.split(" ")
    for n in range(1, len(words) + 1):
        if key(" ".join(words[:n])) == prefix_key:
            return " ".join(words[n:]).lstrip(":, ")
    return text


def title_case_words(words: list[str]) -> bool:
    """Words of a person's name: each capitalized, letters only."""
    return bool(words) and all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words)


def name_like(words: list[str]) -> bool:
    """Words of a place name: capitalized words or numbers ("Phường 4")."""
    words = [w for w in words if w]
    return bool(words) and all(
        (w[:1].isupper() and w.replace("-", "").replace(".", "").isalpha()) or w.isdigit()
        for w in words
    )
