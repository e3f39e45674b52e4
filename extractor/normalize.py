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

from underthesea.pipeline.text_normalize.text_normalizer import character_map, token_map
from underthesea.pipeline.text_normalize.token_normalize import token_normalize

from .trie import LETTER, phrase_regex

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
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


# token_normalize changes a word (a run of letters) only when its table has it or the word
# holds a character of its character table: only those words are looked at.
_TABLE = {w: n for w, n in token_map.items() if n != w}
_ODD_CHARACTERS = tuple(character_map)
# Every word of the table is a run of letters, so a whole-word match of the table is a
# whole run of letters that the table holds: the runs of a text say which words can match,
# and a regex of those few (compiled in a millisecond) replaces one of all 2 900 (a tenth
# of a second, at every start).
_TABLE_IS_WORDS = all(_WORD.fullmatch(w) for w in _TABLE)


@lru_cache(maxsize=1024)
def _table_regex(words: frozenset) -> re.Pattern:
    return phrase_regex(sorted(words), ignore_case=False, boundary=LETTER)


def _normalize_words(text: str) -> str:
    if any(c in text for c in _ODD_CHARACTERS):
        return _WORD.sub(lambda m: _word(m.group(0)), text)
    words = _TABLE.keys() & set(_WORD.findall(text)) if _TABLE_IS_WORDS else _TABLE.keys()
    if not words:
        return text
    return _table_regex(frozenset(words)).sub(lambda m: _TABLE[m.group(0)], text)


def normalize_text(raw: str) -> str:
    """Return the normalized form of ``raw`` (see module docstring)."""
    text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFC", raw))
    text = _LINE_ENDS.sub("\n", text)
    text = _ODD_SPACES.sub(" ", text)
    text = _SPACE_RUN.sub(" ", text)
    text = _TRAILING.sub("\n", text)
    text = _LEADING.sub("\n", text)
    text = _BLANKS.sub("\n\n", text)
    text = _normalize_words(text)
    return text.strip(" \n")


@lru_cache(maxsize=65536)  # pure; dedup and scoring compare the same pieces many times
def fold(text: str) -> str:
    """Case- and punctuation-insensitive key, for comparing two pieces of text."""
    return " ".join(re.findall(r"\w+", normalize_text(text).lower()))
