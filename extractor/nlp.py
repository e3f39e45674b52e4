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

import hashlib
import importlib.util
import json
import re
import warnings
from functools import lru_cache
from os.path import join
from pathlib import Path
from typing import Callable, Iterable, Optional

import numpy
import spacy
import underthesea.pipeline.text_normalize  # noqa: F401  (first: see lazy_imports)
from spacy.attrs import IDX, ORTH, POS, TAG
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc
from spacy.vocab import Vocab
from underthesea.pipeline.word_tokenize import word_tokenize

from . import extensions  # noqa: F401  (registers doc._.vnx_text)
from .clean import RegionIndex
from .trie import phrase_regex

# underthesea's VLSP-2013 tags mapped to Universal POS.
UPOS = {
    "N": "NOUN", "Nc": "NOUN", "Nu": "NOUN", "Ny": "NOUN", "Nb": "NOUN", "Np": "PROPN",
    "V": "VERB", "Vb": "VERB", "Vy": "VERB", "A": "ADJ", "Ab": "ADJ", "P": "PRON",
    "R": "ADV", "L": "DET", "M": "NUM", "E": "ADP", "C": "CCONJ", "Cc": "CCONJ",
    "I": "INTJ", "T": "PART", "B": "X", "Y": "X", "S": "SYM", "X": "X", "Z": "X",
    "CH": "PUNCT",
}  # fmt: skip


@lru_cache(maxsize=4)
def _fixed_regex(words: tuple[str, ...]) -> Optional[re.Pattern]:
    """The kept-whole regex, built once for the rules and the model pipelines alike."""
    return phrase_regex(words)


class UndertheseaTokenizer:
    """Word segmentation by underthesea; the Doc text is exactly the input text."""

    def __init__(self, vocab: Vocab, fixed_words: Iterable[str] = (),
                 split_prefixes: Iterable[str] = ()):  # fmt: skip
        self.vocab = vocab
        self.fixed = _fixed_regex(tuple(fixed_words))
        # The CRF sometimes glues a sentence-initial verb to the name after it
        # ("Giao Phòng"); these verbs are split off again before a capital.
        self.split_prefixes = tuple(sorted({p.lower() + " " for p in split_prefixes}, key=len,
                                           reverse=True))  # fmt: skip
        self._segment_line = lru_cache(maxsize=50_000)(self._segment_line_uncached)
        # A line met again with one date changed still repeats its other chunks; the
        # cache is shared, so the model's pipeline reuses the rules' pattern phrases.
        self._words = _shared_words

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
            words = self._chunk_words(line[start:end])
            if words is None:  # underthesea altered a character: fall back to spaces
                return tuple((m.start(), m.end()) for m in re.finditer(r"\S+", line))
            out.extend((start + w0, start + w1) for w0, w1 in words)
        return tuple(out)

    def _chunk_words(self, chunk: str) -> Optional[list[tuple[int, int]]]:
        """(start, end) of each word in a chunk; None when underthesea altered a character.
        A cue verb glued to the next word is cut off it, and what follows the cut is
        segmented again ("yêu cầu thủ|trưởng" -> "yêu cầu|thủ trưởng")."""
        out: list[tuple[int, int]] = []
        pos = 0
        for word in self._words(chunk):
            found = chunk.find(word, pos)
            if found < 0:
                return None
            w0, w1 = found, found + len(word)
            cut = self._glued_prefix(word)
            if cut:
                out.append((w0, w0 + cut - 1))
                if not word[cut].isupper():  # a syllable of the next word: segment again
                    rest = self._chunk_words(chunk[w0 + cut:])
                    if rest is None:
                        return None
                    return out + [(w0 + cut + a, w0 + cut + b) for a, b in rest]
                w0 += cut
            out.append((w0, w1))
            pos = w1
        return out

    def _glued_prefix(self, word: str) -> int:
        """Length (with its space) of a cue verb glued to the word after it, else 0: before
        a capitalised name ("Giao Phòng" -> 5), or, for a cue of two syllables or more
        (which no longer word starts with), before a lowercase syllable ("yêu cầu thủ")."""
        if " " not in word:
            return 0
        low = word.lower()
        for prefix in self.split_prefixes:
            if not low.startswith(prefix) or len(word) <= len(prefix):
                continue
            if word[len(prefix)].isupper() or prefix.count(" ") > 1:
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
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc._.vnx_text = text
        return doc

    # The tokenizer holds no trained state. A saved pipeline reads the rule data shipped
    # with the package (the tokenizer's fixed phrases, and every rule component's data):
    # what it writes is the hash of that data, checked when the pipeline is loaded.
    def to_bytes(self, **kwargs) -> bytes:
        return json.dumps(rule_data_pin(), sort_keys=True).encode("utf-8")

    def from_bytes(self, data: bytes, **kwargs) -> UndertheseaTokenizer:
        if data:
            check_rule_data(json.loads(data.decode("utf-8")))
        return self

    def to_disk(self, path, **kwargs) -> None:
        Path(path).write_bytes(self.to_bytes())

    def from_disk(self, path, **kwargs) -> UndertheseaTokenizer:
        path = Path(path)
        return self.from_bytes(path.read_bytes() if path.is_file() else b"")


class RuleDataMismatch(UserWarning):
    """A saved pipeline was written with other rule data than the package now holds."""


def rule_data_pin() -> dict:
    """What a saved pipeline records of the rule data its components read: the hash of the
    shipped files and of the user's overlay folder ($EXTRACTOR_RULES), if one is set."""
    from .resources import rule_data_hash, user_rules_folder

    folder = user_rules_folder()
    return {"rule_data_hash": rule_data_hash(),
            "user_rules_hash": _folder_hash(folder) if folder else None}  # fmt: skip


def _folder_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(folder).as_posix()}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def check_rule_data(saved: dict) -> None:
    """Warn when a pipeline saved with other rule data is loaded: its components read the
    current data, its span rulers the patterns saved with it, so its output may differ."""
    if saved != rule_data_pin():
        warnings.warn("this pipeline was saved with other rule data than the installed "
                      "package holds: its output may differ from extract(); save it again "
                      "with this version", RuleDataMismatch, stacklevel=2)  # fmt: skip


def _words(chunk: str) -> tuple[str, ...]:
    if not chunk.strip():
        return ()
    return tuple(word_tokenize(chunk, use_token_normalize=False))


# A chunk's words depend on the chunk alone: one cache for every tokenizer.
_shared_words = lru_cache(maxsize=100_000)(_words)


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
        from .resources import cue_functions, cue_lexicon, fixed_phrases

        assigning = cue_functions().with_flag("introduces_actor")
        verbs = [c.phrase for c in cue_lexicon().cues if c.function in assigning]
        return UndertheseaTokenizer(nlp.vocab, fixed_phrases() if use_gazetteer else (), verbs)

    return make


@lru_cache(maxsize=1)
def _pos_model():
    from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger

    # The package's folder only: importing it would load an older tagger's 74 000-word
    # dictionary, which this one does not read.
    folder = importlib.util.find_spec("underthesea.pipeline.pos_tag").submodule_search_locations[0]
    model = FastCRFSequenceTagger()
    model.load(join(folder, "models", "pos_crf_vlsp2013_20230303"))
    return model


class UndertheseaPOS:
    """Tags the non-space tokens one line at a time (the CRF's context), outside the
    regions the cleaner skipped (nothing reads tags there); a repeated line is tagged once."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self._tag_line = lru_cache(maxsize=50_000)(_tag_line)

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        # Words from the ORTH column: making a Token per word costs more than the lookup.
        words = [strings[orth] for orth in doc.to_array(ORTH).tolist()]
        starts = doc.to_array(IDX).tolist()
        skipped = RegionIndex(doc._.vnx_skipped or [])
        tags = [(0, 0)] * len(words)  # no tag, no POS
        line: list[int] = []
        for i, word in enumerate([*words, "\n"]):  # a final line end closes the last line
            if "\n" in word:
                if line and not skipped.within_one(starts[line[0]],
                                                   starts[line[-1]] + len(words[line[-1]])):
                    for j, (tag, pos) in zip(line, self._tag_line(tuple(words[j] for j in line))):
                        tags[j] = (strings.add(tag), pos)
                line = []
            elif not word.isspace():
                line.append(i)
        doc.from_array([TAG, POS], numpy.array(tags, dtype="uint64").reshape(-1, 2))
        return doc


def _tag_line(words: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """(VLSP tag, Universal POS id) of each word of one line."""
    out = []
    for tag in _pos_model().predict([[w] for w in words]):
        tag = tag[2:] if tag[:2] in ("B-", "I-") else tag
        out.append((tag, POS_IDS[UPOS.get(tag, "X")]))
    return tuple(out)


@Language.factory("underthesea_pos", assigns=["token.tag", "token.pos"])
def create_pos(nlp: Language, name: str) -> UndertheseaPOS:
    return UndertheseaPOS(nlp, name)
