"""Evaluation against the gold corpus: ``extractor eval``.

Matching rule (also in ``corpus/GUIDELINE.md``): a predicted directive matches
a gold one when their evidence spans overlap and the Dice coefficient of the
character offsets of their actions is at least ``MATCH_THRESHOLD``; pairs are
taken greedily, best score first, each directive used once.

Directive detection is scored by precision, recall and F1 over matches. Each
field is scored on the matched pairs: a field is a true positive when gold and
prediction both have it and agree (texts compared case- and
punctuation-insensitively; deadline dates compared as ISO strings), a false
positive when the prediction has it and gold does not or they disagree, and a
false negative when gold has it and the prediction does not or they disagree.
Coactors count per body. Modality is scored like a field that is always present.

A gold directive said again in a headline, sapo or caption lists those sentences as
``restatements``: a prediction read from one of them (evidence overlapping it) that
matched nothing else matches that gold directive, so one directive found twice counts
once and the second reading is a false positive.

Two figures a clerk reads first: **actor accuracy**, the share of matched directives
whose actor is right (both empty counts as right), and **found with the right actor**,
the share of all gold directives that are matched with the right actor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Optional

from .corpus import CorpusDocument, GoldDirective, iter_split
from .fields import eval_columns, fields, names_of
from .normalize import fold

MATCH_THRESHOLD = 0.5
# The scored fields, from the registry (data/fields.json: eval_order); labels, sectors
# and a deadline's date compare exactly, spans by their folded text.
FIELDS = eval_columns()
EXACT_FIELDS = frozenset(FIELDS) - frozenset(names_of("span", "entity", "entities", "deadline"))
LIST_FIELDS = frozenset(names_of("entities"))
CONFIDENCE_BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 1.01)


@dataclass
class Item:
    """A directive reduced to what evaluation compares."""

    evidence: tuple[int, int]
    action: tuple[int, int]
    fields: dict[str, Optional[str]]
    coactors: list[str]
    confidence: float = 1.0
    label: str = ""
    restatements: list[tuple[int, int]] = field(default_factory=list)


def _text(span) -> Optional[str]:
    return None if span is None else span.text


def _values(d) -> Iterator[tuple[str, Optional[str]]]:
    """A directive's scored values by the registry's kinds (a list field goes apart)."""
    for f in fields():
        value = getattr(d, f.name, None)
        if f.kind in ("span", "entity"):
            yield f.name, _text(value)
        elif f.kind == "deadline":
            yield f.name, _text(value)
            yield f"{f.name}_date", value.date if value else None
        elif f.kind == "label":
            yield f.name, value.value
        elif f.kind == "sector":
            yield f.name, _sector(d)


def item_from(d, confidence: float = 1.0) -> Item:
    """From a gold directive or a predicted :class:`extractor.schema.Directive` (same fields)."""
    values = dict(_values(d))
    return Item(
        evidence=(d.evidence.start, d.evidence.end),
        action=(d.action.start, d.action.end),
        fields={key: values[key] for key in FIELDS if key not in LIST_FIELDS},
        coactors=[c.text for name in LIST_FIELDS for c in getattr(d, name)],
        confidence=confidence,
        label=d.action.text,
    )


def _sector(d) -> Optional[str]:
    sector = getattr(d, "sector", None)
    return getattr(sector, "id", sector)  # a prediction's sector object, or a gold id


def item_from_gold(d: GoldDirective) -> Item:
    item = item_from(d)
    item.restatements = [(r.start, r.end) for r in d.restatements]
    return item


def item_from_prediction(d) -> Item:
    return item_from(d, d.confidence)


def dice(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    total = (a[1] - a[0]) + (b[1] - b[0])
    return 2 * inter / total if total else 0.0


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _greedy(pairs: list[tuple[float, int, int]], used_p: set[int], used_g: set[int]
            ) -> list[tuple[int, int, float]]:  # fmt: skip
    out = []
    for score, ni, nj in sorted(pairs, reverse=True):
        i, j = -ni, -nj
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j, score))
    return out


def match(pred: list[Item], gold: list[Item]) -> list[tuple[int, int, float]]:
    """Greedy one-to-one matching by action overlap, then by restatement (module docstring)."""
    pairs = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if _overlaps(p.evidence, g.evidence):
                score = dice(p.action, g.action)
                if score >= MATCH_THRESHOLD:
                    pairs.append((score, -i, -j))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = _greedy(pairs, used_p, used_g)
    restated = [(0.0, -i, -j) for i, p in enumerate(pred) for j, g in enumerate(gold)
                if any(_overlaps(p.evidence, r) for r in g.restatements)]  # fmt: skip
    out += _greedy(restated, used_p, used_g)
    return sorted(out)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self) -> dict:
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3),
                "f1": round(self.f1, 3), "tp": self.tp, "fp": self.fp, "fn": self.fn}  # fmt: skip


def _same(a: Optional[str], b: Optional[str], key: str) -> bool:
    if key in EXACT_FIELDS:
        return a == b
    return fold(a or "") == fold(b or "")


def field_counts(p: Item, g: Item) -> dict[str, Counts]:
    out = {}
    for key in FIELDS:
        c = Counts()
        if key in LIST_FIELDS:
            pc = {fold(x) for x in p.coactors}
            gc = {fold(x) for x in g.coactors}
            c.tp, c.fp, c.fn = len(pc & gc), len(pc - gc), len(gc - pc)
        else:
            pv, gv = p.fields.get(key), g.fields.get(key)
            if pv is not None and gv is not None and _same(pv, gv, key):
                c.tp = 1
            else:
                c.fp = int(pv is not None)
                c.fn = int(gv is not None)
        out[key] = c
    return out


def right_actor(p: Item, g: Item) -> bool:
    """Whether a matched prediction names the gold actor (both empty counts as right)."""
    pv, gv = p.fields.get("actor"), g.fields.get("actor")
    return (pv is None and gv is None) or (
        pv is not None and gv is not None and _same(pv, gv, "actor"))


@dataclass
class DocumentResult:
    doc_id: str
    matched: list[tuple[Item, Item]]
    false_positives: list[Item]
    misses: list[Item]
    genre: str = ""


@dataclass
class Report:
    split: str
    mode: str
    genre: Optional[str] = None  # None: every genre
    documents: int = 0
    detection: Counts = field(default_factory=Counts)
    fields: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in FIELDS})
    bins: list[list[int]] = field(default_factory=lambda: [[0, 0] for _ in CONFIDENCE_BINS[1:]])
    results: list[DocumentResult] = field(default_factory=list)
    actor_right: int = 0
    sector_right: int = 0
    sector_gold: int = 0

    def add(self, result: DocumentResult) -> None:
        self.documents += 1
        self.results.append(result)
        self.detection.add(Counts(len(result.matched), len(result.false_positives),
                                  len(result.misses)))  # fmt: skip
        for p, g in result.matched:
            for key, c in field_counts(p, g).items():
                self.fields[key].add(c)
            self.actor_right += right_actor(p, g)
            if g.fields.get("sector") is not None:
                self.sector_gold += 1
                self.sector_right += p.fields.get("sector") == g.fields["sector"]
        for p in [m[0] for m in result.matched] + result.false_positives:
            right = any(p is m[0] for m in result.matched)
            for k, (lo, hi) in enumerate(zip(CONFIDENCE_BINS, CONFIDENCE_BINS[1:])):
                if lo <= p.confidence < hi:
                    self.bins[k][0] += 1
                    self.bins[k][1] += int(right)

    @property
    def actor_accuracy(self) -> float:
        """Share of matched directives whose actor is right."""
        return self.actor_right / self.detection.tp if self.detection.tp else 0.0

    @property
    def found_with_actor(self) -> float:
        """Share of all gold directives found with the right actor."""
        gold = self.detection.tp + self.detection.fn
        return self.actor_right / gold if gold else 0.0

    @property
    def sector_accuracy(self) -> Optional[float]:
        """Share of matched directives with a gold sector whose sector is right."""
        return self.sector_right / self.sector_gold if self.sector_gold else None

    def by_genre(self) -> list[Report]:
        """One report per genre of the documents scored, in name order."""
        reports: dict[str, Report] = {}
        for res in self.results:
            reports.setdefault(res.genre, Report(self.split, self.mode, genre=res.genre)).add(res)
        return [reports[g] for g in sorted(reports)]

    def as_dict(self) -> dict:
        return {
            "split": self.split,
            "mode": self.mode,
            "genre": self.genre,
            "documents": self.documents,
            "directives": self.detection.row(),
            "actor_accuracy": round(self.actor_accuracy, 3),
            "found_with_right_actor": round(self.found_with_actor, 3),
            "sector_accuracy": None if self.sector_accuracy is None
            else round(self.sector_accuracy, 3),
            "fields": {k: v.row() for k, v in self.fields.items()},
            "reliability": [
                {"confidence": f"[{lo:.1f}, {min(hi, 1.0):.1f}{']' if hi > 1 else ')'}",
                 "predicted": n, "correct": ok, "precision": round(ok / n, 3) if n else None}
                for (lo, hi), (n, ok) in zip(zip(CONFIDENCE_BINS, CONFIDENCE_BINS[1:]), self.bins)
            ],  # fmt: skip
        }


def evaluate_document(doc: CorpusDocument, predict: Callable[[CorpusDocument], list[Item]]
                      ) -> DocumentResult:  # fmt: skip
    pred = predict(doc)
    gold = [item_from_gold(d) for d in doc.gold.directives]
    pairs = match(pred, gold)
    mp = {i for i, _, _ in pairs}
    mg = {j for _, j, _ in pairs}
    return DocumentResult(
        doc.id,
        [(pred[i], gold[j]) for i, j, _ in pairs],
        [p for i, p in enumerate(pred) if i not in mp],
        [g for j, g in enumerate(gold) if j not in mg],
        doc.gold.genre,
    )


def predictor(mode: str) -> Callable[[CorpusDocument], list[Item]]:
    """A function from a corpus document to predicted items, for a mode or 'baseline'."""
    if mode == "baseline":
        from .baseline import baseline_directives

        return lambda doc: [item_from_prediction(d) for d in baseline_directives(doc.raw)]
    from .api import extract_text

    def run(doc: CorpusDocument) -> list[Item]:
        date = dt.date.fromisoformat(doc.gold.doc_date) if doc.gold.doc_date else None
        result = extract_text(doc.raw, doc_date=date, mode=mode)
        return [item_from_prediction(d) for d in result.directives]

    return run


def evaluate(split: str = "test", mode: str = "rules",
             docs: Optional[Iterable[CorpusDocument]] = None) -> Report:  # fmt: skip
    """Run a mode (or 'baseline') over a split and score it."""
    report = Report(split, mode)
    predict = predictor(mode)
    for doc in docs if docs is not None else iter_split(split):
        report.add(evaluate_document(doc, predict))
    return report


def format_table(reports: list[Report]) -> str:
    """A Markdown table: one row per report, detection, the actor figures, each field's F1."""
    by_genre = any(r.genre is not None for r in reports)
    head = ["mode", *(["genre"] if by_genre else []), "docs", "P", "R", "F1",
            "actor acc", "found+actor", "sector acc", *FIELDS]  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in reports:
        d = r.detection
        sector = "–" if r.sector_accuracy is None else f"{r.sector_accuracy:.3f}"
        cells = [r.mode, *([r.genre or "all"] if by_genre else []), str(r.documents),
                 f"{d.precision:.3f}", f"{d.recall:.3f}", f"{d.f1:.3f}",
                 f"{r.actor_accuracy:.3f}", f"{r.found_with_actor:.3f}", sector]  # fmt: skip
        cells += [f"{r.fields[k].f1:.3f}" for k in FIELDS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def format_reliability(report: Report) -> str:
    lines = ["| confidence | predicted | correct | precision |", "|---|---|---|---|"]
    for row in report.as_dict()["reliability"]:
        prec = "–" if row["precision"] is None else f"{row['precision']:.3f}"
        lines.append(f"| {row['confidence']} | {row['predicted']} | {row['correct']} | {prec} |")
    return "\n".join(lines)


def format_errors(report: Report) -> str:
    """False positives, misses and field mismatches, per document."""
    out = []
    for res in report.results:
        lines = []
        for p in res.false_positives:
            lines.append(f"  FP   {p.fields['actor']!r} | {p.label!r}")
        for g in res.misses:
            lines.append(f"  MISS {g.fields['actor']!r} | {g.label!r}")
        for p, g in res.matched:
            for key, c in field_counts(p, g).items():
                if c.fp or c.fn:
                    pv = p.coactors if key in LIST_FIELDS else p.fields.get(key)
                    gv = g.coactors if key in LIST_FIELDS else g.fields.get(key)
                    lines.append(f"  FIELD {key}: got {pv!r}, gold {gv!r}  [{g.label[:50]}]")
        if lines:
            out.append(f"{res.doc_id}:")
            out.extend(lines)
    return "\n".join(out)
