"""Legacy Vietnamese font encodings (TCVN3 / ABC and VNI) and a Vietnamese plausibility score.

Text typed with a ``.VnTime`` (TCVN3) or ``VNI-Times`` (VNI) font is stored as ordinary
Windows-1252 characters: "Bé Tµi chÝnh" (TCVN3) or "Boä Taøi chính" (VNI) for
"Bộ Tài chính". The tables in ``extractor/data/encodings/`` map those look-alike
sequences back to Unicode. Which reading is right is decided by counting words that are
valid Vietnamese syllables.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

TCVN3 = "tcvn3"
VNI = "vni"
LEGACY_NAMES = {TCVN3: "TCVN3 (ABC, .Vn fonts)", VNI: "VNI (VNI- fonts)"}

# A PDF text layer resolves two TCVN3 bytes through the font to other code points:
# 0xAD (ư) becomes U+2212 MINUS SIGN and 0xB7 (ã) U+2219 BULLET OPERATOR.
_PDF_GLYPHS = {"\u2212": "\xad", "\u2219": "\xb7"}

# Any of these means the text already holds Unicode Vietnamese, so it is not legacy.
_UNICODE_VIETNAMESE = re.compile("[\u0100-\u024f\u0300-\u036f\u1ea0-\u1ef9]")

_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"[aăâeêioôơuưy]{1,3}"
    r"(?:ch|ng|nh|[cmnpt])?"
)
# Punctuation around a word; not the Latin-1 signs, which are letters in TCVN3 ("«" is ô).
_EDGE_PUNCT = "\"'()[]{}<>.,;:!?*\u2018\u2019\u201c\u201d\u2013\u2014\u2026"
_SPLIT = re.compile(r"[\s/\-_=+|]+")

_CP1252_HIGH = {
    i: bytes([i]).decode("cp1252")
    for i in range(0x80, 0xA0)
    if i not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


def cp1252_text(data: bytes) -> str:
    """Decode bytes as Windows-1252, keeping the five undefined bytes as Latin-1."""
    return data.decode("latin-1").translate(_CP1252_HIGH)


@dataclass(frozen=True)
class Table:
    """A legacy -> Unicode map; keys are the Windows-1252 look-alike sequences."""

    name: str
    pairs: dict[str, str]
    longest: int


@cache
def table(name: str) -> Table:
    """Load ``extractor/data/encodings/<name>.tsv`` (see the README there)."""
    path = resources.files("extractor") / "data" / "encodings" / f"{name}.tsv"
    text = path.read_text(encoding="utf-8")
    pairs: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 2:
            raise ValueError(f"{name}.tsv line {number}: expected hex bytes, tab, letter")
        legacy = cp1252_text(bytes(int(h, 16) for h in fields[0].split()))
        if legacy in pairs:
            raise ValueError(f"{name}.tsv line {number}: duplicate sequence {fields[0]}")
        pairs[legacy] = unicodedata.normalize("NFC", fields[1])
    return Table(name, pairs, max(map(len, pairs)))


def convert(text: str, name: str) -> str:
    """Convert legacy look-alike text to Unicode with the table ``name`` (longest match)."""
    tab = table(name)
    if name == TCVN3:
        text = _undo_pdf_glyphs(text)
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        for size in range(min(tab.longest, n - i), 0, -1):
            hit = tab.pairs.get(text[i : i + size])
            if hit is not None:
                out.append(hit)
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    result = "".join(out)
    return restore_capitals(result) if name == TCVN3 else result


def _undo_pdf_glyphs(text: str) -> str:
    # Only next to a letter: a minus sign between digits stays a minus sign.
    if not any(c in text for c in _PDF_GLYPHS):
        return text
    chars = list(text)
    for i, c in enumerate(text):
        if c in _PDF_GLYPHS:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if before.isalpha() or after.isalpha():
                chars[i] = _PDF_GLYPHS[c]
    return "".join(chars)


_WORD = re.compile(r"[^\W\d_]+")


def restore_capitals(text: str) -> str:
    """Put back capitals TCVN3 cannot store, inside all-capital words and their neighbours.

    TCVN3 has no uppercase toned letters: "BÁO" is stored as "B" + "á" + "O" and drawn
    by a capitals-only font. A word whose ASCII letters are all capitals (two or more)
    is uppercased; a short word such as "Bộ" or "Về" is uppercased only when a word
    next to it on the same line was. "Số: 12/TB-VPCP" keeps its case.
    """
    lines = []
    for line in text.split("\n"):
        words = list(_WORD.finditer(line))
        caps = [_all_caps_word(m.group(0)) for m in words]
        for _ in range(2):  # spread to neighbours in both directions
            for i, m in enumerate(words):
                if caps[i] or not _could_be_caps(m.group(0)):
                    continue
                left = i > 0 and caps[i - 1] and _adjacent(line, words[i - 1], m)
                right = i + 1 < len(words) and caps[i + 1] and _adjacent(line, m, words[i + 1])
                caps[i] = bool(left or right)
        chars = list(line)
        for m, up in zip(words, caps):
            if up:
                chars[m.start() : m.end()] = m.group(0).upper()
        lines.append("".join(chars))
    return "\n".join(lines)


def _all_caps_word(word: str) -> bool:
    ascii_upper = sum(1 for c in word if c.isascii() and c.isupper())
    ascii_lower = any(c.isascii() and c.islower() for c in word)
    return ascii_upper >= 2 and not ascii_lower


def _could_be_caps(word: str) -> bool:
    return not any(c.isascii() and c.islower() for c in word) and any(
        not c.isascii() and c.islower() for c in word
    )


def _adjacent(line: str, a: re.Match, b: re.Match) -> bool:
    return line[a.end() : b.start()].strip(" ,") == ""


def syllable_ok(word: str) -> bool:
    """Is ``word`` a well-formed Vietnamese syllable (one tone mark at most)?"""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for c in decomposed if c in _TONES)
    if tones > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return _SYLLABLE.fullmatch(base) is not None


@dataclass(frozen=True)
class Score:
    """Words that read as Vietnamese vs. words with non-ASCII letters that do not."""

    valid: int
    invalid: int

    @property
    def value(self) -> int:
        return self.valid - self.invalid


def score(text: str) -> Score:
    """Count non-ASCII words that are (or are not) Vietnamese syllables.

    Plain ASCII words and numbers are the same under every decoding, so they are skipped.
    """
    valid = invalid = 0
    for token in _SPLIT.split(text):
        verdict = _verdict(token)
        if verdict is None:
            continue
        if verdict:
            valid += 1
        else:
            invalid += 1
    return Score(valid, invalid)


@lru_cache(maxsize=100_000)
def _verdict(token: str) -> bool | None:
    """Whether a split token is a Vietnamese syllable; None when it is not counted.
    Cached: a text's syllables recur (a 200 k-character text has 36 000 words, 0.8 s
    unmemoized, for a few thousand distinct ones)."""
    token = token.strip(_EDGE_PUNCT)
    if not token or token.isascii() or any(c.isdigit() for c in token):
        return None
    return syllable_ok(token)


def has_unicode_vietnamese(text: str) -> bool:
    """True when the text holds letters only Unicode (not a legacy font) can give."""
    return _UNICODE_VIETNAMESE.search(text) is not None


def detect(text: str) -> str | None:
    """Name of the legacy encoding ``text`` is written in, or ``None`` if it reads as is.

    A legacy reading must beat the text as it stands by two or more words and read as
    Vietnamese more often than not; otherwise the text is left alone.
    """
    if has_unicode_vietnamese(text):
        return None
    asis = score(text)
    best_name, best = None, asis
    for name in (TCVN3, VNI):
        candidate = score(convert(text, name))
        if candidate.value > best.value:
            best_name, best = name, candidate
    if best_name is None or best.value - asis.value < 2 or best.valid <= best.invalid:
        return None
    return best_name


def fix(text: str) -> tuple[str, str | None]:
    """Convert ``text`` if it is in a legacy encoding; return (text, encoding name or None)."""
    name = detect(text)
    if name is None:
        return text, None
    return unicodedata.normalize("NFC", convert(text, name)), name


def warning(name: str) -> str:
    """The warning a reader attaches after converting legacy text."""
    return f"legacy Vietnamese encoding {LEGACY_NAMES[name]} detected; converted to Unicode"
