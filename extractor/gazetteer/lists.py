"""Lists: a factored list ("các Bộ: Công an, Tài chính") or a coordination of full names,
cut where the gazetteer says names end."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable, Optional

from ..resources import ListHead
from ..schema import Canonical, EntityKind
from .keys import after, key
from .records import Query, Resolution
from .temporal import pick

if TYPE_CHECKING:
    from .resolver import Resolver

COORDINATION = "list.coordination"


def resolve_list(r: Resolver, text: str, q: Query) -> Optional[Resolution]:
    """A headed list, else a coordination of at least two names."""
    res = headed_list(r, text, q)
    if res is not None:
        return res
    return split(r, text, lambda s: _coordinated(r, s, q), COORDINATION)


def headed_list(r: Resolver, text: str, q: Query) -> Optional[Resolution]:
    """Items after a list head; each item named short ("Tài chính") or in full."""
    return r.memo.get(("headed_list", text, r.query_key(q)), lambda: _headed_list(r, text, q))


def _headed_list(r: Resolver, text: str, q: Query) -> Optional[Resolution]:
    k = key(text)
    for head_k, head in r.index.keys.heads:
        if k.startswith(head_k) and len(k) > len(head_k) and not k[len(head_k)].isalnum():
            items = after(text, head_k)
            if not items:
                continue
            res = split(r, items, lambda s, h=head: _item(r, s, h, q), head.id)
            if res is not None:
                return replace(res, kind=EntityKind.person_role) if head.person_role else res
    return None


def _item(r: Resolver, s: str, head: ListHead, q: Query) -> Optional[Resolution]:
    k = key(s)
    if head.item == "ministry":
        hit = pick(r.index.short.get(k, ()), q.day)
        if hit is not None:
            return r.from_entry(hit.entry, hit.rule, None, hit.flags, q.on)
    elif head.item == "province":
        hit = r.province_in(s, q)
        if hit is not None:
            return r.from_entry(hit.entry, hit.rule, on=q.on)
    elif head.item == "department":
        from .resolver import department

        res = department(r, f"{r.index.grammar.department_heads[0]} {s}", q)
        if res is not None and res.canonical is not None:
            return res
    res = r.resolve_piece(s, q, allow_list=False)
    return res if res is not None and (res.canonical or res.members) else None


def _coordinated(r: Resolver, s: str, q: Query) -> Optional[Resolution]:
    """An item of a plain coordination: a full name or a headed list."""
    res = r.resolve_piece(s, q, allow_list=False)
    if res is not None and res.canonical is not None:
        return res
    res = headed_list(r, s, q)
    return res if res is not None and res.members else None


def split(r: Resolver, text: str, item: Callable[[str], Optional[Resolution]],
          rule: str) -> Optional[Resolution]:  # fmt: skip
    """Split on separators where the gazetteer says names end.

    Dynamic programming over the separator positions: each piece must
    resolve as a whole, so "Nông nghiệp và Môi trường" stays one item
    when the gazetteer knows it and a "và" inside a name never splits it.
    """
    cuts = [(0, 0)] + [(m.start(), m.end()) for m in r.index.separators.finditer(text)]
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
    if not found or (rule == COORDINATION and len(found) < 2):
        return None
    return _merged(found, rule)


def _merged(found: list[Resolution], rule: str) -> Resolution:
    """One list resolution from its items: members once each, a shared kind, the flags."""
    members: list[Canonical] = []
    for res in found:
        for c in res.members or ([res.canonical] if res.canonical else []):
            if all(c.id != m.id or c.name != m.name for m in members):
                members.append(c)
    kinds = {res.kind for res in found}
    kind = kinds.pop() if len(kinds) == 1 else EntityKind.collective
    flags = tuple(dict.fromkeys(f for res in found for f in res.flags))
    return Resolution(None, kind, rule, members=tuple(members), flags=flags)
