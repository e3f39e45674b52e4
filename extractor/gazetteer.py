"""Actor gazetteer: resolves an actor mention to the body it names.

The data lives in ``extractor/data/gazetteer/`` (see its README): central
bodies with their validity dates and successors, the 63 provinces before and
the 34 after 2025-07-01, collectives, provincial departments, the words the
resolver reads around names (``grammar.json``) and the spaCy SpanRuler
patterns (``span_patterns.jsonl``). This module holds no Vietnamese words.

All lookups compare *keys*: the text normalized by
:func:`extractor.normalize.normalize_text`, case-folded, with dashes unified
and spaces around ``- & .`` dropped, so "Bộ LĐ - TB & XH" and "bộ lđ-tb&xh"
meet. Every :class:`Resolution` names the entry or pattern that decided it in
``rule``. A mention that matches nothing keeps ``canonical=None``: the
resolver guesses only the kind, from the head noun, and never a body.

>>> gaz = get_gazetteer()
>>> gaz.resolve("Bộ KH&ĐT").canonical.successor
'Bộ Tài chính'
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable, Iterable, Optional, Union

from .normalize import normalize_text
from .resources import (
    CentralEntry,
    CentralFile,
    CollectivesFile,
    DepartmentEntry,
    DepartmentsFile,
    Grammar,
    ListHead,
    NewProvinceExtra,
    ProvincesFile,
    RuleError,
    SpanPattern,
    gazetteer_file,
    gazetteer_lines,
)
from .schema import Canonical, EntityKind

__all__ = ["CentralEntry", "Gazetteer", "GazetteerError", "Resolution", "get_gazetteer"]

# The rule data's one error class; the old name stays for callers.
GazetteerError = RuleError

PROPOSED_NAME = "proposed_name_never_used"
ENDED = "ended"  # the body no longer exists on the document date
NOT_YET = "not_yet_in_force"  # the name is used before the body existed

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_TIGHT = re.compile(r"\s*([-&./])\s*")
_LOOSE = re.compile(r"\s*([,;:])\s*")
_SPACES = re.compile(r"\s+")
_EDGE = "\"'“”‘’()[]«» \t\n.,;:"


def load_span_patterns() -> list[SpanPattern]:
    """The SpanRuler patterns of ``span_patterns.jsonl``, validated."""
    return gazetteer_lines(SpanPattern, "span_patterns.jsonl")


# ---------------------------------------------------------------------------
# Keys and the resolution result


@lru_cache(maxsize=65536)  # pure, and called for every piece a list split tries
def clean(surface: str) -> str:
    """The mention as the resolver reads it: normalized, dashes unified, edges trimmed."""
    text = _DASHES.sub("-", normalize_text(surface))
    return _SPACES.sub(" ", text).strip(_EDGE)


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """Comparison key: case-folded, spacing around punctuation made canonical."""
    text = clean(text).casefold()
    text = _TIGHT.sub(r"\1", text)
    text = _LOOSE.sub(r"\1 ", text)
    return _SPACES.sub(" ", text).strip(_EDGE)


@dataclass
class Resolution:
    """What a mention names. ``rule`` is the entry or pattern id that decided."""

    canonical: Optional[Canonical]
    kind: EntityKind
    rule: str
    person: Optional[str] = None
    members: list[Canonical] = field(default_factory=list)
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Entry:
    """One body the gazetteer knows, with its validity period."""

    id: Optional[str]
    name: str
    kind: EntityKind
    valid_from: Optional[dt.date] = None
    valid_to: Optional[dt.date] = None
    successor: Optional[str] = None  # id of the successor entry
    successor_name: Optional[str] = None

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def canonical(self) -> Canonical:
        return Canonical(
            id=self.id,
            name=self.name,
            kind=self.kind,
            valid_from=self.valid_from.isoformat() if self.valid_from else None,
            valid_to=self.valid_to.isoformat() if self.valid_to else None,
            successor=self.successor_name,
        )


@dataclass(frozen=True)
class _Hit:
    """An index entry: the body, the rule id and how the mention names it."""

    entry: _Entry
    rule: str
    mention: Optional[EntityKind] = None  # e.g. person_role for "Bộ trưởng Bộ X"
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentContext:
    """What a whole document says that bare mentions need (see ``document_aliases``)."""

    on: Optional[dt.date]
    province: Optional[_Entry] = None  # the only provincial unit the text names
    working_group: Optional[_Entry] = None  # the PM's working group, if named in full


def _era_bounds(entries: Iterable[_Entry]) -> list[int]:
    """The days (ordinals) on which a date's resolution can change: a body begins, a
    body has ended, or the nearer of two ended bodies changes (around their midpoint).
    Two dates with no bound between them resolve every name alike."""
    bounds, refs = set(), set()
    for e in entries:
        if e.valid_from is not None:
            bounds.add(e.valid_from.toordinal())
        if e.valid_to is not None:
            bounds.add(e.valid_to.toordinal() + 1)
        ref = e.valid_to or e.valid_from  # what _pick measures the distance to
        if ref is not None:
            refs.add(ref.toordinal())
    for a in refs:
        for b in refs:
            if a < b:  # distances equal at (a + b) / 2; the nearer one changes after it
                bounds |= {(a + b + 1) // 2, (a + b) // 2 + 1}
    return sorted(bounds)


def _prefix_of(text_key: str, prefixes: Iterable[str]) -> Optional[str]:
    """The longest prefix (a key) that ends on a word boundary of ``text_key``."""
    best = None
    for p in prefixes:
        if text_key == p or (text_key.startswith(p) and not text_key[len(p)].isalnum()):
            if best is None or len(p) > len(best):
                best = p
    return best


def _title_case_words(words: list[str]) -> bool:
    """Words of a person's name: each capitalized, letters only."""
    return bool(words) and all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words)


def _name_like(words: list[str]) -> bool:
    """Words of a place name: capitalized words or numbers ("Phường 4")."""
    words = [w for w in words if w]
    return bool(words) and all(
        (w[:1].isupper() and w.replace("-", "").replace(".", "").isalpha()) or w.isdigit()
        for w in words
    )


# ---------------------------------------------------------------------------
# The gazetteer


MEMO_SIZE = 100_000  # resolved pieces kept (a few MB)


class Gazetteer:
    """Name index and resolver over the files of ``data/gazetteer``."""

    def __init__(self) -> None:
        self._memo: dict[tuple, Optional[Resolution]] = {}
        self.central = gazetteer_file(CentralFile, "central.json")
        self.others = gazetteer_file(CentralFile, "other_bodies.json")
        self.provinces = gazetteer_file(ProvincesFile, "provinces.json")
        self.collectives = gazetteer_file(CollectivesFile, "collectives.json")
        self.departments = gazetteer_file(DepartmentsFile, "departments.json")
        self.grammar = gazetteer_file(Grammar, "grammar.json")
        self._patterns = load_span_patterns()

        self.entries: dict[str, _Entry] = {}
        self._index: dict[str, list[_Hit]] = {}  # full names
        self._short: dict[str, list[_Hit]] = {}  # names after "Bộ", list codes
        self._bare_province: dict[str, list[_Hit]] = {}  # "Lào Cai" (lists only)
        self._dept: dict[str, DepartmentEntry] = {}
        self._forms: dict[str, str] = {}  # key -> display form, for surface_forms()
        self._acronyms: set[str] = set()
        g = self.grammar
        self._k_honorifics = [key(x) for x in g.honorifics]
        self._k_titles = [key(x) for x in g.person_titles]
        self._k_pc = [key(x) for x in g.pc_heads]
        self._k_dept = [key(x) for x in g.department_heads]
        self._k_district = [key(x) for x in g.district_types]
        self._k_commune = [key(x) for x in g.commune_types]
        self._k_types = {t: [key(x) for x in ws] for t, ws in g.province_types.items()}
        self._k_ministry = key(g.ministry_head)
        self._k_bare_province = {key(x) for x in g.bare_province}
        self._k_bare_chair = {key(x) for x in g.bare_province_chair}
        self._k_bare_wg = {key(x) for x in g.bare_working_group}
        self._k_heads = sorted(
            ((key(p), h) for h in g.list_heads for p in h.phrases), key=lambda x: -len(x[0])
        )
        self._k_false = [(key(p), f.id) for f in g.false_friends for p in f.prefixes]
        self._k_kinds = [(key(h.prefix), h.kind) for h in g.head_kinds]
        seps = sorted(g.list_separators, key=len, reverse=True)
        self._sep = re.compile(
            r"\s*(?:" + "|".join(re.escape(s) if not s.isalpha() else rf"(?<!\w){s}(?!\w)"
                               for s in seps) + r")\s*",
            re.IGNORECASE,
        )
        self._build_central()
        self._build_provinces()
        self._build_collectives()
        self._build_departments()
        self._province_scan = self._scan_regex()
        self._era_bounds = _era_bounds(self.entries.values())
        wg = self.entries["wg:to_cong_tac_ttg"]
        self._working_group_keys = tuple(key(a) for a in (wg.name, *self._aliases_of(wg.id)))

    # -- building ------------------------------------------------------------

    def _add(self, index: dict, form: str, hit: _Hit, surface: bool = True) -> None:
        k = key(form)
        hits = index.setdefault(k, [])
        if all(h.entry.id != hit.entry.id or h.mention != hit.mention for h in hits):
            hits.append(hit)
        if surface and index is self._index:
            self._forms.setdefault(k, clean(form))
            if " " not in clean(form) and clean(form).isupper():
                self._acronyms.add(k)

    def _build_central(self) -> None:
        all_entries = self.central.entries + self.others.entries
        names = {e.id: e.name for e in all_entries}
        for e in all_entries:
            if e.id in self.entries:
                raise GazetteerError(f"duplicate id {e.id!r}")
            if e.successor is not None and e.successor not in names:
                raise GazetteerError(f"{e.id}: unknown successor {e.successor!r}")
            self.entries[e.id] = _Entry(
                e.id, clean(e.name), e.kind, e.valid_from, e.valid_to, e.successor,
                clean(names[e.successor]) if e.successor else None,
            )
        head = self.grammar.ministry_head + " "
        for e in all_entries:
            entry = self.entries[e.id]
            rule = f"gazetteer:{e.id}"
            for form in (e.name, *e.aliases):
                self._add(self._index, form, _Hit(entry, rule))
                if form.startswith(head):  # "Kế hoạch và Đầu tư" after "các Bộ"
                    self._add(self._short, form[len(head):], _Hit(entry, rule + "#short"))
            for code in e.list_codes:
                self._add(self._short, code, _Hit(entry, rule + "#list_code"))
            for form in e.proposed_names:
                hit = _Hit(entry, rule + "#" + PROPOSED_NAME, flags=(PROPOSED_NAME,))
                self._add(self._index, form, hit)
                if form.startswith(head):
                    self._add(self._short, form[len(head):], hit)
            titled = [f"{t} {n}" for t in self.grammar.rank_titles.get(e.rank, ())
                      for n in (e.name, *e.aliases)]
            for form in (*e.head_titles, *titled):
                self._add(self._index, form,
                          _Hit(entry, rule + "#head", mention=EntityKind.person_role))

    def _province_entry(self, era: str, code: int, typ: str, name: str,
                        valid_from, valid_to, successor=None, successor_name=None) -> _Entry:
        pc = self.grammar.pc_heads[0]
        type_word = self.grammar.province_types[typ][0]
        return _Entry(f"province:{era}:{code}", f"{pc} {type_word} {name}",
                      EntityKind.province, valid_from, valid_to, successor, successor_name)

    def _build_provinces(self) -> None:
        from vietnam_provinces import Province  # NSO list of the 34 units from 2025-07-01

        p = self.provinces
        extras = {x.code: x for x in p.new}
        city_types = {"THANH_PHO_TRUNG_UONG"}
        new_by_code: dict[int, tuple[_Entry, str, str, tuple, tuple]] = {}
        city_word = key(self.grammar.province_types["city"][0])
        for prov in Province.iter_all():
            code = int(prov.code)
            typ = "city" if prov.division_type.name in city_types else "province"
            name = clean(prov.name)
            if key(name).startswith(city_word + " "):  # the package keeps "Thành phố" on cities
                name = name[len(city_word) + 1:]
            entry = self._province_entry("new", code, typ, name, p.new_valid_from, None)
            x = extras.get(code) or NewProvinceExtra(code=code)
            new_by_code[code] = (entry, typ, name, x.aliases, x.typed_aliases)
        unknown = set(extras) - set(new_by_code)
        if unknown:
            raise GazetteerError(f"provinces.json: 'new' codes not in the NSO list: {unknown}")
        seen = set()
        for o in p.old:
            if o.code in seen:
                raise GazetteerError(f"provinces.json: duplicate old code {o.code}")
            seen.add(o.code)
            if o.successor_code not in new_by_code:
                raise GazetteerError(f"provinces.json: old {o.code} -> unknown {o.successor_code}")
            succ = new_by_code[o.successor_code][0]
            entry = self._province_entry("old", o.code, o.type, clean(o.name), None,
                                         p.old_valid_to, succ.id, succ.name)
            self.entries[entry.id] = entry
            self._add_province(entry, o.type, clean(o.name), o.aliases, o.typed_aliases)
        for entry, typ, name, aliases, typed in new_by_code.values():
            self.entries[entry.id] = entry
            self._add_province(entry, typ, name, aliases, typed)

    def _add_province(self, entry: _Entry, typ: str, name: str, aliases, typed) -> None:
        g = self.grammar
        rule = f"gazetteer:{entry.id}"
        typed_forms = list(typed)
        for n in (name, *aliases):
            self._add(self._bare_province, n, _Hit(entry, rule + "#bare"), surface=False)
            for word in g.province_types[typ]:
                typed_forms.append(f"{word} {n}")
                if word.endswith("."):  # "TP.HCM" is written without the space too
                    typed_forms.append(f"{word}{n}")
        for form in typed_forms:
            # "tỉnh X" alone is metonymy for the province's People's Committee.
            self._add(self._index, form, _Hit(entry, rule + "#metonymy"))
            for pc in g.pc_heads:
                pc_form = f"{pc} {form}"
                self._add(self._index, pc_form, _Hit(entry, rule))
                for title in g.rank_titles.get("province", ()):
                    self._add(self._index, f"{title} {pc_form}",
                              _Hit(entry, rule + "#head", mention=EntityKind.person_role))

    def _build_collectives(self) -> None:
        for c in self.collectives.entries:
            if c.id in self.entries:
                raise GazetteerError(f"duplicate id {c.id!r}")
            entry = _Entry(c.id, clean(c.name), EntityKind.collective)
            self.entries[c.id] = entry
            for phrase in (c.name, *c.phrases):
                self._add(self._index, phrase, _Hit(entry, f"gazetteer:{c.id}"))

    def _build_departments(self) -> None:
        names = {clean(d.name) for d in self.departments.entries}
        for d in self.departments.entries:
            if d.successor is not None and clean(d.successor) not in names:
                raise GazetteerError(f"departments.json: unknown successor {d.successor!r}")
            for form in (d.name, *d.aliases):
                k = key(form)
                if k in self._dept:
                    raise GazetteerError(f"departments.json: duplicate name {form!r}")
                self._dept[k] = d
                self._forms.setdefault(k, clean(form))
        g = self.grammar
        # Bare heads that a provincial text uses alone ("Ủy ban nhân dân tỉnh", "UBND xã").
        pcs = [key(pc) for pc in g.pc_heads]
        for form in (*g.bare_province, *g.bare_province_chair):
            if any(pc in key(form) for pc in pcs):
                self._forms.setdefault(key(form), clean(form))
        for pc in g.pc_heads:
            for t in (*g.district_types, *g.commune_types):
                self._forms.setdefault(key(f"{pc} {t}"), clean(f"{pc} {t}"))

    def _scan_regex(self) -> re.Pattern:
        """Finds typed province names ("tỉnh Lào Cai") in a document."""
        forms = sorted({self._forms[k] for k, hits in self._index.items()
                        if any(h.entry.kind == EntityKind.province for h in hits)
                        and k in self._forms}, key=len, reverse=True)
        from .trie import phrase_regex  # a flat alternation of ~200 names is slow

        return phrase_regex(forms)

    # -- public API ----------------------------------------------------------

    def surface_forms(self, acronyms: bool = True) -> list[str]:
        """Every literal name and alias (normalized), longest first.

        Short names ("Tài chính") and bare province names ("Lào Cai") are left
        out: they name a body only inside a factored list. ``acronyms=False``
        also leaves out one-word capital codes ("VPCP", "NHNN"), which occur
        inside document numbers ("Số: 12/VPCP-NN").
        """
        forms = [f for k, f in self._forms.items() if acronyms or k not in self._acronyms]
        return sorted(forms, key=lambda f: (-len(f), f))

    def span_patterns(self) -> list[dict]:
        """SpanRuler patterns for generic actor forms (``span_patterns.jsonl``)."""
        return [{"label": p.label, "id": p.id, "pattern": p.pattern} for p in self._patterns]

    def entry(self, entry_id: str) -> Optional[Canonical]:
        """The canonical record of an entry id, or None."""
        e = self.entries.get(entry_id)
        return e.canonical() if e else None

    def working_group_alias(self, doc_text: str) -> Optional[Canonical]:
        """The PM's working group when ``doc_text`` names it in full, else None.

        A bare "Tổ công tác" is ambiguous; it means the PM's working group only
        in a document that says "Tổ công tác của Thủ tướng (Chính phủ)".
        """
        ctx = self.document_context(doc_text)
        return ctx.working_group.canonical() if ctx.working_group else None

    def document_aliases(
        self, doc_text: str, on: Optional[dt.date] = None
    ) -> dict[str, Resolution]:
        """Bare forms that this document lets resolve, keyed by form.

        "Tổ công tác" → the PM's working group (when named in full);
        "Tỉnh", "Ủy ban nhân dân tỉnh" … → the only province the text names.
        """
        ctx = self.document_context(doc_text, on)
        out = {}
        g = self.grammar
        if ctx.working_group is not None:
            for form in g.bare_working_group:
                out[form] = self._from_entry(ctx.working_group, "context.working_group")
        if ctx.province is not None:
            for form in g.bare_province:
                out[form] = self._from_entry(ctx.province, "context.province")
            for form in g.bare_province_chair:
                out[form] = self._from_entry(ctx.province, "context.province",
                                             EntityKind.person_role)
        return out

    def document_context(self, doc_text: str, on: Optional[dt.date] = None,
                         normalized: bool = False) -> DocumentContext:  # fmt: skip
        """The document-level facts bare mentions need (cached per text).

        ``normalized=True`` says ``doc_text`` is already the pipeline's normalized text,
        which saves normalizing a whole document again.
        """
        return _document_context(self, doc_text, on, normalized)

    def _compute_context(self, doc_text: str, on: Optional[dt.date],
                         normalized: bool = False) -> DocumentContext:  # fmt: skip
        text = doc_text if normalized else clean(doc_text)
        wg = self.entries["wg:to_cong_tac_ttg"]
        folded = text.casefold()  # the working group's names hold no punctuation to key
        working_group = wg if any(k in folded for k in self._working_group_keys) else None
        ids = set()
        for m in self._province_scan.finditer(text):
            hit = self._pick(self._index.get(key(m.group(0)), []), on)
            if hit is not None and hit.entry.kind == EntityKind.province:
                ids.add(hit.entry.id)
        province = self.entries[ids.pop()] if len(ids) == 1 else None
        return DocumentContext(on, province, working_group)

    def _aliases_of(self, entry_id: str) -> list[str]:
        return [self._forms[k] for k, hits in self._index.items()
                if k in self._forms and any(h.entry.id == entry_id for h in hits)]

    def resolve(
        self,
        surface: str,
        on: Optional[dt.date] = None,
        context: Union[str, DocumentContext, None] = None,
    ) -> Resolution:
        """Resolve one actor mention.

        ``on`` is the document date: it chooses between bodies that share a
        name (an old and a new province) and flags bodies that had ended or
        not yet begun. Without it names are read as of today. ``context`` (the
        whole normalized document text, or a :class:`DocumentContext`) lets
        bare mentions ("Tỉnh", "Tổ công tác", "Sở Y tế") resolve.
        """
        text = clean(surface)
        if isinstance(context, str):
            context = self.document_context(context, on)
        if not text:
            return Resolution(None, EntityKind.other, "unknown.empty")
        res = self._resolve(text, on, context, allow_list=True)
        return res if res is not None else self._guess(text)

    def member_count(self, surface: str) -> int:
        """How many bodies a list mention names, read as of today without a document
        (what growing a list over its items asks, again and again)."""
        return self._memoized(("member_count", surface, self._memo_part(dt.date.today())),
                              lambda: len(self.resolve(surface).members))  # fmt: skip

    # -- resolution steps ----------------------------------------------------

    def _resolve(self, text: str, on, ctx, allow_list: bool) -> Optional[Resolution]:
        # Growing a list re-resolves the same pieces many times: remember them. Callers
        # amend what they get (rule, kind, person), so each gets its own copy.
        return self._remembered(self._resolve_uncached, text, on, ctx, allow_list)

    def _remembered(self, step, *args) -> Optional[Resolution]:
        """``step(*args)``, computed once per arguments; a copy the caller may amend."""
        res = self._memoized((step.__name__, *map(self._memo_part, args)), lambda: step(*args))
        return None if res is None else replace(res, members=list(res.members))

    def _memoized(self, memo_key: tuple, compute: Callable):
        if memo_key not in self._memo:
            if len(self._memo) > MEMO_SIZE:
                self._memo.clear()
            self._memo[memo_key] = compute()
        return self._memo[memo_key]

    def _memo_part(self, arg):
        # A date matters only by the era it falls in (see _era_bounds): documents of
        # different days share their resolutions.
        if isinstance(arg, dt.date):
            return ("era", bisect_right(self._era_bounds, arg.toordinal()))
        if isinstance(arg, DocumentContext):
            return (self._memo_part(arg.on), arg.province, arg.working_group)
        return arg

    def _resolve_uncached(self, text: str, on, ctx, allow_list: bool) -> Optional[Resolution]:
        k = key(text)
        if (res := self._exact(k, on)) is not None:
            return res
        if (res := self._bare(k, ctx)) is not None:
            return res
        if (res := self._false_friend(k)) is not None:
            return res
        if (hon := _prefix_of(k, self._k_honorifics)) is not None and len(k) > len(hon):
            rest = self._resolve(self._after(text, hon), on, ctx, allow_list)
            if rest is not None:
                rest.rule += "+honorific"
                return rest
        for step in (self._department, self._local_unit, self._titled, self._with_person):
            if (res := step(text, on, ctx)) is not None:
                return res
        if allow_list:
            return self._list(text, on, ctx)
        return None

    def _exact(self, k: str, on) -> Optional[Resolution]:
        hit = self._pick(self._index.get(k, []), on)
        if hit is None:
            return None
        return self._from_entry(hit.entry, hit.rule, hit.mention, hit.flags, on)

    def _from_entry(self, entry: _Entry, rule: str, mention: Optional[EntityKind] = None,
                    flags: tuple[str, ...] = (), on: Optional[dt.date] = None) -> Resolution:
        if on is not None and not entry.valid_on(on):
            flags = (*flags, ENDED if entry.valid_to and on > entry.valid_to else NOT_YET)
        return Resolution(entry.canonical(), mention or entry.kind, rule, flags=flags)

    @staticmethod
    def _pick(hits: list[_Hit], on: Optional[dt.date]) -> Optional[_Hit]:
        """The hit valid on the date; None when two different bodies remain."""
        if not hits:
            return None
        if len({h.entry.id for h in hits}) == 1:
            return hits[0]
        day = on or dt.date.today()
        valid = [h for h in hits if h.entry.valid_on(day)]
        if not valid:  # all ended or not begun: the one nearest in time
            valid = sorted(hits, key=lambda h: abs(
                ((h.entry.valid_to or h.entry.valid_from or day) - day).days))[:1]
        return valid[0] if len({h.entry.id for h in valid}) == 1 else None

    def _bare(self, k: str, ctx: Optional[DocumentContext]) -> Optional[Resolution]:
        """"Tỉnh", "Tổ công tác": only with what the document says elsewhere."""
        if k in self._k_bare_wg:
            if ctx is not None and ctx.working_group is not None:
                return self._from_entry(ctx.working_group, "context.working_group")
            return Resolution(None, EntityKind.working_group, "bare.working_group")
        if k in self._k_bare_province or k in self._k_bare_chair:
            mention = EntityKind.person_role if k in self._k_bare_chair else None
            if ctx is not None and ctx.province is not None:
                return self._from_entry(ctx.province, "context.province", mention, on=ctx.on)
            return Resolution(None, mention or EntityKind.province, "bare.province")
        return None

    def _false_friend(self, k: str) -> Optional[Resolution]:
        best = None
        for prefix, rule in self._k_false:
            if (k == prefix or k.startswith(prefix + " ")) and (
                best is None or len(prefix) > len(best[0])
            ):
                best = (prefix, rule)
        return Resolution(None, EntityKind.other, best[1]) if best else None

    @staticmethod
    def _after(text: str, prefix_key: str) -> str:
        """``text`` without its first words, those that make up ``prefix_key``."""
        words = text.split(" ")
        for n in range(1, len(words) + 1):
            if key(" ".join(words[:n])) == prefix_key:
                return " ".join(words[n:]).lstrip(":, ")
        return text

    def _province_in(self, text: str, on) -> Optional[_Hit]:
        """A typed province ("tỉnh Lào Cai") or a bare name ("Lào Cai")."""
        k = key(text)
        hit = self._pick(self._index.get(k, []), on)
        if hit is not None and hit.entry.kind == EntityKind.province:
            return hit
        return self._pick(self._bare_province.get(k, []), on)

    def _department(self, text: str, on, ctx) -> Optional[Resolution]:
        """"Sở Y tế", "Sở Y tế tỉnh Lào Cai", "Sở Tài chính Hà Nội"."""
        k = key(text)
        if _prefix_of(k, self._k_dept) is None:
            return None
        words = text.split(" ")
        for n in range(len(words), 1, -1):
            dept = self._dept.get(key(" ".join(words[:n])))
            if dept is None:
                continue
            rest = " ".join(words[n:])
            province = self._province_in(rest, on) if rest else None
            if rest and province is None and key(rest) not in {
                key(q) for q in self.grammar.local_qualifiers  # "Sở Y tế cấp tỉnh"
            }:
                return None  # a known department followed by more: maybe a list
            name = clean(dept.name)
            successor = clean(dept.successor) if dept.successor else None
            entry = province.entry if province else (ctx.province if ctx else None)
            rule = "department.name" + ("+province" if province else "")
            if entry is None:
                canonical = Canonical(id=None, name=name, kind=EntityKind.department,
                                      successor=successor)
            else:
                if province is None:
                    rule += "+context.province"
                canonical = Canonical(
                    id=f"department:{name}@{entry.id}", name=f"{name} ({entry.name})",
                    kind=EntityKind.department, successor=successor)
            return Resolution(canonical, EntityKind.department, rule)
        if _name_like(words[1:]):
            return Resolution(None, EntityKind.department, "department.pattern")
        return None

    def _local_unit(self, text: str, on, ctx) -> Optional[Resolution]:
        """PC of an unknown province, a district or a commune, by its head words."""
        pc = _prefix_of(key(text), self._k_pc)
        if pc is None:
            return None
        rest = self._after(text, pc)
        rest_k = key(rest)
        for kind, types in ((EntityKind.district, self._k_district),
                            (EntityKind.commune, self._k_commune),
                            *((EntityKind.province, t) for t in self._k_types.values())):
            t = _prefix_of(rest_k, types)
            if t is not None and len(rest_k) > len(t) and _name_like(
                self._after(rest, t).split(" ")
            ):
                return Resolution(None, kind, f"{kind.value}.pattern")
        return None

    def _titled(self, text: str, on, ctx) -> Optional[Resolution]:
        """"Bộ trưởng Bộ Xây dựng", "Giám đốc Sở Y tế": the title's body."""
        k = key(text)
        title = _prefix_of(k, self._k_titles)
        if title is None or len(k) == len(title):
            return None
        res = self._resolve(self._after(text, title), on, ctx, allow_list=False)
        if res is None or res.kind == EntityKind.person_role:
            return None
        if res.canonical is None and res.kind != EntityKind.department:
            return None
        res.kind = EntityKind.person_role
        res.rule = f"title+{res.rule}"
        return res

    def _with_person(self, text: str, on, ctx) -> Optional[Resolution]:
        """A role followed by a person's name: "Phó Thủ tướng Trần Hồng Hà"."""
        words = text.split(" ")
        for n in range(len(words) - 2, 0, -1):
            name = words[n:]
            if not (2 <= len(name) <= 5 and _title_case_words(name)):
                continue
            res = self._resolve(" ".join(words[:n]), on, ctx, allow_list=False)
            if res is not None and res.kind == EntityKind.person_role and res.person is None:
                res.person = " ".join(name)
                res.rule += "+person"
                return res
        return None

    # -- lists ---------------------------------------------------------------

    def _list(self, text: str, on, ctx) -> Optional[Resolution]:
        """A factored list ("các Bộ: Công an, Tài chính") or a coordination."""
        res = self._headed_list(text, on, ctx)
        if res is not None:
            return res
        return self._split(text, lambda s: self._coordinated(s, on, ctx), "list.coordination")

    def _headed_list(self, text: str, on, ctx) -> Optional[Resolution]:
        """Items after a list head; each item named short ("Tài chính") or in full."""
        return self._remembered(self._headed_list_uncached, text, on, ctx)

    def _headed_list_uncached(self, text: str, on, ctx) -> Optional[Resolution]:
        k = key(text)
        for head_k, head in self._k_heads:
            if k.startswith(head_k) and len(k) > len(head_k) and not k[len(head_k)].isalnum():
                items = self._after(text, head_k)
                if not items:
                    continue
                res = self._split(items, lambda s, h=head: self._item(s, h, on, ctx), head.id)
                if res is not None:
                    if head.person_role:
                        res.kind = EntityKind.person_role
                    return res
        return None

    def _item(self, s: str, head: ListHead, on, ctx) -> Optional[Resolution]:
        k = key(s)
        if head.item == "ministry":
            hit = self._pick(self._short.get(k, []), on)
            if hit is not None:
                return self._from_entry(hit.entry, hit.rule, None, hit.flags, on)
        elif head.item == "province":
            hit = self._province_in(s, on)
            if hit is not None:
                return self._from_entry(hit.entry, hit.rule, on=on)
        elif head.item == "department":
            res = self._department(f"{self.grammar.department_heads[0]} {s}", on, ctx)
            if res is not None and res.canonical is not None:
                return res
        res = self._resolve(s, on, ctx, allow_list=False)
        return res if res is not None and (res.canonical or res.members) else None

    def _coordinated(self, s: str, on, ctx) -> Optional[Resolution]:
        """An item of a plain coordination: a full name or a headed list."""
        res = self._resolve(s, on, ctx, allow_list=False)
        if res is not None and res.canonical is not None:
            return res
        res = self._headed_list(s, on, ctx)
        return res if res is not None and res.members else None

    def _split(self, text: str, item, rule: str) -> Optional[Resolution]:
        """Split on separators where the gazetteer says names end.

        Dynamic programming over the separator positions: each piece must
        resolve as a whole, so "Nông nghiệp và Môi trường" stays one item
        when the gazetteer knows it and a "và" inside a name never splits it.
        """
        cuts = [(0, 0)] + [(m.start(), m.end()) for m in self._sep.finditer(text)]
        cuts.append((len(text), len(text)))
        n = len(cuts)
        best: list[Optional[list[Resolution]]] = [None] * n
        best[0] = []
        for j in range(1, n):
            for i in range(j - 1, -1, -1):
                if best[i] is None:
                    continue
                piece = text[cuts[i][1]: cuts[j][0]].strip()
                if not piece:
                    continue
                res = item(piece)
                if res is not None:
                    cand = best[i] + [res]
                    if best[j] is None or len(cand) < len(best[j]):
                        best[j] = cand
        found = best[n - 1]
        if not found or (rule == "list.coordination" and len(found) < 2):
            return None
        members: list[Canonical] = []
        for r in found:
            for c in r.members or ([r.canonical] if r.canonical else []):
                if all(c.id != m.id or c.name != m.name for m in members):
                    members.append(c)
        kinds = {r.kind for r in found}
        kind = kinds.pop() if len(kinds) == 1 else EntityKind.collective
        flags = tuple(dict.fromkeys(f for r in found for f in r.flags))
        return Resolution(None, kind, rule, members=members, flags=flags)

    # -- unknown -------------------------------------------------------------

    def _guess(self, text: str) -> Resolution:
        """Unknown mention: the kind from its head noun, never a body."""
        k = key(text)
        best = None
        for prefix, kind in self._k_kinds:
            if (k == prefix or k.startswith(prefix + " ")) and (
                best is None or len(prefix) > len(best[0])
            ):
                best = (prefix, kind)
        if best is None:
            return Resolution(None, EntityKind.other, "unknown")
        return Resolution(None, best[1], "unknown.head")


@lru_cache(maxsize=64)
def _document_context(gaz: Gazetteer, doc_text: str, on: Optional[dt.date],
                      normalized: bool) -> DocumentContext:  # fmt: skip
    return gaz._compute_context(doc_text, on, normalized)


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The gazetteer, loaded and validated once per process."""
    return Gazetteer()
