"""Stage 1: normalization. All output offsets refer to the text this returns.

- Unicode NFC (composed characters), so a decomposed "ế" matches a composed one.
- One tone-mark placement, by underthesea's own token table ("hoà" -> "hòa",
  "Uỷ" -> "Ủy"), so lexicons need one spelling only.
- Whitespace: line ends to ``\\n``, no-break and odd spaces to plain spaces,
  runs of spaces folded, trailing spaces dropped, at most one blank line.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from underthesea.pipeline.text_normalize.token_normalize import token_normalize

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_ODD_SPACES = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_LINE_ENDS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_SPACE_RUN = re.compile(r" {2,}")
_TRAILING = re.compile(r" +\n")
_LEADING = re.compile(r"\n +")
_BLANKS = re.compile(r"\n{3,}")
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=65536)
def _word(word: str) -> str:
    return token_normalize(word)


def normalize_text(raw: str) -> str:
    """Return the normalized form of ``raw`` (see module docstring)."""
    text = unicodedata.normalize("NFC", raw).translate(_ZERO_WIDTH)
    text = _LINE_ENDS.sub("\n", text)
    text = _ODD_SPACES.sub(" ", text)
    text = _SPACE_RUN.sub(" ", text)
    text = _TRAILING.sub("\n", text)
    text = _LEADING.sub("\n", text)
    text = _BLANKS.sub("\n\n", text)
    text = _WORD.sub(lambda m: _word(m.group(0)), text)
    return text.strip(" \n")


def fold(text: str) -> str:
    """Case- and punctuation-insensitive key, for comparing two pieces of text."""
    return " ".join(re.findall(r"\w+", normalize_text(text).lower()))
