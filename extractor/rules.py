"""Stage 5: rule components. Cues and actors are spaCy SpanRulers fed from data
files; deadlines come from the regex rules of :mod:`extractor.deadlines`.

Span groups written: ``doc.spans["cues"]`` (label = cue function, id = cue id),
``doc.spans["actors"]`` (label ``ACTOR``, id = gazetteer entry or pattern id),
``doc.spans["deadlines"]`` (label ``DEADLINE``, id = deadline rule id).
"""

from __future__ import annotations

import warnings
from typing import Optional

from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span
from spacy.util import registry

from .clean import RegionIndex
from .extensions import text_of
from .normalize import normalize_text
from .resources import cue_lexicon, discourse_actors


@registry.misc("extractor.cue_patterns.v1")
def cue_patterns() -> list[dict]:
    """SpanRuler phrase patterns for every cue of ``data/cues.json``."""
    return [
        {"label": c.function, "pattern": c.phrase, "id": c.id} for c in cue_lexicon().cues
    ]


@registry.misc("extractor.actor_patterns.v1")
def actor_patterns() -> list[dict]:
    """SpanRuler patterns for actors: gazetteer names and generic agency forms."""
    from .gazetteer import get_gazetteer

    gaz = get_gazetteer()
    patterns = [
        {"label": "ACTOR", "pattern": form, "id": gaz.pattern_id(form)}
        for form in gaz.surface_forms()
    ]
    for group in discourse_actors().groups:
        patterns += [
            {"label": "ACTOR", "pattern": normalize_text(phrase), "id": group.id}
            for phrase in group.phrases
        ]
        patterns += [
            {"label": "ACTOR", "pattern": [dict(t) for t in tokens], "id": group.id}
            for tokens in group.token_patterns
        ]
    return patterns + gaz.span_patterns()


class DeadlineFinder:
    """Marks deadline expressions found by the rules in ``data/deadline_patterns.json``."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        from .deadlines import find_deadlines

        spans, matches = [], {}
        for m in find_deadlines(text_of(doc)):
            span = doc.char_span(m.start, m.end, label="DEADLINE", alignment_mode="expand")
            if span is not None:
                span.id_ = m.rule
                spans.append(span)
                # The deadline reader reads each span by the match that found it.
                matches[(span.start_char, span.end_char)] = m
        doc.spans["deadlines"] = outside_skipped(doc, spans)
        doc._.vnx_deadline_matches = matches
        return doc


@Language.factory("deadline_finder", assigns=["doc.spans", "doc._.vnx_deadline_matches"])
def create_deadline_finder(nlp: Language, name: str) -> DeadlineFinder:
    return DeadlineFinder(nlp, name)


def longest_spans(spans) -> list[Span]:
    """Non-overlapping spans, longest first, then leftmost (spaCy's filter_spans)."""
    from spacy.util import filter_spans

    return filter_spans(list(spans))


DASHES = frozenset({"-", "\u2013"})  # "Phòng Tài nguyên – Môi trường" (C11)


class OrganizationFinder:
    """Actors no gazetteer lists: a capitalised head noun and the name after it.

    Runs after POS: "Tập đoàn Điện lực Việt Nam", "Trung tâm Phát triển quỹ đất
    tỉnh", "Công ty TNHH MTV ... (ACV)", and "các hiệp hội ngành hàng". A span
    the gazetteer already found wins (the longest span is kept downstream).
    """

    MAX_TOKENS = 12

    def __init__(self, nlp: Language, name: str):
        from .resources import function_words, organizations

        data = organizations()
        self.name = name
        self.heads = {normalize_text(h).lower() for h in data.heads}
        self.collective = {normalize_text(h).lower() for h in data.collective_heads}
        self.stop = {normalize_text(w).lower() for w in data.stop_words}
        self.plural = frozenset(function_words().plural)  # "các"
        self.conjunctions = frozenset(function_words().conjunctions)  # "và"
        self.open_ids = frozenset(g.id for g in discourse_actors().groups if g.open_name)

    def _name_part(self, tok) -> bool:
        if tok.is_space or tok.lower_ in self.stop:
            return False
        if _capitalised(tok):
            return True
        return tok.pos_ in ("NOUN", "PROPN", "NUM") and tok.text.replace(" ", "").isalnum()

    def _name_goes_on(self, tok) -> bool:
        """After "và" inside a name: a word of the name, not a second body or a plural."""
        low = tok.lower_
        if low in self.plural or low in self.heads or low in self.collective or low in self.stop:
            return False
        return _capitalised(tok) or (tok.pos_ == "NOUN" and tok.text.replace(" ", "").isalpha())

    def _extend(self, doc: Doc, j: int) -> int:
        end = j
        while end < len(doc) and end - j < self.MAX_TOKENS:
            tok = doc[end]
            if tok.text == "(" and end + 2 < len(doc) and doc[end + 2].text == ")" \
                    and doc[end + 1].is_upper:  # fmt: skip
                end += 3  # "(ACV)"
                break
            if tok.text in DASHES and end + 1 < len(doc) and (
                    _capitalised(doc[end + 1])
                    or end > j and self._name_part(doc[end + 1])):  # fmt: skip
                end += 1  # "Lao động - Thương binh", "các tổ chức chính trị - xã hội"
                continue
            if tok.lower_ in self.plural and end + 1 < len(doc) and _capitalised(doc[end + 1]):
                end += 1  # "Ban Quản lý các Khu công nghiệp ..."
                continue
            if tok.lower_ in self.conjunctions and end > j and end + 1 < len(doc) \
                    and self._name_goes_on(doc[end + 1]):  # fmt: skip
                end += 1  # "Quỹ Phát triển khoa học và công nghệ quốc gia"
                continue
            if not self._name_part(tok):
                break
            end += 1
        return end

    def __call__(self, doc: Doc) -> Doc:
        found = list(doc.spans.get("actors", []))
        known = len(found)
        strings = doc.vocab.strings
        # Only the words that can open a name become Tokens: making one per word costs more.
        lowers = [strings[h] for h in doc.to_array(LOWER).tolist()]
        known_starts = {s.start for s in found}
        for i, low in enumerate(lowers):
            if low not in self.heads and low not in self.plural:
                if " " in low and i not in known_starts and self._glued_head(doc[i]):
                    span = Span(doc, i, self._extend(doc, i + 1), label="ACTOR")
                    span.id_ = "actor.organization_head"
                    found.append(span)
                continue
            tok = doc[i]
            if low in self.heads and _capitalised(tok) and tok.i + 1 < len(doc):
                nxt = doc[tok.i + 1]
                if _capitalised(nxt) or nxt.lower_ in self.plural:
                    end = self._extend(doc, tok.i + 1)
                    if end > tok.i + 1:
                        span = Span(doc, tok.i, end, label="ACTOR")
                        span.id_ = "actor.organization_head"
                        found.append(span)
            elif low in self.plural and tok.i + 1 < len(doc) \
                    and doc[tok.i + 1].lower_ in self.collective:  # fmt: skip
                end = self._extend(doc, tok.i + 2)
                span = Span(doc, tok.i, end, label="ACTOR")
                span.id_ = "actor.collective_head"
                found.append(span)
        found += self._open_names(doc, found[:known])
        doc.spans["actors"] = found[:known] + outside_skipped(doc, found[known:])
        return doc

    def _glued_head(self, tok) -> bool:
        """"Phòng Tài nguyên và Môi trường" as one word: the segmenter glued a capitalised
        head to the capitalised name after it, so the token is a name by itself."""
        text = tok.text
        if not text[:1].isupper():
            return False
        low = tok.lower_
        return any(low.startswith(h + " ") and text[len(h) + 1 : len(h) + 2].isupper()
                   for h in self.heads)  # fmt: skip

    def _open_names(self, doc: Doc, spans) -> list[Span]:
        """"các cơ quan" + "hành chính", "các đơn vị" + "điện lực": a collective of an
        ``open_name`` group narrowed by the nouns after it (no cue starts among them)."""
        cue_starts = {s.start for s in doc.spans.get("cues", [])}
        out = []
        for span in spans:
            if span.id_ not in self.open_ids:
                continue
            end = span.end
            while end < len(doc) and end - span.end < self.MAX_TOKENS and end not in cue_starts:
                if doc[end].lower_ in self.plural and end + 1 < len(doc) \
                        and self._name_part(doc[end + 1]):  # fmt: skip
                    end += 1  # "Ban Quản lý dự án đầu tư xây dựng các công trình ..."
                elif doc[end].lower_.split(" ")[0] in self.plural:
                    end += 1  # "Ban Chỉ huy ... " + "các huyện": the places it serves
                elif self._name_part(doc[end]) and not doc[end].is_punct:
                    end += 1
                else:
                    break
            if end > span.end:
                longer = Span(doc, span.start, end, label="ACTOR")
                longer.id_ = span.id_
                out.append(longer)
        return out


def _capitalised(tok) -> bool:
    """'Tập đoàn', 'Điện lực', 'TNHH': a name starts with a capital (istitle wants all)."""
    return tok.text[:1].isupper()


@Language.factory("organization_finder", assigns=["doc.spans"], requires=["token.pos"])
def create_organization_finder(nlp: Language, name: str) -> OrganizationFinder:
    return OrganizationFinder(nlp, name)


class WindowedSpanRuler(SpanRuler):
    """spaCy's SpanRuler, its token patterns tried only where one can match.

    The Matcher starts every token pattern at every token and evaluates ``IN`` and
    ``REGEX`` predicates in Python: the 23 actor patterns cost five times the 1 200
    phrases. Here each distinct word is checked once against the patterns' first
    token specs (can it start a match?) and against all later specs (can it continue
    one?). The Matcher then runs only on windows that open at a possible first token
    and run through the tokens that can continue: a match can reach no further, so the
    matches are exactly the Matcher's own over the whole Doc. Patterns whose specs
    are not all per-word (POS, extension attributes, wildcards, negation, an optional
    first token) make it fall back to the whole Doc.
    """

    START, CONTINUE = 1, 2
    # Token attributes that depend on the word alone, so a verdict per word is safe.
    WORD_ATTRS = frozenset({
        "ORTH", "TEXT", "LOWER", "LENGTH", "SHAPE", "PREFIX", "SUFFIX", "LIKE_NUM",
        "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE",
        "IS_PUNCT", "IS_SPACE", "IS_BRACKET", "IS_QUOTE", "IS_CURRENCY",
    })  # fmt: skip

    def clear(self) -> None:
        super().clear()
        self._word_kinds: Optional[dict[int, int]] = None
        self._windowed = False

    def add_patterns(self, patterns: list) -> None:
        # spaCy makes each phrase pattern's Doc with the components before the ruler, but
        # when the phrase matcher reads an attribute of the word alone (LOWER here), they
        # cannot change what it reads: the tokenizer alone makes the pattern Docs.
        with self.nlp.select_pipes(disable=self._components_before() if self._word_attr()
                                   else []):  # fmt: skip
            super().add_patterns(patterns)
        self._prepare()

    def _word_attr(self) -> bool:
        attr = self.phrase_matcher_attr
        return attr in (None, ORTH, LOWER) or (isinstance(attr, str)
                                               and attr.upper() in self.WORD_ATTRS)  # fmt: skip

    def _components_before(self) -> list[str]:
        names = []
        for name, pipe in self.nlp.pipeline:
            if pipe is self:
                return names
            names.append(name)
        return []  # not in the pipeline: spaCy runs none of them either

    def remove(self, label: str) -> None:
        super().remove(label)
        self._prepare()

    def remove_by_id(self, pattern_id: str) -> None:
        super().remove_by_id(pattern_id)
        self._prepare()

    def _prepare(self) -> None:
        token_patterns = [p["pattern"] for p in self._patterns if isinstance(p["pattern"], list)]
        specs = [spec for pattern in token_patterns for spec in pattern]
        self._windowed = all(
            spec and spec.get("OP") != "!"
            and all(k == "OP" or k.upper() in self.WORD_ATTRS for k in spec)
            for spec in specs
        ) and all(pattern and "OP" not in pattern[0] for pattern in token_patterns)
        if not self._windowed:
            return
        strip = lambda spec: {k: v for k, v in spec.items() if k != "OP"}  # noqa: E731
        self._starts = Matcher(self.nlp.vocab)
        self._continues = Matcher(self.nlp.vocab)
        if token_patterns:
            self._starts.add("START", [[strip(p[0])] for p in token_patterns])
        later = [[strip(spec)] for p in token_patterns for spec in p[1:]]
        if later:
            self._continues.add("CONTINUE", later)
        self._word_kinds = {}

    def _kind(self, orth: int) -> int:
        kind = self._word_kinds.get(orth)
        if kind is None:
            word = Doc(self.nlp.vocab, words=[self.nlp.vocab.strings[orth]], spaces=[False])
            kind = (self.START if self._starts(word) else 0) | (
                self.CONTINUE if self._continues(word) else 0)
            self._word_kinds[orth] = kind
        return kind

    def _token_matches(self, doc: Doc) -> list:
        if not self._windowed:
            return list(self.matcher(doc))
        if not len(self._starts):
            return []
        orths = doc.to_array(ORTH).tolist()
        known = self._word_kinds.get
        kinds = [known(orth) for orth in orths]
        if None in kinds:  # words met for the first time
            kinds = [self._kind(orth) for orth in orths]
        matches, i, n = [], 0, len(kinds)
        while i < n:
            if kinds[i] & self.START:
                end = i + 1
                while end < n and kinds[end] & self.CONTINUE:
                    end += 1
                # The Matcher gives offsets into the window.
                matches += [(m_id, i + s, i + e) for m_id, s, e in self.matcher(doc[i:end])]
                i = end
            else:
                i += 1
        return matches

    def match(self, doc: Doc):
        self._require_patterns()
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="\\[W036")
            matches = self._token_matches(doc) + list(self.phrase_matcher(doc))
        found = {
            Span(doc, start, end, label=self._match_label_id_map[m_id]["label"],
                 span_id=self._match_label_id_map[m_id]["id"])
            for m_id, start, end in matches
            if start != end
        }  # fmt: skip
        return sorted(outside_skipped(doc, found))


def outside_skipped(doc: Doc, spans):
    """The spans that do not start in a region the cleaner skipped (it runs first, so no
    later stage has to mask them again)."""
    regions = doc._.vnx_skipped or []
    if not regions:
        return list(spans)
    index = RegionIndex(regions)
    return [s for s in spans if not index.holds(s.start_char)]


@Language.factory(
    "windowed_span_ruler",
    assigns=["doc.spans"],
    default_config={"spans_key": "ruler", "phrase_matcher_attr": None, "validate": False,
                    "overwrite": True},
)  # fmt: skip
def create_windowed_span_ruler(nlp: Language, name: str, spans_key: Optional[str],
                               phrase_matcher_attr: Optional[str], validate: bool,
                               overwrite: bool) -> WindowedSpanRuler:  # fmt: skip
    return WindowedSpanRuler(nlp, name, spans_key=spans_key, validate=validate,
                             phrase_matcher_attr=phrase_matcher_attr, overwrite=overwrite)
