"""The annotated corpus: loading, anchoring and validating gold files.

Layout (see ``corpus/GUIDELINE.md``)::

    corpus/docs/<id>.txt     the text, UTF-8, as written
    corpus/gold/<id>.json    the gold directives, offsets into the normalized text
    corpus/splits.json       {"train": [...], "dev": [...], "test": [...], "field-test": [...]}

Part F (field texts, ids ``f_*`` and ``ft_*``) joins train and dev, except its own
test split ``field-test``; ``field-train`` and ``field-dev`` name the part-F documents
of train and dev.

Annotators write span texts only; ``anchor`` fills ``start``/``end`` by finding
each text (the evidence in document order, the other fields inside their
evidence, or for context-carried fields the nearest mention before it), and
``validate`` checks that every span's text equals the normalized text there.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Iterator, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .fields import fields, names_of
from .normalize import normalize_text
from .schema import DeadlineKind, Granularity, Modality
from .splits import FIELD_PREFIXES, SPLITS, VIEWS

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"
GENRES = ("vpcp_notice", "provincial", "press", "transcript", "other")
# The directive fields come from the registry (data/fields.json); evidence is read on its own.
ENTITY_FIELDS = names_of("entity")
SPAN_FIELDS = tuple(name for name in names_of("span") if name != "evidence")
# Gold keys that are annotations, not directive fields.
GOLD_ONLY = frozenset({"restatements", "note"})


class _Gold(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GoldSpan(_Gold):
    text: str = Field(min_length=1)
    start: Optional[int] = Field(default=None, ge=0)
    end: Optional[int] = Field(default=None, ge=0)


class GoldDeadline(GoldSpan):
    date: Optional[str] = None
    granularity: Optional[Granularity] = None
    kind: DeadlineKind = DeadlineKind.before


class GoldDirective(_Gold):
    evidence: GoldSpan
    issuer: Optional[GoldSpan] = None
    actor: Optional[GoldSpan] = None
    coactors: list[GoldSpan] = Field(default_factory=list)
    action: GoldSpan
    topic: Optional[GoldSpan] = None
    purpose: Optional[GoldSpan] = None
    report_to: Optional[GoldSpan] = None
    deadline: Optional[GoldDeadline] = None
    modality: Modality
    sector: Optional[str] = None
    restatements: list[GoldSpan] = Field(default_factory=list)
    note: Optional[str] = None


class GoldDocument(_Gold):
    id: str
    genre: str
    doc_date: Optional[str] = None
    modelled_on: Optional[str] = None
    directives: list[GoldDirective] = Field(default_factory=list)
    note: Optional[str] = None


@dataclass
class CorpusDocument:
    id: str
    split: str
    raw: str
    text: str
    gold: GoldDocument
    path: Path


def unregistered_gold_fields() -> set[str]:
    """Gold directive keys the field registry does not list, and registry fields the gold
    model lacks: both must be empty, or a field would go unanchored and unscored."""
    gold = set(GoldDirective.model_fields) - GOLD_ONLY
    return gold ^ {f.name for f in fields()}


@cache
def _check_registry() -> None:
    if unregistered := unregistered_gold_fields():
        raise RuntimeError(f"gold fields and data/fields.json disagree on {sorted(unregistered)}")


def _fields(d: GoldDirective) -> Iterator[tuple[str, GoldSpan]]:
    """Every span of a gold directive to anchor, by the registry's kinds (evidence apart)."""
    _check_registry()
    for f in fields():
        value = getattr(d, f.name)
        if f.kind == "entities":
            yield from ((f.name, span) for span in value)
        elif value is not None and (f.name in ENTITY_FIELDS + SPAN_FIELDS or f.kind == "deadline"):
            yield f.name, value


def anchor(gold: GoldDocument, text: str) -> list[str]:
    """Fill missing offsets in ``gold`` from span texts; return problems found."""
    problems: list[str] = []
    cursor = 0
    for i, d in enumerate(gold.directives):
        ev = d.evidence
        if ev.start is None:
            pos = text.find(ev.text, cursor)
            if pos < 0:
                pos = text.find(ev.text)
            if pos < 0:
                problems.append(f"directive {i}: evidence not found: {ev.text[:60]!r}")
                continue
            ev.start, ev.end = pos, pos + len(ev.text)
        cursor = ev.start
        for name, span in _fields(d):
            if span.start is not None:
                continue
            pos = text.find(span.text, ev.start, ev.end)
            if pos < 0:  # carried from context: nearest mention before the evidence
                pos = text.rfind(span.text, 0, ev.start)
            if pos < 0:
                pos = text.find(span.text, ev.end)
            if pos < 0:
                problems.append(f"directive {i}: {name} not found: {span.text[:60]!r}")
                continue
            span.start, span.end = pos, pos + len(span.text)
        for span in d.restatements:
            if span.start is None:
                pos = text.find(span.text)
                if pos < 0:
                    problems.append(f"directive {i}: restatement not found: {span.text[:60]!r}")
                    continue
                span.start, span.end = pos, pos + len(span.text)
    return problems


def is_field(doc_id: str) -> bool:
    """Whether a document belongs to part F (field texts)."""
    return doc_id.startswith(FIELD_PREFIXES)


@cache
def sector_ids() -> frozenset[str]:
    """The ids of ``extractor/data/sectors.json``."""
    from .sector import sector_labels

    return frozenset(sector_labels())


def validate(gold: GoldDocument, text: str) -> list[str]:
    """Problems in an anchored gold document (empty list when valid)."""
    problems = []
    if gold.genre not in GENRES:
        problems.append(f"unknown genre {gold.genre!r}")
    for i, d in enumerate(gold.directives):
        if d.sector is not None and d.sector not in sector_ids():
            problems.append(f"directive {i}: unknown sector {d.sector!r}")
        if is_field(gold.id) and d.sector is None:
            problems.append(f"directive {i}: part F needs a sector")
        restated = [("restatement", r) for r in d.restatements]
        for name, span in [("evidence", d.evidence), *_fields(d), *restated]:
            if span.start is None or span.end is None:
                problems.append(f"directive {i}: {name} has no offsets")
            elif text[span.start : span.end] != span.text:
                problems.append(
                    f"directive {i}: {name} text {span.text[:40]!r} != "
                    f"text[{span.start}:{span.end}] {text[span.start:span.end][:40]!r}"
                )
        if d.deadline is not None and d.deadline.date is not None:
            if len(d.deadline.date) != 10 or d.deadline.date[4] != "-":
                problems.append(f"directive {i}: deadline date not ISO: {d.deadline.date!r}")
    return problems


def read_splits(root: Path = CORPUS_DIR) -> dict[str, list[str]]:
    data = json.loads((root / "splits.json").read_text(encoding="utf-8"))
    unknown = set(data) - set(SPLITS)
    if unknown:
        raise ValueError(f"splits.json: unknown splits {sorted(unknown)}")
    return {name: list(data.get(name, [])) for name in SPLITS}


def load_document(doc_id: str, split: str = "", root: Path = CORPUS_DIR) -> CorpusDocument:
    path = root / "docs" / f"{doc_id}.txt"
    raw = path.read_text(encoding="utf-8")
    gold_path = root / "gold" / f"{doc_id}.json"
    gold = GoldDocument.model_validate_json(gold_path.read_text(encoding="utf-8"))
    return CorpusDocument(doc_id, split, raw, normalize_text(raw), gold, path)


def iter_split(split: str, root: Path = CORPUS_DIR) -> Iterator[CorpusDocument]:
    """Documents of one split, in a fixed order.

    A split of ``splits.json``, ``field-train``/``field-dev`` (the part-F documents of
    train/dev) or ``all``.
    """
    splits = read_splits(root)
    base = VIEWS.get(split, split)
    names = SPLITS if split == "all" else (base,)
    for name in names:
        if name not in splits:
            choices = ", ".join((*SPLITS, *VIEWS))
            raise ValueError(f"unknown split {split!r}; choose from {choices} or all")
        for doc_id in splits[name]:
            if split in VIEWS and not is_field(doc_id):
                continue
            yield load_document(doc_id, name, root)


def corpus_hash(root: Path = CORPUS_DIR) -> str:
    """Hash of every corpus text, gold file and the splits: the corpus version."""
    h = hashlib.sha256()
    for sub in ("docs", "gold"):
        for p in sorted((root / sub).glob("*")):
            h.update(p.name.encode())
            h.update(p.read_bytes())
    h.update((root / "splits.json").read_bytes())
    return h.hexdigest()[:16]


def check_corpus(root: Path = CORPUS_DIR) -> list[str]:
    """Every problem in the corpus: gold files, offsets, splits (empty when valid)."""
    problems = []
    splits = read_splits(root)
    seen: dict[str, str] = {}
    for name, ids in splits.items():
        for doc_id in ids:
            if doc_id in seen:
                problems.append(f"{doc_id}: in both {seen[doc_id]} and {name}")
            seen[doc_id] = name
    docs = {p.stem for p in (root / "docs").glob("*.txt")}
    golds = {p.stem for p in (root / "gold").glob("*.json")}
    for doc_id in sorted(docs ^ golds):
        problems.append(f"{doc_id}: text and gold file do not pair up")
    for doc_id in sorted(docs - set(seen)):
        problems.append(f"{doc_id}: in no split")
    for doc_id in sorted(set(seen) - docs):
        problems.append(f"{doc_id}: listed in splits.json but missing")
    for doc_id in sorted(docs & golds):
        try:
            doc = load_document(doc_id, root=root)
        except ValidationError as exc:
            problems.append(f"{doc_id}: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}")
            continue
        if doc.gold.id != doc_id:
            problems.append(f"{doc_id}: gold id is {doc.gold.id!r}")
        problems += [f"{doc_id}: {p}" for p in validate(doc.gold, doc.text)]
    return problems


_CATALOGUE_ROW = re.compile(r"^\| (C\d+) \|(.*?)\|(.*?)\| *(\d*) *\|(.*)\|$")


def passage_counts(root: Path = CORPUS_DIR) -> dict[str, int]:
    """Distinct studied passages (``field_sources.txt``) showing each construction id."""
    urls: dict[str, set[str]] = {}
    for line in (root / "field_sources.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        url, _genre, _year, ids = line.split("\t")[:4]
        for cid in filter(None, (i.strip() for i in ids.split(","))):
            urls.setdefault(cid, set()).add(url)
    return {cid: len(u) for cid, u in urls.items()}


def catalogue_counts(root: Path = CORPUS_DIR) -> dict[str, Optional[int]]:
    """The passages column of ``CONSTRUCTIONS.md``, by construction id."""
    out: dict[str, Optional[int]] = {}
    for line in (root / "CONSTRUCTIONS.md").read_text(encoding="utf-8").splitlines():
        m = _CATALOGUE_ROW.match(line)
        if m:
            out[m.group(1)] = int(m.group(4)) if m.group(4) else None
    return out


def write_catalogue_counts(root: Path = CORPUS_DIR) -> None:
    """Fill the passages column of ``CONSTRUCTIONS.md`` from ``field_sources.txt``."""
    counts = passage_counts(root)
    path = root / "CONSTRUCTIONS.md"
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _CATALOGUE_ROW.match(line)
        if m:
            line = (f"| {m.group(1)} |{m.group(2)}|{m.group(3)}| {counts.get(m.group(1), 0)} "
                    f"|{m.group(5)}|")  # fmt: skip
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _anchor_files(paths: list[Path]) -> int:
    failed = 0
    for gold_path in paths:
        doc_id = gold_path.stem
        raw = (gold_path.parent.parent / "docs" / f"{doc_id}.txt").read_text(encoding="utf-8")
        text = normalize_text(raw)
        data = json.loads(gold_path.read_text(encoding="utf-8"))
        gold = GoldDocument.model_validate(data)
        problems = anchor(gold, text) + validate(gold, text)
        for p in problems:
            print(f"{doc_id}: {p}", file=sys.stderr)
        failed += bool(problems)
        out = gold.model_dump(mode="json", exclude_none=False)
        gold_path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return failed


def main(argv: Optional[list[str]] = None) -> int:
    """``python -m extractor.corpus anchor FILE...``, ``check``, or ``constructions`` (fill the
    passages column of ``CONSTRUCTIONS.md`` from ``field_sources.txt``)."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["anchor"] and len(args) > 1:
        return 1 if _anchor_files([Path(a) for a in args[1:]]) else 0
    if args[:1] == ["constructions"]:
        write_catalogue_counts()
        for cid, n in sorted(catalogue_counts().items(), key=lambda kv: int(kv[0][1:])):
            print(f"{cid}\t{n}")
        return 0
    if args[:1] == ["check"]:
        problems = check_corpus()
        for p in problems:
            print(p, file=sys.stderr)
        print(f"{len(problems)} problems")
        return 1 if problems else 0
    print("usage: python -m extractor.corpus anchor GOLD.json... | check | constructions",
          file=sys.stderr)  # fmt: skip
    return 2


if __name__ == "__main__":
    sys.exit(main())
