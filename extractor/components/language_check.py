"""spaCy component: a warning when the text is not Vietnamese (English, Chinese, or
Vietnamese typed without its marks), so that an empty result is explained rather than
silent. It reads the syllable check of the legacy-encoding detector: the share of words
that are Vietnamese syllables with their marks."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import text_of
from ..readers.legacy import score

MIN_WORDS = 30  # shorter texts (a one-line test, a title) are not judged
MIN_SHARE = 0.10  # Vietnamese prose has marks on more than half of its syllables
_WORD = re.compile(r"[^\W\d_]+")


def _words(run: str) -> int:
    # Scripts written without spaces (Chinese, Japanese, Thai) count a word per letter.
    return 1 if all(c <= "\u1eff" for c in run) else len(run)


def vietnamese_share(text: str) -> tuple[int, int]:
    """(words that are marked Vietnamese syllables, all words) in ``text``."""
    return score(text).valid, sum(_words(run) for run in _WORD.findall(text))


class LanguageCheck:
    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        marked, words = vietnamese_share(text_of(doc))
        if words >= MIN_WORDS and marked < MIN_SHARE * words:
            warnings = list(doc._.vnx_warnings or [])
            warnings.append(f"the text does not look like Vietnamese ({marked} of {words} "
                            "words are Vietnamese syllables with their marks): directives "
                            "are read from Vietnamese text only")  # fmt: skip
            doc._.vnx_warnings = warnings
        return doc


@Language.factory("language_check", assigns=["doc._.vnx_warnings"])
def create_language_check(nlp: Language, name: str) -> LanguageCheck:
    return LanguageCheck(name)
