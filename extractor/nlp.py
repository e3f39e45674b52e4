"""Stage 4: the spaCy ``Language`` on underthesea word segmentation, with POS.

The tokenizer is registered (``extractor.UndertheseaTokenizer.v1``), so the
whole pipeline is built from ``pipeline.cfg``. It segments line by line (a
repeated line costs nothing the second time) and keeps the gazetteer's names
whole ("Bộ Kế hoạch và Đầu tư" is one token), so no later stage splits a
ministry on its "và" or a collective actor on its commas.

The POS component tags with underthesea's VLSP-2013 CRF tagger on the
tokens the tokenizer made (``underthesea.pos_tag`` would re-segment the text).
"""

from __future__ import annotations

import re
from functools import lru_cache
from os.path import dirname, join
from typing import Callable, Iterable, Optional

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab
from underthesea import word_tokenize

# underthesea's VLSP-2013 tags mapped to Universal POS.
UPOS = {
    "N": "NOUN", "Nc": "NOUN", "Nu": "NOUN", "Ny": "NOUN", "Nb": "NOUN", "Np": "PROPN",
    "V": "VERB", "Vb": "VERB", "Vy": "VERB", "A": "ADJ", "Ab": "ADJ", "P": "PRON",
    "R": "ADV", "L": "DET", "M": "NUM", "E": "ADP", "C": "CCONJ", "Cc": "CCONJ",
    "I": "INTJ", "T": "PART", "B": "X", "Y": "X", "S": "SYM", "X": "X", "Z": "X",
    "CH": "PUNCT",
}  # fmt: skip


def phrase_regex(phrases: Iterable[str]) -> Optional[re.Pattern]:
    """One case-insensitive regex matching any phrase whole, longest first.

    Built as a character trie so its cost does not grow with the number of
    phrases (a flat alternation of a thousand names would be tried one by one).
    """
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for ch in phrase.lower():
            node = node.setdefault(ch, {})
        node[""] = {}
    if not trie:
        return None

    def build(node: dict) -> str:
        alts, optional = [], "" in node
        for ch in sorted(k for k in node if k):
            alts.append(re.escape(ch) + build(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if optional else body

    return re.compile(r"(?<!\w)" + build(trie) + r"(?!\w)", re.IGNORECASE)


class UndertheseaTokenizer:
    """Word segmentation by underthesea; the Doc text is exactly the input text."""

    def __init__(self, vocab: Vocab, fixed_words: Iterable[str] = (),
                 split_prefixes: Iterable[str] = ()):  # fmt: skip
        self.vocab = vocab
        self.fixed = phrase_regex(fixed_words)
        # The CRF sometimes glues a sentence-initial verb to the name after it
        # ("Giao Phòng"); these verbs are split off again before a capital.
        self.split_prefixes = tuple(sorted({p.lower() + " " for p in split_prefixes}, key=len,
                                           reverse=True))  # fmt: skip
        self._segment_line = lru_cache(maxsize=50_000)(self._segment_line_uncached)

    def _words(self, chunk: str) -> list[str]:
        if not chunk.strip():
            return []
        return word_tokenize(chunk, use_token_normalize=False)

    def _segment_line_uncached(self, line: str) -> tuple[tuple[int, int], ...]:
        """(start, end) of each word in the line."""
        pieces: list[tuple[int, int, bool]] = []  # (start, end, fixed)
        cursor = 0
        if self.fixed is not None:
            for m in self.fixed.finditer(line):
                pieces.append((cursor, m.start(), False))
                pieces.append((m.start(), m.end(), True))
                cursor = m.end()
        pieces.append((cursor, len(line), False))
        out: list[tuple[int, int]] = []
        for start, end, fixed in pieces:
            if fixed:
                out.append((start, end))
                continue
            chunk = line[start:end]
            pos = 0
            for word in self._words(chunk):
                found = chunk.find(word, pos)
                if found < 0:  # underthesea altered a character: fall back to spaces
                    return tuple(
                        (m.start(), m.end()) for m in re.finditer(r"\S+", line)
                    )
                w0, w1 = start + found, start + found + len(word)
                cut = self._glued_prefix(word)
                if cut:
                    out.append((w0, w0 + cut - 1))
                    w0 += cut
                out.append((w0, w1))
                pos = found + len(word)
        return tuple(out)

    def _glued_prefix(self, word: str) -> int:
        """Length of a cue verb glued to a capitalised name ("Giao Phòng" -> 5), else 0."""
        if " " not in word:
            return 0
        low = word.lower()
        for prefix in self.split_prefixes:
            if low.startswith(prefix) and len(word) > len(prefix) and word[len(prefix)].isupper():
                return len(prefix)
        return 0

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        offset = 0
        for line in text.split("\n"):
            cursor = 0
            for start, end in self._segment_line(line):
                gap = line[cursor:start]
                if gap and gap != " ":
                    _add_gap(words, spaces, gap)
                elif gap == " " and words:
                    spaces[-1] = True
                words.append(line[start:end])
                spaces.append(False)
                cursor = end
            tail = line[cursor:]
            if tail:
                _add_gap(words, spaces, tail)
            offset += len(line) + 1
            if offset <= len(text):
                _add_gap(words, spaces, "\n")
        return Doc(self.vocab, words=words, spaces=spaces)

    # The tokenizer holds no trained state: serialization writes nothing.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> UndertheseaTokenizer:
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> UndertheseaTokenizer:
        return self


def _add_gap(words: list[str], spaces: list[bool], gap: str) -> None:
    """Whitespace between words: a trailing space flag, or whitespace tokens."""
    if gap.startswith(" ") and words and not spaces[-1]:
        spaces[-1] = True
        gap = gap[1:]
    if not gap:
        return
    if words and not spaces[-1] and words[-1].isspace():
        words[-1] += gap
    else:
        words.append(gap)
        spaces.append(False)


@spacy.registry.tokenizers("extractor.UndertheseaTokenizer.v1")
def create_tokenizer(use_gazetteer: bool = True) -> Callable[[Language], UndertheseaTokenizer]:
    """Registered factory: underthesea segmentation, gazetteer names kept whole."""

    def make(nlp: Language) -> UndertheseaTokenizer:
        from .resources import cue_lexicon, fixed_phrases

        verbs = [c.phrase for c in cue_lexicon().cues
                 if c.function in ("assign", "require", "request", "permit")]  # fmt: skip
        return UndertheseaTokenizer(nlp.vocab, fixed_phrases() if use_gazetteer else (), verbs)

    return make


@lru_cache(maxsize=1)
def _pos_model():
    from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger
    from underthesea.pipeline import pos_tag as pos_pkg

    model = FastCRFSequenceTagger()
    model.load(join(dirname(pos_pkg.__file__), "models", "pos_crf_vlsp2013_20230303"))
    return model


class UndertheseaPOS:
    """Tags every non-space token, one line at a time (the CRF's context)."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        model = _pos_model()
        line: list = []
        for token in [*doc, None]:
            if token is None or "\n" in token.text:
                if line:
                    tags = model.predict([[t.text] for t in line])
                    for t, tag in zip(line, tags):
                        tag = tag[2:] if tag[:2] in ("B-", "I-") else tag
                        t.tag_ = tag
                        t.pos_ = UPOS.get(tag, "X")
                    line = []
            elif not token.is_space:
                line.append(token)
        return doc


@Language.factory("underthesea_pos", assigns=["token.tag", "token.pos"])
def create_pos(nlp: Language, name: str) -> UndertheseaPOS:
    return UndertheseaPOS(nlp, name)
