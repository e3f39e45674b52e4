"""The name index, built once from the files of ``data/gazetteer`` and then read-only.

:func:`build_index` reads and validates the files (through the rule-data layer), checks
ids and successors, and indexes every name, alias, short name, list code, head title and
province form under its key. The :class:`Index` it returns holds only read-only mappings
and tuples.
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from os.path import join
from types import MappingProxyType
from typing import Mapping, Optional

from ..resources import (
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
from ..schema import EntityKind
from .keys import clean, key
from .records import PROPOSED_NAME, Entry, Hit
from .temporal import era_bounds

WORKING_GROUP_ID = "wg:to_cong_tac_ttg"  # the PM's working group, which bare mentions need


@dataclass(frozen=True)
class GrammarKeys:
    """The words of ``grammar.json`` the resolver compares, as keys."""

    honorifics: tuple[str, ...]
    titles: tuple[str, ...]
    pc: tuple[str, ...]
    dept: tuple[str, ...]
    district: tuple[str, ...]
    commune: tuple[str, ...]
    types: Mapping[str, tuple[str, ...]]
    ministry: str
    bare_province: frozenset
    bare_chair: frozenset
    bare_wg: frozenset
    heads: tuple[tuple[str, ListHead], ...]  # longest first
    false_friends: tuple[tuple[str, str], ...]
    head_kinds: tuple[tuple[str, EntityKind], ...]
    local_qualifiers: frozenset


def grammar_keys(g: Grammar) -> GrammarKeys:
    def keys(words) -> tuple[str, ...]:
        return tuple(key(x) for x in words)

    return GrammarKeys(
        honorifics=keys(g.honorifics), titles=keys(g.person_titles), pc=keys(g.pc_heads),
        dept=keys(g.department_heads), district=keys(g.district_types),
        commune=keys(g.commune_types),
        types=MappingProxyType({t: keys(ws) for t, ws in g.province_types.items()}),
        ministry=key(g.ministry_head), bare_province=frozenset(keys(g.bare_province)),
        bare_chair=frozenset(keys(g.bare_province_chair)),
        bare_wg=frozenset(keys(g.bare_working_group)),
        heads=tuple(sorted(((key(p), h) for h in g.list_heads for p in h.phrases),
                           key=lambda x: -len(x[0]))),
        false_friends=tuple((key(p), f.id) for f in g.false_friends for p in f.prefixes),
        head_kinds=tuple((key(h.prefix), h.kind) for h in g.head_kinds),
        local_qualifiers=frozenset(keys(g.local_qualifiers)),
    )  # fmt: skip


def separator_regex(separators) -> re.Pattern:
    """Where a list may be cut: punctuation anywhere, words ("và") only whole."""
    seps = sorted(separators, key=len, reverse=True)
    return re.compile(
        r"\s*(?:" + "|".join(re.escape(s) if not s.isalpha() else rf"(?<!\w){s}(?!\w)"
                           for s in seps) + r")\s*",
        re.IGNORECASE,
    )  # fmt: skip


@dataclass(frozen=True)
class Index:
    """Read-only: entries by id, hits by key, and what the resolver compares."""

    grammar: Grammar
    patterns: tuple[SpanPattern, ...]
    entries: Mapping[str, Entry]
    names: Mapping[str, tuple[Hit, ...]]  # full names
    short: Mapping[str, tuple[Hit, ...]]  # names after "Bộ", list codes
    bare_province: Mapping[str, tuple[Hit, ...]]  # "Lào Cai" (lists only)
    departments: Mapping[str, DepartmentEntry]
    forms: Mapping[str, str]  # key -> display form, for surface_forms()
    acronyms: frozenset
    keys: GrammarKeys
    separators: re.Pattern
    province_scan: re.Pattern
    era_bounds: tuple[int, ...]
    working_group: Entry
    working_group_keys: tuple[str, ...]


class _Builder:
    """Collects the index while the files are read; :meth:`freeze` makes the Index."""

    def __init__(self, grammar: Grammar):
        self.grammar = grammar
        self.entries: dict[str, Entry] = {}
        self.names: dict[str, list[Hit]] = {}
        self.short: dict[str, list[Hit]] = {}
        self.bare_province: dict[str, list[Hit]] = {}
        self.departments: dict[str, DepartmentEntry] = {}
        self.forms: dict[str, str] = {}
        self.acronyms: set[str] = set()

    def add(self, index: dict, form: str, hit: Hit, surface: bool = True) -> None:
        k = key(form)
        hits = index.setdefault(k, [])
        if all(h.entry.id != hit.entry.id or h.mention != hit.mention for h in hits):
            hits.append(hit)
        if surface and index is self.names:
            self.forms.setdefault(k, clean(form))
            if " " not in clean(form) and clean(form).isupper():
                self.acronyms.add(k)

    def new_entry(self, entry: Entry) -> None:
        if entry.id in self.entries:
            raise RuleError(f"gazetteer: duplicate id {entry.id!r}")
        self.entries[entry.id] = entry

    def freeze(self, patterns) -> Index:
        def frozen(index: dict) -> Mapping[str, tuple[Hit, ...]]:
            return MappingProxyType({k: tuple(v) for k, v in index.items()})

        wg = self.entries.get(WORKING_GROUP_ID)
        if wg is None:
            raise RuleError(f"gazetteer: required entry {WORKING_GROUP_ID!r} missing")
        wg_keys = tuple(key(a) for a in (wg.name, *_aliases_of(self, wg.id)))
        return Index(
            grammar=self.grammar, patterns=tuple(patterns),
            entries=MappingProxyType(self.entries), names=frozen(self.names),
            short=frozen(self.short), bare_province=frozen(self.bare_province),
            departments=MappingProxyType(self.departments),
            forms=MappingProxyType(self.forms), acronyms=frozenset(self.acronyms),
            keys=grammar_keys(self.grammar),
            separators=separator_regex(self.grammar.list_separators),
            province_scan=_scan_regex(self), era_bounds=era_bounds(self.entries.values()),
            working_group=wg, working_group_keys=wg_keys,
        )  # fmt: skip


def build_index() -> Index:
    """Read, validate and index every gazetteer file."""
    grammar = gazetteer_file(Grammar, "grammar.json")
    b = _Builder(grammar)
    central = gazetteer_file(CentralFile, "central.json")
    others = gazetteer_file(CentralFile, "other_bodies.json")
    _add_central(b, central.entries + others.entries)
    _add_provinces(b, gazetteer_file(ProvincesFile, "provinces.json"))
    _add_collectives(b, gazetteer_file(CollectivesFile, "collectives.json"))
    _add_departments(b, gazetteer_file(DepartmentsFile, "departments.json"))
    return b.freeze(gazetteer_lines(SpanPattern, "span_patterns.jsonl"))


def _add_central(b: _Builder, all_entries) -> None:
    names = {e.id: e.name for e in all_entries}
    for e in all_entries:
        if e.successor is not None and e.successor not in names:
            raise RuleError(f"gazetteer: {e.id}: unknown successor {e.successor!r}")
        b.new_entry(Entry(
            e.id, clean(e.name), e.kind, e.valid_from, e.valid_to, e.successor,
            clean(names[e.successor]) if e.successor else None,
        ))  # fmt: skip
    for e in all_entries:
        _index_central(b, e)


def _index_central(b: _Builder, e) -> None:
    """A central body's names, short names, list codes, proposed names and head titles."""
    head = b.grammar.ministry_head + " "
    entry = b.entries[e.id]
    rule = f"gazetteer:{e.id}"
    for form in (e.name, *e.aliases):
        b.add(b.names, form, Hit(entry, rule))
        if form.startswith(head):  # "Kế hoạch và Đầu tư" after "các Bộ"
            b.add(b.short, form[len(head):], Hit(entry, rule + "#short"))
    for code in e.list_codes:
        b.add(b.short, code, Hit(entry, rule + "#list_code"))
    for form in e.proposed_names:
        hit = Hit(entry, rule + "#" + PROPOSED_NAME, flags=(PROPOSED_NAME,))
        b.add(b.names, form, hit)
        if form.startswith(head):
            b.add(b.short, form[len(head):], hit)
    titled = [f"{t} {n}" for t in b.grammar.rank_titles.get(e.rank, ())
              for n in (e.name, *e.aliases)]  # fmt: skip
    for form in (*e.head_titles, *titled):
        b.add(b.names, form, Hit(entry, rule + "#head", mention=EntityKind.person_role))


def _province_entry(g: Grammar, era: str, code: int, typ: str, name: str,
                    valid_from, valid_to, successor=None, successor_name=None) -> Entry:
    pc = g.pc_heads[0]
    type_word = g.province_types[typ][0]
    return Entry(f"province:{era}:{code}", f"{pc} {type_word} {name}",
                 EntityKind.province, valid_from, valid_to, successor, successor_name)  # fmt: skip


def _nso_provinces() -> list[dict]:
    """The package's province list, read from its data file: importing the package builds
    an enum of its 3 321 wards (0.15 s of a one-file run) for the 34 provinces read here."""
    folder = importlib.util.find_spec("vietnam_provinces").submodule_search_locations[0]
    with open(join(folder, "data", "nested-divisions.json"), encoding="utf-8") as f:
        return json.load(f)


def _new_provinces(b: _Builder, p: ProvincesFile) -> dict:
    """The 34 units from 2025-07-01 (the NSO list of ``vietnam_provinces``) by code."""
    extras = {x.code: x for x in p.new}
    city_word = key(b.grammar.province_types["city"][0])
    new_by_code: dict[int, tuple[Entry, str, str, tuple, tuple]] = {}
    for prov in _nso_provinces():
        code = int(prov["code"])
        name = clean(prov["name"])
        # The package keeps "Thành phố" on exactly its centrally run cities (its division
        # type THANH_PHO_TRUNG_UONG; tests/test_gazetteer.py checks the list is the package's).
        typ = "city" if key(name).startswith(city_word + " ") else "province"
        if typ == "city":
            name = name[len(city_word) + 1:]
        entry = _province_entry(b.grammar, "new", code, typ, name, p.new_valid_from, None)
        x = extras.get(code) or NewProvinceExtra(code=code)
        new_by_code[code] = (entry, typ, name, x.aliases, x.typed_aliases)
    unknown = set(extras) - set(new_by_code)
    if unknown:
        raise RuleError(f"provinces.json: 'new' codes not in the NSO list: {unknown}")
    return new_by_code


def _add_provinces(b: _Builder, p: ProvincesFile) -> None:
    new_by_code = _new_provinces(b, p)
    seen = set()
    for o in p.old:
        if o.code in seen:
            raise RuleError(f"provinces.json: duplicate old code {o.code}")
        seen.add(o.code)
        if o.successor_code not in new_by_code:
            raise RuleError(f"provinces.json: old {o.code} -> unknown {o.successor_code}")
        succ = new_by_code[o.successor_code][0]
        entry = _province_entry(b.grammar, "old", o.code, o.type, clean(o.name), None,
                                p.old_valid_to, succ.id, succ.name)  # fmt: skip
        b.entries[entry.id] = entry
        _index_province(b, entry, o.type, clean(o.name), o.aliases, o.typed_aliases)
    for entry, typ, name, aliases, typed in new_by_code.values():
        b.entries[entry.id] = entry
        _index_province(b, entry, typ, name, aliases, typed)


def _index_province(b: _Builder, entry: Entry, typ: str, name: str, aliases, typed) -> None:
    g = b.grammar
    rule = f"gazetteer:{entry.id}"
    typed_forms = list(typed)
    for n in (name, *aliases):
        b.add(b.bare_province, n, Hit(entry, rule + "#bare"), surface=False)
        for word in g.province_types[typ]:
            typed_forms.append(f"{word} {n}")
            if word.endswith("."):  # "TP.HCM" is written without the space too
                typed_forms.append(f"{word}{n}")
    for form in typed_forms:
        # "tỉnh X" alone is metonymy for the province's People's Committee.
        b.add(b.names, form, Hit(entry, rule + "#metonymy"))
        for pc in g.pc_heads:
            pc_form = f"{pc} {form}"
            b.add(b.names, pc_form, Hit(entry, rule))
            for title in g.rank_titles.get("province", ()):
                b.add(b.names, f"{title} {pc_form}",
                      Hit(entry, rule + "#head", mention=EntityKind.person_role))  # fmt: skip


def _add_collectives(b: _Builder, collectives: CollectivesFile) -> None:
    for c in collectives.entries:
        entry = Entry(c.id, clean(c.name), EntityKind.collective)
        b.new_entry(entry)
        for phrase in (c.name, *c.phrases):
            b.add(b.names, phrase, Hit(entry, f"gazetteer:{c.id}"))


def _add_departments(b: _Builder, departments: DepartmentsFile) -> None:
    names = {clean(d.name) for d in departments.entries}
    for d in departments.entries:
        if d.successor is not None and clean(d.successor) not in names:
            raise RuleError(f"departments.json: unknown successor {d.successor!r}")
        for form in (d.name, *d.aliases):
            k = key(form)
            if k in b.departments:
                raise RuleError(f"departments.json: duplicate name {form!r}")
            b.departments[k] = d
            b.forms.setdefault(k, clean(form))
    g = b.grammar
    # Bare heads that a provincial text uses alone ("Ủy ban nhân dân tỉnh", "UBND xã").
    pcs = [key(pc) for pc in g.pc_heads]
    for form in (*g.bare_province, *g.bare_province_chair):
        if any(pc in key(form) for pc in pcs):
            b.forms.setdefault(key(form), clean(form))
    for pc in g.pc_heads:
        for t in (*g.district_types, *g.commune_types):
            b.forms.setdefault(key(f"{pc} {t}"), clean(f"{pc} {t}"))


def _scan_regex(b: _Builder) -> re.Pattern:
    """Finds typed province names ("tỉnh Lào Cai") in a document."""
    forms = sorted({b.forms[k] for k, hits in b.names.items()
                    if any(h.entry.kind == EntityKind.province for h in hits)
                    and k in b.forms}, key=len, reverse=True)  # fmt: skip
    from ..trie import phrase_regex  # a flat alternation of ~200 names is slow

    return phrase_regex(forms)


def _aliases_of(b: _Builder, entry_id: str) -> list[str]:
    return [b.forms[k] for k, hits in b.names.items()
            if k in b.forms and any(h.entry.id == entry_id for h in hits)]  # fmt: skip


def surface_forms(index: Index, acronyms: bool = True) -> list[str]:
    """Every literal name and alias (normalized), longest first (see Gazetteer)."""
    forms = [f for k, f in index.forms.items() if acronyms or k not in index.acronyms]
    return sorted(forms, key=lambda f: (-len(f), f))


def entry_canonical(index: Index, entry_id: str) -> Optional[object]:
    e = index.entries.get(entry_id)
    return e.canonical() if e else None
