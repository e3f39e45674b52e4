"""The resolver: an ordered registry of named steps (Presidio's habit of recognizers that
say who found a result). :data:`STEPS` is tried in order on a cleaned mention; the first
step that answers stamps its name on the :class:`Resolution` (``step``), and the rule id
it carries (``rule``) names the entry or pattern that decided. A mention that matches
nothing keeps ``canonical=None``: :func:`guess` reads only the kind, from the head noun.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import replace
from typing import Callable, Optional

from ..schema import Canonical, EntityKind
from .index import Index
from .keys import after, clean, key, longest_word_prefix, name_like, prefix_of, title_case_words
from .lists import resolve_list
from .memo import Memo
from .records import DocumentContext, Entry, Hit, Query, Resolution
from .temporal import pick, validity_flags


class Resolver:
    """Resolution over a read-only :class:`Index`, remembered in one bounded memo."""

    def __init__(self, index: Index, memo: Optional[Memo] = None):
        self.index = index
        self.memo = memo if memo is not None else Memo()

    # -- memo keys: a date matters only by the era it falls in (temporal.era_bounds),
    # so documents of different days share their resolutions.

    def era(self, day: Optional[dt.date]):
        return None if day is None else ("era", bisect_right(self.index.era_bounds,
                                                             day.toordinal()))  # fmt: skip

    def context_key(self, ctx: Optional[DocumentContext]):
        return None if ctx is None else (self.era(ctx.on), ctx.province, ctx.working_group)

    def query_key(self, q: Query) -> tuple:
        return (self.era(q.day), self.era(q.on), self.context_key(q.ctx))

    # -- resolving --------------------------------------------------------------------

    def resolve_piece(self, text: str, q: Query, allow_list: bool) -> Optional[Resolution]:
        """A cleaned mention through :data:`STEPS` (and lists when allowed), remembered."""
        if q.allow_list != allow_list:
            q = replace(q, allow_list=allow_list)
        return self.memo.get(("resolve", text, self.query_key(q), allow_list),
                             lambda: self._steps(text, q))  # fmt: skip

    def _steps(self, text: str, q: Query) -> Optional[Resolution]:
        for name, step in STEPS:
            if (res := step(self, text, q)) is not None:
                return replace(res, step=name)
        if q.allow_list and (res := resolve_list(self, text, q)) is not None:
            return replace(res, step="list")
        return None

    def from_entry(self, entry: Entry, rule: str, mention: Optional[EntityKind] = None,
                   flags: tuple[str, ...] = (), on: Optional[dt.date] = None) -> Resolution:
        return Resolution(entry.canonical(), mention or entry.kind, rule,
                          flags=(*flags, *validity_flags(entry, on)))  # fmt: skip

    def province_in(self, text: str, q: Query) -> Optional[Hit]:
        """A typed province ("tỉnh Lào Cai") or a bare name ("Lào Cai")."""
        k = key(text)
        hit = pick(self.index.names.get(k, ()), q.day)
        if hit is not None and hit.entry.kind == EntityKind.province:
            return hit
        return pick(self.index.bare_province.get(k, ()), q.day)


Step = Callable[[Resolver, str, Query], Optional[Resolution]]


def exact(r: Resolver, text: str, q: Query) -> Optional[Resolution]:
    """A name or alias the index holds, the body valid on the day."""
    hit = pick(r.index.names.get(key(text), ()), q.day)
    if hit is None:
        return None
    return r.from_entry(hit.entry, hit.rule, hit.mention, hit.flags, q.on)


def bare(r: Resolver, text: str, q: Query) -> Optional[Resolution]:
    """"Tỉnh", "Tổ công tác": only with what the document says elsewhere."""
    k, ks, ctx = key(text), r.index.keys, q.ctx
    if k in ks.bare_wg:
        if ctx is not None and ctx.working_group is not None:
            return r.from_entry(ctx.working_group, "context.working_group")
        return Resolution(None, EntityKind.working_group, "bare.working_group")
    if k in ks.bare_province or k in ks.bare_chair:
        mention = EntityKind.person_role if k in ks.bare_chair else None
        if ctx is not None and ctx.province is not None:
            return r.from_entry(ctx.province, "context.province", mention, on=ctx.on)
        return Resolution(None, mention or EntityKind.province, "bare.province")
    return None


def false_friend(r: Resolver, text: str, q: Query) -> Optional[Resolution]:
    """Words that look like a body and are not ("Ban hành", "Bộ phận")."""
    best = longest_word_prefix(key(text), r.index.keys.false_friends)
    return Resolution(None, EntityKind.other, best[1]) if best else None


def honorific(r: Resolver, text: str, q: Query) -> Optional[Resolution]:
    """"đồng chí Bộ trưởng ...": the mention after the honorific."""
    k = key(text)
    hon = prefix_of(k, r.index.keys.honorifics)
    if hon is None or len(k) <= len(hon):
        return None
    rest = r.resolve_piece(after(text, hon), q, allow_list=q.allow_list)
    return None if rest is None else replace(rest, rule=rest.rule + "+honorific")


def department(r: Resolver, text: str, q: Query) -> Optional[Resolution]:
    """"Sở Y tế", "Sở Y tế tỉnh Lào Cai", "Sở Tài chính Hà Nội"."""
    if prefix_of(key(text), r.index.keys.dept) is None:
        return None
    words = text.split(" ")
    for n in range(len(words), 1, -1):
        dept = r.index.departments.get(key(" ".join(words[:n])))
        if dept is None:
            continue
        rest = " ".join(words[n:])
        province = r.province_in(rest, q) if rest else None
        if rest and province is None and key(rest) not in r.index.keys.local_qualifiers:
            return None  # a known department followed by more: maybe a list
        return _department_of(dept, province, q.ctx)
    if name_like(words[1:]):
        return Resolution(None, EntityKind.department, "department.pattern")
    return None


def _department_of(dept, province: Optional[Hit], ctx) -> Resolution:
    """A known department, of the province named after it or of the document's."""
    name = clean(dept.name)
    successor = clean(dept.successor) if dept.successor else None
    entry = province.entry if province else (ctx.province if ctx else None)
    rule = "department.name" + ("+province" if province else "")
    if entry is None:
        canonical = Canonical(id=None, name=name, kind=EntityKind.department,
                              successor=successor)  # fmt: skip
    else:
        if province is None:
            rule += "+context.province"
        canonical = Canonical(
            id=f"department:{name}@{entry.id}", name=f"{name} ({entry.name})",
            kind=EntityKind.department, successor=successor)
    return Resolution(canonical, EntityKind.department, rule)


def local_unit(r: Resolver, text: str, q: Query) -> Optional[Resolution]:
    """PC of an unknown province, a district or a commune, by its head words."""
    ks = r.index.keys
    pc = prefix_of(key(text), ks.pc)
    if pc is None:
        return None
    rest = after(text, pc)
    rest_k = key(rest)
    for kind, types in ((EntityKind.district, ks.district), (EntityKind.commune, ks.commune),
                        *((EntityKind.province, t) for t in ks.types.values())):  # fmt: skip
        t = prefix_of(rest_k, types)
        if t is not None and len(rest_k) > len(t) and name_like(after(rest, t).split(" ")):
            return Resolution(None, kind, f"{kind.value}.pattern")
    return None


def titled(r: Resolver, text: str, q: Query) -> Optional[Resolution]:
    """"Bộ trưởng Bộ Xây dựng", "Giám đốc Sở Y tế": the title's body."""
    k = key(text)
    title = prefix_of(k, r.index.keys.titles)
    if title is None or len(k) == len(title):
        return None
    res = r.resolve_piece(after(text, title), q, allow_list=False)
    if res is None or res.kind == EntityKind.person_role:
        return None
    if res.canonical is None and res.kind != EntityKind.department:
        return None
    return replace(res, kind=EntityKind.person_role, rule=f"title+{res.rule}")


def with_person(r: Resolver, text: str, q: Query) -> Optional[Resolution]:
    """A role followed by a person's name: "Phó Thủ tướng Trần Hồng Hà"."""
    words = text.split(" ")
    for n in range(len(words) - 2, 0, -1):
        name = words[n:]
        if not (2 <= len(name) <= 5 and title_case_words(name)):
            continue
        res = r.resolve_piece(" ".join(words[:n]), q, allow_list=False)
        if res is not None and res.kind == EntityKind.person_role and res.person is None:
            return replace(res, person=" ".join(name), rule=res.rule + "+person")
    return None


# The steps in the order they are tried; lists come last, and only for a whole mention.
STEPS: tuple[tuple[str, Step], ...] = (
    ("exact", exact),
    ("bare", bare),
    ("false_friend", false_friend),
    ("honorific", honorific),
    ("department", department),
    ("local_unit", local_unit),
    ("titled", titled),
    ("with_person", with_person),
)


def guess(r: Resolver, text: str) -> Resolution:
    """Unknown mention: the kind from its head noun, never a body."""
    best = longest_word_prefix(key(text), r.index.keys.head_kinds)
    if best is None:
        return Resolution(None, EntityKind.other, "unknown", step="guess")
    return Resolution(None, best[1], "unknown.head", step="guess")
