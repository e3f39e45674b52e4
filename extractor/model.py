"""Stage 7: the trained components and how they vote with the rules.

The model is a small spaCy pipeline (``models/directives.cfg``) run over one
sentence at a time: ``spancat`` scores the candidate clauses that the rule
segmenter proposes (its suggester reads them from ``doc.spans``), ``ner``
marks role spans. In ``hybrid`` mode (the default):

- rules propose and the model scores: a rule directive's confidence becomes
  ``RULE_WEIGHT * rule + (1 - RULE_WEIGHT) * model``; one the model finds
  very unlikely (score < ``VETO``) is dropped unless the rules were sure;
- the model proposes where no rule fired: a clause scoring at least
  ``PROPOSE`` becomes a directive, its action and actor from the role spans;
- role spans from the model fill the fields the rules left empty.

In ``model`` mode the model's proposals alone are returned.
"""

from __future__ import annotations

import bisect
import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence

import numpy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example
from spacy.util import minibatch, registry
from spacy.vocab import Vocab
from thinc.api import Ragged, get_current_ops

from .assemble import ClauseContext, DirectiveRecord, Origin, Ref, doc_index
from .clean import RegionIndex
from .extensions import text_of
from .fields import fields
from .model_features import FEATURES_KEY, attach, document_features

CANDIDATES_KEY = "clause_candidates"
DIRECTIVES_KEY = "directives"
MODALITY_LABELS = {"OBLIGATION": "obligation", "PROHIBITION": "prohibition",
                   "RECOMMENDATION": "recommendation", "PERMISSION": "permission"}  # fmt: skip
# Tuned on the dev split (never on test): see README "Results".
RULE_WEIGHT = 0.5
VETO = 0.03
VETO_UNLESS_RULE = 0.75
PROPOSE = 0.7


SCORE_DIGITS = 4  # the model's clause score as the output keeps it


@dataclass(frozen=True)
class Vote:
    """The vote's thresholds (``pipeline.cfg`` sets them on the directive_model)."""

    rule_weight: float = RULE_WEIGHT
    veto: float = VETO
    veto_unless_rule: float = VETO_UNLESS_RULE
    propose: float = PROPOSE
# Words the tagger may add to a rule's actor ("UBND các xã" + ", thị trấn"); a longer
# span has swallowed a clause.
MAX_ACTOR_EXTENSION = 6


def models_dir() -> Path:
    """Where trained pipelines live: $EXTRACTOR_MODELS, else the repository's models/."""
    env = os.environ.get("EXTRACTOR_MODELS")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "models"


# -- registered pieces the training config names ------------------------------------


@registry.misc("extractor.clause_suggester.v1")
def build_clause_suggester(spans_key: str = CANDIDATES_KEY) -> Callable:
    """spancat suggester: the clauses the rule segmenter proposed, stored on the doc."""

    def suggest(docs: Iterable[Doc], *, ops=None) -> Ragged:
        ops = ops or get_current_ops()
        spans: list[tuple[int, int]] = []
        lengths: list[int] = []
        for doc in docs:
            found = [(s.start, s.end) for s in doc.spans.get(spans_key, [])]
            spans.extend(found)
            lengths.append(len(found))
        lengths_array = ops.asarray1i(lengths)
        if spans:
            return Ragged(ops.asarray2i(spans), lengths_array)
        return Ragged(ops.xp.zeros((0, 0), dtype="i"), lengths_array)

    return suggest


@registry.readers("extractor.ClauseCorpus.v1")
def clause_corpus(path: Path) -> Callable[[Language], Iterator[Example]]:
    """Examples whose predicted docs keep the clause candidates of the reference."""

    def read(nlp: Language) -> Iterator[Example]:
        for ref in DocBin().from_disk(path).get_docs(nlp.vocab):
            yield Example(copy_with_candidates(ref), ref)

    return read


def copy_with_candidates(ref: Doc) -> Doc:
    words = [t.text for t in ref]
    spaces = [bool(t.whitespace_) for t in ref]
    doc = Doc(ref.vocab, words=words, spaces=spaces)
    doc.spans[CANDIDATES_KEY] = [doc[s.start : s.end] for s in ref.spans.get(CANDIDATES_KEY, [])]
    if FEATURES_KEY in ref.user_data:  # the rules' readings are input, like the words
        doc.user_data[FEATURES_KEY] = ref.user_data[FEATURES_KEY]
    return doc


# -- sentence docs shared by training and inference --------------------------------


@dataclass
class SentenceView:
    """One sentence of a processed document: its words, clause candidates and offsets.
    The small Doc the model reads is made only when asked for (most sentences are not
    read, or were read before)."""

    words: tuple[str, ...]
    spaces: tuple[bool, ...]
    token_offsets: tuple[int, ...]  # character offset of each word in the document
    candidates: tuple[tuple[int, int], ...]  # clause candidates, token ranges of the sentence
    clauses: list[tuple[int, int]]  # the same clauses as char ranges in the document
    offset: int  # character offset of the sentence in the document
    end: int  # offset + the sentence's length
    vocab: Vocab
    features: tuple[tuple[str, ...], ...] = ()  # the rules' readings of each word

    @cached_property
    def doc(self) -> Doc:
        sent = Doc(self.vocab, words=list(self.words), spaces=list(self.spaces))
        sent.spans[CANDIDATES_KEY] = [sent[k0:k1] for k0, k1 in self.candidates]
        sent.user_data["token_offsets"] = list(self.token_offsets)
        attach(sent, self.features or None)
        return sent

    @cached_property
    def key(self) -> tuple:
        """What the model's reading depends on: the words with their spaces, the candidates,
        the rules' readings of the words."""
        return (tuple(w + " " if sp else w for w, sp in zip(self.words, self.spaces)),
                self.candidates, self.features)  # fmt: skip


def sentence_views(doc: Doc, vocab=None,
                   wanted: Optional[Callable[[SentenceView], bool]] = None) -> list[SentenceView]:
    """Every non-skipped sentence of a rule-processed Doc (Docs made with ``vocab``),
    or those ``wanted`` says."""
    vocab = doc.vocab if vocab is None else vocab
    sentences = doc_index(doc).sentences()  # the clause_splitter's
    views = []
    readings = None  # read once per document, when a sentence is wanted
    for block in doc._.vnx_blocks or []:
        for s_start, s_end in block.sentences:
            tokens, clauses = sentences[s_start, s_end]
            if not tokens:
                continue
            words = tuple(t.text for t in tokens)
            spaces = tuple(bool(t.whitespace_) for t in tokens)
            index = {t.i: k for k, t in enumerate(tokens)}
            candidates = tuple((index[c[0].i], index[c[-1].i] + 1) for c in clauses)
            ranges = [(c[0].idx, c[-1].idx + len(c[-1].text)) for c in clauses]
            offset = tokens[0].idx
            view = SentenceView(words, spaces, tuple(t.idx for t in tokens), candidates, ranges,
                                offset, offset + sum(map(len, words)) + sum(spaces), vocab)
            if wanted is None or wanted(view):
                readings = readings or document_features(doc)
                view.features = readings.of([t.i for t in tokens])
                views.append(view)
    return views


def _char_span(sent: Doc, start: int, end: int) -> Optional[Span]:
    """A span of the sentence doc from document offsets, or None when it does not align."""
    offsets = sent.user_data["token_offsets"]
    first = next((k for k, o in enumerate(offsets) if o == start), None)
    last = next((k for k, t in enumerate(sent) if offsets[k] + len(t.text) == end), None)
    if first is None or last is None or last < first:
        return None
    return sent[first : last + 1]


@dataclass
class TrainingStats:
    sentences: int = 0
    directives: int = 0
    directive_clauses: int = 0
    unsuggested: int = 0  # gold directives no candidate clause holds
    role_spans: int = 0
    misaligned: list[str] = field(default_factory=list)
    overlapping: int = 0


def training_docs(corpus_docs, nlp_rules: Language, stats: TrainingStats) -> list[Doc]:
    """Sentence docs with gold clause labels (spancat) and role spans (ner)."""
    from spacy.util import filter_spans

    out = []
    for cdoc in corpus_docs:
        doc = nlp_rules(cdoc.text)
        gold = cdoc.gold.directives
        stats.directives += len(gold)
        placed = set()
        for view in sentence_views(doc):
            sent = view.doc
            s0 = view.offset
            s1 = s0 + len(sent.text)
            labels: list[Span] = []
            roles: list[Span] = []
            for gi, d in enumerate(gold):
                a0, a1 = d.action.start, d.action.end
                if not (s0 <= a0 < s1):
                    continue
                best = max(range(len(view.clauses)), default=None,
                           key=lambda k: _overlap(view.clauses[k], (a0, a1)))  # fmt: skip
                if best is not None and _overlap(view.clauses[best], (a0, a1)) > 0:
                    cand = sent.spans[CANDIDATES_KEY][best]
                    labels.append(Span(sent, cand.start, cand.end, label=d.modality.value.upper()))
                    placed.add(gi)
                for name, span in _role_spans(d):
                    if span.start is None or not (s0 <= span.start and span.end <= s1):
                        continue
                    piece = _char_span(sent, span.start, span.end)
                    if piece is None:
                        stats.misaligned.append(f"{cdoc.id}: {name} {span.text!r}")
                        continue
                    roles.append(Span(sent, piece.start, piece.end, label=name))
            unique = {(s.start, s.end): s for s in labels}
            sent.spans[DIRECTIVES_KEY] = list(unique.values())
            role_set = {(s.start, s.end, s.label_): s for s in roles}
            kept = filter_spans(list(role_set.values()))
            stats.overlapping += len(role_set) - len(kept)
            sent.ents = kept
            stats.role_spans += len(kept)
            stats.directive_clauses += len(unique)
            stats.sentences += 1
            out.append(sent)
        stats.unsuggested += len(gold) - len(placed)
    return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _role_spans(d) -> Iterator[tuple[str, object]]:
    """A gold directive's role spans with their NER labels (the field registry's), one-span
    fields first, then the lists."""
    tagged = [f for f in fields() if f.ner_label]
    for f in tagged:
        if f.kind != "entities" and (span := getattr(d, f.name)) is not None:
            yield f.ner_label, span
    for f in tagged:
        if f.kind == "entities":
            for span in getattr(d, f.name):
                yield f.ner_label, span


def write_docbin(docs: list[Doc], path: Path) -> None:
    # user_data keeps the rules' readings of the words (model_features).
    DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], docs=docs, store_user_data=True).to_disk(path)


# -- inference and the vote -----------------------------------------------------------


@dataclass
class ClauseScore:
    start: int
    end: int
    score: float
    modality: str


@dataclass
class SentencePrediction:
    start: int
    end: int
    clauses: list[ClauseScore]
    roles: list[tuple[str, int, int]]  # label, document char start, end


def _trim_cue(label: str, start: int, end: int, text: str,
              cue_lengths: Optional[dict] = None) -> tuple[int, int]:  # fmt: skip
    """Role spans lose edge punctuation; an ACTOR the instructing cue the rulers found at
    its start ("Giao Phòng X"): ``cue_lengths`` maps a char offset to the lengths of those
    cues there, in lexicon order (:func:`instructing_cues`)."""
    while start < end and not text[start].isalnum() and text[start] != "(":
        start += 1
    while end > start and not text[end - 1].isalnum() and text[end - 1] != ")":
        end -= 1
    if label != "ACTOR":
        return start, end
    for length in (cue_lengths or {}).get(start, ()):
        if end > start + length and text[start + length] == " ":
            return start + length + 1, end
    return start, end


def instructing_cues(doc: Doc) -> dict[int, list[int]]:
    """Char offset -> lengths of the instructing cues ("giao", "yêu cầu", "đề nghị") the
    rulers found there, in lexicon order."""
    from .resources import cue_functions, cue_lexicon

    instructs = cue_functions().with_flag("instructs")
    order = {c.id: k for k, c in enumerate(cue_lexicon().cues)}
    found: dict[int, list[tuple[int, int]]] = {}
    for span in doc.spans.get("cues", []):
        if span.label_ in instructs and span.id_ in order:
            found.setdefault(span.start_char, []).append((order[span.id_], len(span.text)))
    return {at: [length for _, length in sorted(cues)] for at, cues in found.items()}


def read_sentences(model: Language, views: list[SentenceView], cache: dict) -> None:
    """Run the model once over the sentences ``cache`` does not hold yet, in one stream
    (the views of several documents may come together: the parser's batches fill).

    ``cache`` keeps the model's reading of a sentence by its words and candidate clauses:
    a sentence met again (a formula every notice repeats) is not run twice. A sentence's
    reading does not depend on the others in its batch (checked bit for bit over the
    corpus), so cached and fresh readings are the same.
    """
    by_key = {v.key: v for v in views}
    todo = [k for k in by_key if k not in cache]
    if len(cache) + len(todo) > PREDICTION_CACHE_SIZE:
        cache.clear()
        todo = list(by_key)
    for k, sent in zip(todo, model.pipe(by_key[k].doc for k in todo)):
        cache[k] = _reading(sent)


def predictions(doc: Doc, views: list[SentenceView], cache: dict) -> list[SentencePrediction]:
    """The readings ``cache`` holds for a document's views, in document offsets."""
    text = text_of(doc)
    cue_lengths = instructing_cues(doc)
    preds = []
    for view in views:
        scores, ents = cache[view.key]
        offsets = view.token_offsets
        clause_scores = [ClauseScore(c0, c1, score, MODALITY_LABELS.get(label, "obligation"))
                         for (c0, c1), (score, label) in zip(view.clauses, scores)]  # fmt: skip
        roles = []
        for label, first, last in ents:
            start, end = offsets[first], offsets[last - 1] + len(view.words[last - 1])
            roles.append((label, *_trim_cue(label, start, end, text, cue_lengths)))
        preds.append(SentencePrediction(view.offset, view.end, clause_scores, roles))
    return preds


PREDICTION_CACHE_SIZE = 20_000  # sentences (a few MB)


def _reading(sent: Doc) -> tuple[tuple[tuple[float, str], ...], tuple[tuple[str, int, int], ...]]:
    """The model's output for one sentence: (score, label) per candidate clause, and the
    role spans as token ranges."""
    group = sent.spans[DIRECTIVES_KEY]
    found = {(s.start, s.end): (float(numpy.asarray(score).max()), s.label_)
             for s, score in zip(group, group.attrs.get("scores", []))}  # fmt: skip
    scores = tuple(found.get((c.start, c.end), (0.0, "OBLIGATION"))
                   for c in sent.spans[CANDIDATES_KEY])  # fmt: skip
    return scores, tuple((e.label_, e.start, e.end) for e in sent.ents)


def combine(records: list[DirectiveRecord], preds: list[SentencePrediction], text: str,
            mode: str, context: Optional[dict] = None, deadlines: tuple[Ref, ...] = (),
            vote: Vote = Vote(), cue_starts: tuple[int, ...] = ()
            ) -> list[DirectiveRecord]:  # fmt: skip
    """The vote of rules and model (see the module docstring). ``cue_starts``: the sorted
    char offsets of the cues the rulers found, which an actor extension never swallows."""
    out: list[DirectiveRecord] = []
    covered: set[tuple[int, int]] = set()
    tagged_actors = tuple(Ref(s, e, "model.ner", Origin.model)
                          for sp in preds for label, s, e in sp.roles if label == "ACTOR")
    lookup = _Lookup(preds, tagged_actors)
    for rec in records if mode == "hybrid" else []:
        clause = lookup.clause(rec.action.start)
        if clause is None:
            out.append(rec)
            continue
        covered.add((clause.start, clause.end))
        if clause.score < vote.veto and rec.confidence < vote.veto_unless_rule:
            continue
        rec.model_confidence = round(clause.score, SCORE_DIGITS)
        rec.confidence = round(vote.rule_weight * rec.confidence
                               + (1 - vote.rule_weight) * clause.score, 2)  # fmt: skip
        rec.rules.append("model.scored")
        _fill_roles(rec, lookup.sentence(rec.action.start), clause, text, tagged_actors,
                    cue_starts, lookup)  # fmt: skip
        out.append(rec)
    for sp in preds:
        for clause in sp.clauses:
            if (clause.start, clause.end) in covered or clause.score < vote.propose:
                continue
            ctx = (context or {}).get(clause.start)
            if ctx is None or not ctx.may_direct:
                continue  # outside a conclusion or task list: reports, praise, openings
            rec = _propose(clause, sp, ctx, text)
            if rec is not None:
                # The rules' deadline finder is more precise than the tagger.
                rec.deadline = next((d for d in deadlines if clause.start <= d.start
                                     and d.end <= clause.end), None)  # fmt: skip
                out.append(rec)
    out.sort(key=lambda r: (r.action.start, r.action.end))
    return out


def _clause_of(preds, pos: int) -> Optional[ClauseScore]:
    for sp in preds:
        for c in sp.clauses:
            if c.start <= pos < c.end:
                return c
    return None


def _sentence_of(preds, pos: int) -> Optional[SentencePrediction]:
    return next((sp for sp in preds if sp.start <= pos < sp.end), None)


class _Lookup:
    """:func:`_clause_of`, :func:`_sentence_of` and the tagged actors that may hold a span,
    by position: a long text has thousands of sentences, and a scan per record made the
    vote quadratic. Exact whatever the order: sentence readings can overlap (a sentence
    read twice, a clause reaching past its sentence), and a position index returns every
    span holding a position in the given order, so the first is the scan's."""

    def __init__(self, preds: list[SentencePrediction], tagged: tuple[Ref, ...]):
        self.sentences = RegionIndex(preds)
        self.clauses = RegionIndex(c for sp in preds for c in sp.clauses)
        self.tagged = RegionIndex(tagged)

    def sentence(self, pos: int) -> Optional[SentencePrediction]:
        return next(iter(self.sentences.overlapping(pos, pos + 1)), None)

    def clause(self, pos: int) -> Optional[ClauseScore]:
        return next(iter(self.clauses.overlapping(pos, pos + 1)), None)

    def holding(self, start: int) -> tuple[Ref, ...]:
        """The tagged spans with ``span.start <= start <= span.end``, in order: the only
        ones that can hold a span starting at ``start``."""
        return tuple(self.tagged.overlapping(start - 1, start + 1))


def _roles_in(sp: SentencePrediction, label: str, start: int, end: int) -> list[Ref]:
    """Role spans of one label inside [start, end)."""
    return [Ref(s, e, "model.ner", Origin.model) for lab, s, e in sp.roles
            if lab == label and start <= s and e <= end]  # fmt: skip


def _holds_cue(cue_starts: tuple[int, ...], start: int, end: int) -> bool:
    """Whether a cue the rulers found starts in [start, end)."""
    return _any_in(cue_starts, start, end)


def _any_in(offsets: Sequence[int], start: int, end: int) -> bool:
    """Whether any of the sorted ``offsets`` lies in [start, end), by bisection (a scan
    per sentence of every directive's start made the model's sentence choice quadratic)."""
    k = bisect.bisect_left(offsets, start)
    return k < len(offsets) and offsets[k] < end


def _fill_roles(rec: DirectiveRecord, sp: Optional[SentencePrediction],
                clause: Optional[ClauseScore] = None, text: str = "",
                tagged_actors: tuple[Ref, ...] = (),
                cue_starts: tuple[int, ...] = (),
                lookup: Optional[_Lookup] = None) -> None:  # fmt: skip
    """Fields the rules left empty or cut short, from role spans in the same clause.

    Deadlines and topics are not filled: on the dev split the rules' deadline
    finder and heading topics were more precise than the tagger.
    """
    if sp is None:
        return
    start = clause.start if clause is not None else sp.start
    _actor_boundary(rec, sp)
    if rec.actor is not None:
        # The tagger's span holds the rule's and more: "Các chủ cơ sở" + "kinh doanh",
        # "UBND các xã" + ", thị trấn" (also where the actor was handed down from an
        # earlier clause); but not a person's name after a title, which the actor leaves out.
        # Tagged spans do not overlap, so at most one holds the rule's actor.
        if tagged_actors and lookup is not None:  # the others cannot hold the actor
            tagged_actors = lookup.holding(rec.actor.start)
        elif not tagged_actors:
            tagged_actors = tuple(_roles_in(sp, "ACTOR", start, rec.action.start))
        for tagged in tagged_actors:
            extra = text[tagged.start : rec.actor.start] + text[rec.actor.end : tagged.end]
            if tagged.start <= rec.actor.start and rec.actor.end <= tagged.end \
                    and tagged.end <= rec.action.start \
                    and len(extra.split()) <= MAX_ACTOR_EXTENSION \
                    and any(w[:1].islower() for w in extra.split()) \
                    and not _holds_cue(cue_starts, tagged.start, rec.actor.start) \
                    and not _holds_cue(cue_starts, rec.actor.end, tagged.end):  # fmt: skip
                rec.actor = Ref(tagged.start, tagged.end, "model.actor_extent", Origin.model)
                rec.rules.append("model.actor_extent")
                break
    if rec.actor is None:
        inside = _roles_in(sp, "ACTOR", start, rec.action.start)
        if inside:
            rec.actor = inside[-1]
            rec.rules.append("model.actor")
    clause_end = clause.end if clause is not None else sp.end
    for name, label in (("purpose", "PURPOSE"), ("report_to", "REPORT_TO")):
        if getattr(rec, name) is None:
            found = _roles_in(sp, label, rec.action.start, clause_end)
            if found:
                setattr(rec, name, found[0])
                rec.rules.append(f"model.{name}")


def _actor_boundary(rec: DirectiveRecord, sp: SentencePrediction) -> None:
    """An action the rules began inside a name they did not know ("Đề nghị [Công an huyện
    phối hợp … hỗ trợ …]", "UBND các xã, [thị trấn tăng cường …]"): where the tagger reads
    an actor there and an action after it, its boundary wins."""
    for tagged in _roles_in(sp, "ACTOR", sp.start, rec.action.end):
        if not tagged.start <= rec.action.start < tagged.end:
            continue
        actions = _roles_in(sp, "ACTION", tagged.end, rec.action.end)
        if not actions:
            return
        rec.actor = Ref(tagged.start, tagged.end, "model.actor_boundary", Origin.model)
        if not rec.coactors:
            rec.coactors = _roles_in(sp, "COACTOR", tagged.end, actions[0].start)
        rec.action = Ref(actions[0].start, rec.action.end, rec.action.rule, Origin.model)
        rec.rules.append("model.actor_boundary")
        return


def _propose(clause: ClauseScore, sp: SentencePrediction, context: Optional[ClauseContext],
             text: str) -> Optional[DirectiveRecord]:  # fmt: skip
    """A directive the rules missed: the action tagged in the clause; the actor the
    rules read for the clause (its own or inherited), else the one tagged before it."""
    actions = _roles_in(sp, "ACTION", clause.start, clause.end)
    if not actions:
        return None
    action = actions[0]
    actors = _roles_in(sp, "ACTOR", clause.start, action.start)
    inherited_actor = context.actor if context is not None else None
    inherited_issuer = context.issuer if context is not None else None
    if not actors and inherited_actor is None:  # the sentence's subject, before the clause
        actors = _roles_in(sp, "ACTOR", sp.start, action.start)
    rec = DirectiveRecord(
        evidence=Ref(sp.start, sp.end, "segment.sentence"),
        action=action,
        modality=clause.modality,
        # The rules' reading of the clause knows its frame; the tagger only the words.
        actor=inherited_actor or (actors[-1] if actors else None),
        issuer=inherited_issuer,
        coactors=_roles_in(sp, "COACTOR", clause.start, clause.end),
        confidence=round(clause.score * 0.9, 2),
        model_confidence=round(clause.score, SCORE_DIGITS),
        rules=["model.proposed"],
    )
    _fill_roles(rec, sp, clause, text)
    return rec


class DirectiveModel:
    """spaCy component: rescores, completes or replaces ``doc._.vnx_directives``."""

    def __init__(self, name: str, mode: str, path: str, vote: Vote = Vote()):
        self.name = name
        self.mode = mode
        self.vote = vote
        # Loaded when the pipeline is initialized (from ``path``) or read from disk (the
        # weights a saved pipeline carries), whichever comes first.
        # No path: the repository's models/directives, or the copy installed with the
        # package (left empty in the config, so a saved pipeline names no local folder).
        self.location = Path(path) if path else _shipped_model()
        self._model: Optional[Language] = None
        self._cache: dict = {}

    # Not named "model": spaCy asks every pipe ``hasattr(pipe, "model")`` (its listener
    # protocol) before ``from_disk``, which would load from ``path`` first.
    @property
    def trained(self) -> Language:
        """The trained spaCy pipeline (``spancat`` and ``ner``)."""
        if self._model is None:
            self._load(self.location)
        assert self._model is not None
        return self._model

    def _load(self, location: Path) -> None:
        import spacy

        if not (location / "meta.json").exists():
            raise FileNotFoundError(
                f"no trained model at {location}: run 'extractor train' or use --mode rules"
            )
        self._model = spacy.load(location)
        # Keep every candidate clause with its best label's score; the vote thresholds.
        self._model.get_pipe("spancat").cfg["threshold"] = 0.0
        self._cache = {}

    def initialize(self, get_examples=None, *, nlp=None) -> None:
        """``nlp.initialize()``: the model at ``path`` (an error now, not at the first doc)."""
        self.trained  # noqa: B018

    # A saved pipeline (``nlp.to_disk``) carries the trained weights in this folder.
    def to_disk(self, path, *, exclude=()) -> None:
        self.trained.to_disk(Path(path))

    def from_disk(self, path, *, exclude=()) -> DirectiveModel:
        self._load(Path(path))
        return self

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """The documents of a batch are read together: one model run for all their
        sentences (the per-run cost of the parser is paid once per batch)."""
        for batch in minibatch(docs, size=batch_size):
            views = [self._views(doc) for doc in batch]
            read_sentences(self.trained, [v for vs in views for v in vs], self._cache)
            for doc, doc_views in zip(batch, views):
                self._vote(doc, predictions(doc, doc_views, self._cache))
                yield doc

    def _views(self, doc: Doc) -> list[SentenceView]:
        if self.mode != "hybrid":
            return sentence_views(doc, self.trained.vocab)
        starts = sorted(r.action.start for r in doc._.vnx_directives or [])
        context = doc._.vnx_clause_context or {}

        def wanted(view: SentenceView) -> bool:
            # Only where the vote can change something: a rule directive to score, or a
            # clause where a proposal would be allowed. Reports and praise are skipped.
            return _any_in(starts, view.offset, view.end) or any(
                (ctx := context.get(c0)) is not None and ctx.may_direct for c0, _ in view.clauses
            )

        return sentence_views(doc, self.trained.vocab, wanted)

    def _vote(self, doc: Doc, preds: list[SentencePrediction]) -> None:
        deadlines = tuple(Ref(s.start_char, s.end_char, s.id_ or "deadline")
                          for s in doc.spans.get("deadlines", []))  # fmt: skip
        cue_starts = tuple(sorted({s.start_char for s in doc.spans.get("cues", [])}))
        doc._.vnx_directives = combine(list(doc._.vnx_directives or []), preds, text_of(doc),
                                   self.mode, doc._.vnx_clause_context or {}, deadlines,
                                   self.vote, cue_starts)  # fmt: skip


@Language.factory(
    "directive_model",
    default_config={"mode": "hybrid", "path": "", "rule_weight": RULE_WEIGHT, "veto": VETO,
                    "veto_unless_rule": VETO_UNLESS_RULE, "propose": PROPOSE},
    assigns=["doc._.vnx_directives"], requires=["doc._.vnx_directives"],
)  # fmt: skip
def create_directive_model(nlp: Language, name: str, mode: str, path: str, rule_weight: float,
                           veto: float, veto_unless_rule: float,
                           propose: float) -> DirectiveModel:  # fmt: skip
    return DirectiveModel(name, mode, path, Vote(rule_weight, veto, veto_unless_rule, propose))


def _shipped_model() -> Path:
    from .resources import trained_pipeline_path

    return Path(trained_pipeline_path())


def model_meta(path: Optional[Path] = None) -> dict:
    location = path or models_dir() / "directives"
    return json.loads((location / "meta.json").read_text(encoding="utf-8"))
