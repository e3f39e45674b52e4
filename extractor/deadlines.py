"""Deadline expressions: find them in a clause and read them as dates.

The rules live in ``extractor/data/deadline_patterns.json`` (regexes with
stable ids, the vocabulary for numbers, quarters, units and frequencies);
this module holds no Vietnamese words. Every rule needs its trigger word
(trước, trong, chậm nhất, vào ngày, ngay, hằng, định kỳ, khẩn trương ...),
so a date in a citation ("Quyết định số 12/2021/QĐ-TTg ngày 5/3/2021") or a
narrative period ("cuối năm 2020") is not a deadline.

:func:`find_deadlines` returns non-overlapping matches, longest first;
:func:`parse_deadline` reads one expression relative to the document date.
A date is never invented: a missing year comes from the document date, a
relative deadline ("trong 2 tuần") is counted from it, and without a document
date both keep ``date=None`` with a warning saying why.

>>> parse_deadline("trong quý II/2021", None).date
'2021-06-30'
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from re import _constants, _parser
from typing import Iterator, Optional

from .normalize import normalize_text
from .resources import DeadlineRule, DeadlineRules, RuleError, Vocabulary, load
from .schema import DeadlineKind, Granularity

__all__ = ["DeadlineRule", "DeadlineRuleError", "DeadlineRules", "Vocabulary", "find_deadlines",
           "get_rules", "parse_deadline", "read_match"]  # fmt: skip

_MACRO = re.compile(r"\{([A-Z_]+)(?::(\d+))?\}")
_GROUP_DEF = re.compile(r"\(\?P<([a-z_]+)>")
_GROUP_REF = re.compile(r"\(\?P=([a-z_]+)\)")
_SUFFIX = re.compile(r"\d+$")


# The rule data's one error class; the old name stays for callers.
DeadlineRuleError = RuleError


Groups = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class DeadlineMatch:
    """A deadline expression found in a text: offsets, text, the rule id and the named
    groups the rule matched (by base name), from which :func:`read_match` reads it."""

    start: int
    end: int
    text: str
    rule: str
    groups: Groups = ()


@dataclass(frozen=True)
class DeadlineValue:
    """What a deadline expression means.

    ``date`` is the last day allowed (ISO), ``kind`` the contract's coarse
    kind and ``relation`` the finer one (domain.md 3.3). ``recurrence`` is
    daily, weekly, monthly, quarterly, half_yearly or yearly; ``day_rule``
    says which day of the period ("20" or "15/7") for "trước ngày 20 hằng
    tháng". A first deadline with a recurrence ("trước ngày 20/11/2025 và hằng
    tháng") keeps kind ``before`` and its date, plus the recurrence.
    """

    date: Optional[str]
    granularity: Optional[Granularity]
    kind: DeadlineKind
    rule: Optional[str]
    relation: Optional[str] = None
    recurrence: Optional[str] = None
    year_inferred: bool = False
    event: Optional[str] = None
    day_rule: Optional[str] = None
    warning: Optional[str] = None


def expand(pattern: str, macros: dict[str, str], depth: int = 0) -> str:
    """Expand ``{NAME}`` macros; ``{NAME:2}`` renames the groups inside (d -> d2)."""
    if depth > 10:
        raise DeadlineRuleError(f"macro recursion in {pattern!r}")

    def sub(m: re.Match) -> str:
        name, suffix = m.group(1), m.group(2)
        if name not in macros:
            raise DeadlineRuleError(f"unknown macro {{{name}}}")
        body = expand(macros[name], macros, depth + 1)
        if suffix:
            body = _GROUP_DEF.sub(lambda g: f"(?P<{g.group(1)}{suffix}>", body)
            body = _GROUP_REF.sub(lambda g: f"(?P={g.group(1)}{suffix})", body)
        return body

    return _MACRO.sub(sub, pattern)


_CROSSES_LINES = re.compile(r"(?<!\\)\\[sSWD]")


class DeadlineRuleSet:
    """The compiled rules of ``deadline_patterns.json``."""

    def __init__(self, data: DeadlineRules):
        self.data = data
        self.vocab = data.vocabulary
        self.compiled: list[tuple[DeadlineRule, re.Pattern]] = []
        self.by_id = {rule.id: rule for rule in data.rules}
        for rule in data.rules:
            body = expand(rule.pattern, data.macros)
            if _CROSSES_LINES.search(body):  # find_deadlines reads one line at a time
                raise DeadlineRuleError(f"rule {rule.id}: \\s, \\S, \\W or \\D can match a line "
                                        "end; write the space as ' '")  # fmt: skip
            # No date continues after the end. The start boundary is checked in
            # _matches: a leading lookbehind keeps re from skipping ahead and costs 2x.
            full = rf"(?:{body})(?!\w|[/.\-]\d)"
            try:
                self.compiled.append((rule, re.compile(full, re.IGNORECASE)))
            except re.error as exc:
                raise DeadlineRuleError(f"rule {rule.id}: regex does not compile: {exc}") from exc
        # Per rule, words one of which any match holds: a line holding none of a rule's
        # words is not searched with it (most lines hold no trigger of most rules).
        self.needs = [required_literals(_parser.parse(rx.pattern, rx.flags))
                      for _, rx in self.compiled]  # fmt: skip
        words = sorted({lit for need in self.needs for lit in need or ()}, key=len)
        # Shorter words first, each with the shorter ones inside it: a line without
        # "trước" holds no "trước ngày " either (case folds letter by letter).
        self.literals = [(lit, re.compile(re.escape(lit), re.IGNORECASE),
                          [w for w in words[:k] if w in lit])
                         for k, lit in enumerate(words)]  # fmt: skip

    def searched(self, line: str) -> list[tuple[DeadlineRule, re.Pattern]]:
        """The rules whose required words ``line`` holds (case as the rules read it)."""
        held: set[str] = set()
        for lit, rx, inside in self.literals:
            if all(w in held for w in inside) and rx.search(line):
                held.add(lit)
        return [pair for pair, need in zip(self.compiled, self.needs)
                if need is None or not held.isdisjoint(need)]  # fmt: skip


def required_literals(parsed) -> Optional[frozenset[str]]:
    """Strings one of which every match of a parsed regex holds, or None when none is
    known: a run of literal characters of a sequence, a group's, every branch's (their
    union), a repeat's done at least once; the run whose shortest string is longest."""
    found: list[frozenset[str]] = []
    run = ""
    for op, arg in parsed:
        if op is _constants.LITERAL:
            run += chr(arg)
            continue
        if run:
            found.append(frozenset({run}))
            run = ""
        need = _required_of(op, arg)
        if need is not None:
            found.append(need)
    if run:
        found.append(frozenset({run}))
    return max(found, key=lambda need: min(map(len, need)), default=None)


def _required_of(op, arg) -> Optional[frozenset[str]]:
    if op is _constants.SUBPATTERN:
        return required_literals(arg[-1])
    if op is _constants.BRANCH:
        needs = [required_literals(branch) for branch in arg[1]]
        return None if None in needs else frozenset().union(*needs)
    if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT) and arg[0] >= 1:
        return required_literals(arg[2])
    return None  # a class, an assertion, a back-reference: no literal known


@lru_cache(maxsize=1)
def get_rules() -> DeadlineRuleSet:
    """The deadline rules, loaded, validated and compiled once per process."""
    return DeadlineRuleSet(load(DeadlineRules, "deadline_patterns.json"))


_INSIDE_WORD = re.compile(r"[\w/]")


def _matches(rx: re.Pattern, text: str) -> Iterator[re.Match]:
    """``rx.finditer(text)`` for matches that do not start inside a word or a date."""
    pos = 0
    while (m := rx.search(text, pos)) is not None:
        start = m.start()
        if start > 0 and _INSIDE_WORD.match(text, start - 1):
            pos = start + 1
            continue
        yield m
        pos = m.end() if m.end() > start else start + 1


def _candidates(text: str) -> list[tuple[int, int, DeadlineRule, re.Match]]:
    out = []
    for rule, rx in get_rules().searched(text):
        for m in _matches(rx, text):
            start = m.end("lead") if "lead" in rx.groupindex and m.group("lead") else m.start()
            if m.end() > start and not _inside_object(text, start):
                out.append((start, m.end(), rule, m))
    return out


def _inside_object(text: str, start: int) -> bool:
    """"các khoản vay đến hạn trong quý IV": the time describes the object (C48)."""
    before = " " + text[max(0, start - 30) : start].lower().rstrip()
    return any(before.endswith(" " + w) for w in get_rules().data.object_markers)


def find_deadlines(text: str) -> list[DeadlineMatch]:
    """Deadline expressions in ``text`` (normalized), non-overlapping, in text order.

    Overlaps are settled longest first, then leftmost, so "trước ngày 20 tháng
    11 năm 2025 và hằng tháng" is one match, not a date and a recurrence.
    """
    # No rule crosses a line end, so lines are read one by one (a repeated one once).
    out: list[DeadlineMatch] = []
    offset = 0
    for line in text.split("\n"):
        for s, e, rule_id, groups in _line_deadlines(line):
            out.append(DeadlineMatch(offset + s, offset + e, line[s:e], rule_id, groups))
        offset += len(line) + 1
    return out


@lru_cache(maxsize=50_000)
def _line_deadlines(line: str) -> tuple[tuple[int, int, str, Groups], ...]:
    chosen: list[tuple[int, int, DeadlineRule, re.Match]] = []
    for start, end, rule, m in sorted(_candidates(line), key=lambda c: (c[0] - c[1], c[0])):
        if all(end <= s or start >= e for s, e, _, _ in chosen):
            chosen.append((start, end, rule, m))
    chosen.sort(key=lambda c: c[0])
    return tuple((s, e, rule.id, _groups(m)) for s, e, rule, m in chosen)


# ---------------------------------------------------------------------------
# Reading a match


def _groups(m: re.Match) -> Groups:
    """Matched groups by base name (d2 -> d), first one set wins."""
    out: dict[str, str] = {}
    for name, value in m.groupdict().items():
        if value is not None:
            out.setdefault(_SUFFIX.sub("", name), value)
    return tuple(out.items())


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _period(unit: str, year: int, index: int) -> tuple[dt.date, dt.date]:
    """First and last day of a month, quarter, half or year."""
    if unit == "month":
        return dt.date(year, index, 1), _month_end(year, index)
    if unit == "quarter":
        return dt.date(year, 3 * index - 2, 1), _month_end(year, 3 * index)
    if unit == "half":
        return dt.date(year, 6 * index - 5, 1), _month_end(year, 6 * index)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


_GRANULARITY = {
    "date": Granularity.day, "month": Granularity.month, "quarter": Granularity.quarter,
    "half": Granularity.half_year, "year": Granularity.year,
}  # fmt: skip


_UNIT_GRANULARITY = {
    "week": Granularity.day, "month": Granularity.month, "quarter": Granularity.quarter,
    "year": Granularity.year,
}  # fmt: skip


class _Reader:
    """Turns one match into a :class:`DeadlineValue`."""

    def __init__(self, rule: DeadlineRule, groups: Groups, doc_date: Optional[dt.date]):
        self.rule = rule
        self.g = dict(groups)
        self.doc_date = doc_date
        self.vocab = get_rules().vocab
        self.warning: Optional[str] = None
        self.year_inferred = False

    def number(self, word: str) -> Optional[int]:
        word = word.lower()
        return int(word) if word.isdigit() else self.vocab.number_words.get(word)

    def value_kind(self) -> str:
        if self.rule.value != "auto":
            return self.rule.value
        for group, kind in (("d", "date"), ("q", "quarter"), ("m", "month"), ("half", "half")):
            if group in self.g:
                return kind
        return "year" if "y" in self.g else "none"

    def year(self) -> Optional[int]:
        if "y" in self.g:
            return int(self.g["y"])
        if self.doc_date is None:
            self.warning = "The year is not stated and the document date is unknown."
            return None
        self.year_inferred = True
        return self.doc_date.year

    def read(self) -> tuple[Optional[dt.date], Optional[Granularity]]:
        kind = self.value_kind()
        if kind in _GRANULARITY:
            return self.calendar(kind), self.rule.granularity or _GRANULARITY[kind]
        if kind == "duration":
            return self.duration(), Granularity.day
        if kind == "relative_period":
            return self.relative_period()
        return None, None

    def calendar(self, kind: str) -> Optional[dt.date]:
        year = self.year()
        if year is None:
            return None
        try:
            day = self._calendar(kind, year)
            if self.year_inferred and day < self.doc_date:  # "trước 30/6" said in August
                day = self._calendar(kind, year + 1)
        except ValueError:
            self.warning = "The date does not exist in the calendar."
            return None
        return day

    def _calendar(self, kind: str, year: int) -> dt.date:
        if kind == "date":
            return dt.date(year, int(self.g["m"]), int(self.g["d"]))
        if kind == "month":
            index = int(self.g["m"])
        elif kind == "quarter":
            q = self.g["q"].upper()
            index = self.vocab.roman[q] if q in self.vocab.roman else int(q)
        elif kind == "half":
            index = self.vocab.half[self.g["half"].lower()]
        else:
            index = 1
        first, last = _period(kind, year, index)
        if self.rule.anchor == "start" and "end" not in self.g:
            return first - dt.timedelta(days=1)
        return last

    def duration(self) -> Optional[dt.date]:
        n = self.number(self.g.get("n", ""))
        unit = self.vocab.units.get(self.g.get("unit", "").lower())
        since = self.g.get("since")
        if n is None or unit is None:
            return None
        if since and since.lower() not in self.vocab.document_anchors:
            self.warning = "The period is counted from an event, not from the document date."
            return None
        if self.doc_date is None:
            self.warning = "A relative deadline needs the document date, which is unknown."
            return None
        start = self.doc_date
        if unit == "working_day":
            self.warning = "Working days counted Monday to Friday, without public holidays."
            day, left = start, n
            while left:
                day += dt.timedelta(days=1)
                if day.weekday() < 5:
                    left -= 1
            return day
        if unit in ("day", "week"):
            return start + dt.timedelta(days=n * (7 if unit == "week" else 1))
        months = {"month": 1, "quarter": 3, "year": 12}[unit]
        return _add_months(start, n * months)

    def relative_period(self) -> tuple[Optional[dt.date], Optional[Granularity]]:
        word = self.g.get("unit")
        unit = self.vocab.units.get(word.lower()) if word else self.rule.fixed_unit
        offset = self.vocab.relative.get((self.g.get("rel") or "").lower(), 0)
        if unit is None:
            return None, None
        if self.doc_date is None:
            self.warning = "A relative deadline needs the document date, which is unknown."
            return None, _UNIT_GRANULARITY.get(unit)
        d = self.doc_date
        if unit == "week":
            monday = d - dt.timedelta(days=d.weekday())
            return monday + dt.timedelta(days=7 * offset + 6), Granularity.day
        if unit == "month":
            target = _add_months(d.replace(day=1), offset)
            return _month_end(target.year, target.month), Granularity.month
        if unit == "quarter":
            q = (d.month - 1) // 3 + offset
            year, q = d.year + q // 4, q % 4 + 1
            return _period("quarter", year, q)[1], Granularity.quarter
        return dt.date(d.year + offset, 12, 31), Granularity.year

    def recurrence(self) -> Optional[str]:
        if "freq" in self.g:
            return self.vocab.frequency.get(self.g["freq"].lower())
        if "every" in self.g:
            n = self.number(self.g["every"])
            return self.vocab.every_months.get(str(n))
        return None

    def day_rule(self) -> Optional[str]:
        if self.rule.day_rule == "day":
            return self.g.get("d")
        if self.rule.day_rule == "day_month":
            return f"{self.g.get('d')}/{self.g.get('m')}"
        return None


def _best_match(text: str) -> Optional[DeadlineMatch]:
    cands = _candidates(text)
    if not cands:
        return None
    start, end, rule, m = min(cands, key=lambda c: (c[0] - c[1], c[0]))
    return DeadlineMatch(start, end, text[start:end], rule.id, _groups(m))


def read_match(match: DeadlineMatch, doc_date: Optional[dt.date] = None) -> DeadlineValue:
    """Read a match by the rule that found it: the rule's data says how its groups
    make a date (no second pattern pass). ``warning`` explains, in one English
    sentence, a date that could not be set."""
    rule = get_rules().by_id[match.rule]
    reader = _Reader(rule, match.groups, doc_date)
    date, granularity = reader.read()
    return DeadlineValue(
        date=date.isoformat() if date else None,
        granularity=granularity,
        kind=rule.kind,
        rule=rule.id,
        relation=rule.relation,
        recurrence=reader.recurrence(),
        year_inferred=reader.year_inferred and date is not None,
        event=reader.g.get("event"),
        day_rule=reader.day_rule(),
        warning=reader.warning,
    )


def parse_deadline(text: str, doc_date: Optional[dt.date] = None) -> DeadlineValue:
    """Read a deadline expression relative to the document date.

    ``text`` is an expression or a clause holding one (a corrected deadline in the
    review server, a test row); the longest expression found is read by
    :func:`read_match`. The pipeline reads the finder's matches directly.
    """
    found = _best_match(normalize_text(text))
    if found is None:
        return DeadlineValue(None, None, DeadlineKind.event, None,
                             warning="No deadline pattern matches this text.")
    return read_match(found, doc_date)
