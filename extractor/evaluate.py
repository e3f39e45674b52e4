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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from .corpus import CorpusDocument, GoldDirective, iter_split
from .normalize import fold

MATCH_THRESHOLD = 0.5
FIELDS = ("actor", "coactors", "action", "topic", "purpose", "report_to", "deadline",
          "deadline_date", "modality", "issuer")  # fmt: skip
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


def _text(span) -> Optional[str]:
    return None if span is None else span.text


def item_from(d, confidence: float = 1.0) -> Item:
    """From a gold directive or a predicted :class:`extractor.schema.Directive` (same fields)."""
    return Item(
        evidence=(d.evidence.start, d.evidence.end),
        action=(d.action.start, d.action.end),
        fields={
            "actor": _text(d.actor),
            "action": d.action.text,
            "topic": _text(d.topic),
            "purpose": _text(d.purpose),
            "report_to": _text(d.report_to),
            "deadline": _text(d.deadline),
            "deadline_date": d.deadline.date if d.deadline else None,
            "modality": d.modality.value,
            "issuer": _text(d.issuer),
        },
        coactors=[c.text for c in d.coactors],
        confidence=confidence,
        label=d.action.text,
    )


def item_from_gold(d: GoldDirective) -> Item:
    return item_from(d)


def item_from_prediction(d) -> Item:
    return item_from(d, d.confidence)


def dice(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    total = (a[1] - a[0]) + (b[1] - b[0])
    return 2 * inter / total if total else 0.0


def match(pred: list[Item], gold: list[Item]) -> list[tuple[int, int, float]]:
    """Greedy one-to-one matching by action overlap (see the module docstring)."""
    pairs = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if p.evidence[0] < g.evidence[1] and g.evidence[0] < p.evidence[1]:
                score = dice(p.action, g.action)
                if score >= MATCH_THRESHOLD:
                    pairs.append((score, -i, -j))
    pairs.sort(reverse=True)
    used_p, used_g, out = set(), set(), []
    for score, ni, nj in pairs:
        i, j = -ni, -nj
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j, score))
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
    if key == "deadline_date" or key == "modality":
        return a == b
    return fold(a or "") == fold(b or "")


def field_counts(p: Item, g: Item) -> dict[str, Counts]:
    out = {}
    for key in FIELDS:
        c = Counts()
        if key == "coactors":
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


@dataclass
class DocumentResult:
    doc_id: str
    matched: list[tuple[Item, Item]]
    false_positives: list[Item]
    misses: list[Item]


@dataclass
class Report:
    split: str
    mode: str
    documents: int = 0
    detection: Counts = field(default_factory=Counts)
    fields: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in FIELDS})
    bins: list[list[int]] = field(default_factory=lambda: [[0, 0] for _ in CONFIDENCE_BINS[1:]])
    results: list[DocumentResult] = field(default_factory=list)

    def add(self, result: DocumentResult) -> None:
        self.documents += 1
        self.results.append(result)
        self.detection.add(Counts(len(result.matched), len(result.false_positives),
                                  len(result.misses)))  # fmt: skip
        for p, g in result.matched:
            for key, c in field_counts(p, g).items():
                self.fields[key].add(c)
        for p in [m[0] for m in result.matched] + result.false_positives:
            right = any(p is m[0] for m in result.matched)
            for k, (lo, hi) in enumerate(zip(CONFIDENCE_BINS, CONFIDENCE_BINS[1:])):
                if lo <= p.confidence < hi:
                    self.bins[k][0] += 1
                    self.bins[k][1] += int(right)

    def as_dict(self) -> dict:
        return {
            "split": self.split,
            "mode": self.mode,
            "documents": self.documents,
            "directives": self.detection.row(),
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
    """A Markdown table: one row per report, detection F1 and each field's F1."""
    head = ["mode", "docs", "P", "R", "F1", *FIELDS]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in reports:
        d = r.detection
        cells = [r.mode, str(r.documents), f"{d.precision:.3f}", f"{d.recall:.3f}", f"{d.f1:.3f}"]
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
                    pv = p.coactors if key == "coactors" else p.fields.get(key)
                    gv = g.coactors if key == "coactors" else g.fields.get(key)
                    lines.append(f"  FIELD {key}: got {pv!r}, gold {gv!r}  [{g.label[:50]}]")
        if lines:
            out.append(f"{res.doc_id}:")
            out.extend(lines)
    return "\n".join(out)
