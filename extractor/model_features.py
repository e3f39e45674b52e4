"""The rules' readings of each token, as features the trained model reads beside the words.

The words alone let the model learn the formulas of the training texts; what carries over
to texts it has not seen is what the rules already know about a token: the function of
the cue it is part of ("assign", "modal", "past" ...), the kind of known actor it names
(a ministry, a role, a collective ...), its part of speech, where it stands in the
document's structure (a heading, a list item of some kind and level) and what the clause
it belongs to would inherit (inside a conclusion or task list, an actor handed down).

Every value comes from what the pipeline computed before the model runs (the cue and
actor rulers after their filters, ``underthesea_pos``, the structure segmenter, the
assembler's clause contexts): nothing is derived again here. The values are ids and
labels from the rule data, never words.

:func:`document_features` reads a processed Doc once; :func:`sentence_features` slices
it for one sentence; the sentence Doc the model reads keeps them in
``user_data[FEATURES_KEY]``, where the embedding layer ``extractor.RuleFeatureEmbed.v1``
hashes them like spaCy's ``MultiHashEmbed`` hashes NORM or SHAPE.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cache
from typing import Optional, Sequence

import numpy
from spacy.attrs import intify_attr
from spacy.strings import hash_string
from spacy.tokens import Doc, Span
from spacy.util import registry
from thinc.api import Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array
from thinc.layers import HashEmbed

FEATURES_KEY = "rule_features"
# One column per reading, in this order (a trained model's tables are tied to it).
COLUMNS = ("pos", "cue", "actor", "structure", "context")
CUE_SPANS = "cues.kept"  # the cues the cue filter kept
ACTOR_SPANS = "actors.refined"  # the actors after the refiner
NONE = "-"


@dataclass(frozen=True)
class DocumentFeatures:
    """The readings of every token of a processed Doc, one tuple per token (``COLUMNS``)."""

    rows: tuple[tuple[str, ...], ...]

    def of(self, token_ids: Sequence[int]) -> tuple[tuple[str, ...], ...]:
        return tuple(self.rows[i] for i in token_ids)


def document_features(doc: Doc) -> DocumentFeatures:
    """Every token's readings (a token of no cue, actor, block or clause reads ``-``)."""
    cues = _span_labels(doc, CUE_SPANS, lambda s: s.label_)
    actors = _span_labels(doc, ACTOR_SPANS, _actor_value)
    structure = _structure_labels(doc)
    context = _context_labels(doc)
    rows = tuple((t.tag_ or NONE, cues[t.i], actors[t.i], structure[t.i], context[t.i])
                 for t in doc)  # fmt: skip
    return DocumentFeatures(rows)


def _span_labels(doc: Doc, key: str, value) -> list[str]:
    """B-/I- + the value of the span each token is in (the longest, then the first)."""
    out = [NONE] * len(doc)
    spans = sorted(doc.spans.get(key, []), key=lambda s: (s.start - s.end, s.start))
    for span in spans:
        v = value(span)
        for i in range(span.start, span.end):
            if out[i] == NONE:
                out[i] = ("B-" if i == span.start else "I-") + v
    return out


def _actor_value(span: Span) -> str:
    """The actor's kind when the rulers know it; a span the refiner unlabelled is marked."""
    kind = actor_kinds().get(span.id_, "actor")
    return kind if span.label_ else "not-" + kind


@cache
def actor_kinds() -> dict[str, str]:
    """The actor rulers' span ids -> the kind of actor they name: a gazetteer entry's
    kind (ministry, role, collective ...), a discourse group's kind, ``pattern`` for a
    generic form."""
    from .gazetteer import get_gazetteer
    from .resources import discourse_actors

    gaz = get_gazetteer()
    # Gazetteer.pattern_id names a listed body "gazetteer:<entry id>".
    kinds = {f"gazetteer:{e.id}": e.kind for e in gaz.index.entries.values()}
    kinds.update({g.id: g.kind for g in discourse_actors().groups})
    kinds.update({p.id: "pattern" for p in gaz.index.patterns})
    return {k: str(getattr(v, "value", v)) for k, v in kinds.items()}


def _structure_labels(doc: Doc) -> list[str]:
    """The block each token stands in: heading or body, list marker kind and level; B- on
    the first token of the block's body."""
    out = [NONE] * len(doc)
    starts = [t.idx for t in doc]
    for block in doc._.vnx_blocks or []:
        kind = ("H" if block.is_heading else "P") + f":{block.marker_kind or NONE}:{block.level}"
        first = bisect.bisect_left(starts, block.body_start)
        last = bisect.bisect_left(starts, block.end)
        for i in range(first, last):
            out[i] = ("B-" if i == first else "I-") + kind
    return out


def _context_labels(doc: Doc) -> list[str]:
    """What the clause a token opens would inherit: may it direct, has it an actor or an
    issuer handed down. Tokens after the clause's start keep its value."""
    out = [NONE] * len(doc)
    contexts = doc._.vnx_clause_context or {}
    starts = [t.idx for t in doc]
    for at in sorted(contexts):
        ctx = contexts[at]
        value = (f"{'D' if ctx.may_direct else 'd'}{'A' if ctx.actor is not None else 'a'}"
                 f"{'I' if ctx.issuer is not None else 'i'}")  # fmt: skip
        i = bisect.bisect_left(starts, at)
        if i < len(out):
            out[i] = "B-" + value
    current = NONE
    for i, v in enumerate(out):  # a clause runs until the next one starts
        if v != NONE:
            current = v[2:]
        elif current != NONE:
            out[i] = "I-" + current
    return out


# -- the embedding layer ---------------------------------------------------------------


def feature_ids(doc: Doc, columns: Sequence[str] = COLUMNS) -> numpy.ndarray:
    """(tokens, columns) uint64 hashes of the readings a sentence Doc carries; a Doc
    without them (read outside the pipeline) hashes ``-`` in every column."""
    rows = doc.user_data.get(FEATURES_KEY)
    index = [COLUMNS.index(c) for c in columns]
    out = numpy.zeros((len(doc), len(index)), dtype="uint64")
    for i in range(len(doc)):
        row = rows[i] if rows is not None else (NONE,) * len(COLUMNS)
        for j, k in enumerate(index):
            out[i, j] = _hash(columns[j], row[k])
    return out


@cache
def _hash(column: str, value: str) -> int:
    return hash_string(f"{column}={value}")


def _extract(attrs: list[int], columns: tuple[str, ...]) -> Model:
    """Docs -> one uint64 row per token: the lexical attributes, then the readings."""

    def forward(model: Model, docs: list[Doc], is_train: bool):
        out = []
        for doc in docs:
            lexical = doc.to_array(attrs).reshape(len(doc), len(attrs))
            both = numpy.hstack([lexical.astype("uint64"), feature_ids(doc, columns)])
            out.append(model.ops.asarray2i(both, dtype="uint64"))
        return out, lambda d_out: []

    return Model("extract_rule_features", forward)


@registry.architectures("extractor.RuleFeatureEmbed.v1")
def rule_feature_embed(width: int, attrs: list[str], rows: list[int],
                       feature_columns: list[str], feature_rows: int,
                       feature_width: int) -> Model:  # fmt: skip
    """MultiHashEmbed over ``attrs`` (width ``width``) and over the rule readings
    ``feature_columns`` (width ``feature_width``, ``feature_rows`` rows each), mixed to
    ``width`` by one Maxout layer."""
    if len(rows) != len(attrs):
        raise ValueError(f"Mismatched lengths: {len(rows)} vs {len(attrs)}")
    unknown = set(feature_columns) - set(COLUMNS)
    if unknown:
        raise ValueError(f"unknown rule feature columns {sorted(unknown)}; known: {COLUMNS}")
    tables = [HashEmbed(width, n, column=i, seed=8 + i, dropout=0.0)
              for i, n in enumerate(rows)]  # fmt: skip
    tables += [HashEmbed(feature_width, feature_rows, column=len(rows) + j, seed=100 + j,
                         dropout=0.0) for j in range(len(feature_columns))]  # fmt: skip
    concat = width * len(rows) + feature_width * len(feature_columns)
    return chain(
        _extract([intify_attr(a) for a in attrs], tuple(feature_columns)),
        list2ragged(),
        with_array(concatenate(*tables)),
        with_array(Maxout(width, concat, nP=3, dropout=0.0, normalize=True)),
        ragged2list(),
    )


def attach(sent: Doc, rows: Optional[tuple[tuple[str, ...], ...]]) -> None:
    """Give a sentence Doc its tokens' readings (the model's input beside the words)."""
    if rows is not None:
        sent.user_data[FEATURES_KEY] = [list(r) for r in rows]
