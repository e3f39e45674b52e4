"""Actor phrases made whole from the rulers' pieces (run by the actor refiner, before the
assembler reads any clause; the words come from ``data/actor_phrases.json``), in order:

- a place right after an assigning cue is its actor: "yêu cầu Cần Thơ ...", "đề nghị
  huyện Văn Chấn ...", "giao tỉnh chủ động ..." (C14, C15);
- a role title before a body or a collective is part of it, and so are the titles listed
  before it: "Thủ trưởng các sở, ban, ngành", "Bí thư, Chủ tịch UBND các tỉnh" (C08, C09);
  a provincial body's head before a place: "Thuế thành phố Huế";
- a province name after a level word ("Công an tỉnh Lào Cai"), a level word closing a
  collective ("các sở, ban, ngành tỉnh", "... thuộc tỉnh");
- the owner after "của": "Ủy ban Kinh tế và Tài chính của Quốc hội" (C11);
- bodies named one after another with commas or a conjunction are ONE actor, its members
  read later by the gazetteer: "Bộ Công an, Bộ Tư pháp", "Ban Tuyên giáo và Ban Dân vận
  Tỉnh ủy", "Các xã, thị trấn" (C07, C10, C27), and across ";" in a heading over items
  (C59); not after "phối hợp với", where each body is a coactor of its own (guideline
  6.4), and not over a leader who speaks after the list (the issuer);
- a qualifier narrows a collective: "có tỷ lệ giải ngân dưới 30%" up to a stop cue,
  "nêu trên" before a verb (C07, C56).

A grown span keeps the detector id of its first piece; a joined list gets
:data:`LIST_RULE`, a place :data:`PLACE_RULE`, so the output still says which rule made it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from spacy.tokens import Doc, Span

from ..resources import actor_phrases, leader_titles
from .table import table

if TYPE_CHECKING:
    from .index import ActorRefiner

LIST_RULE = "actor.list_join"
PLACE_RULE = "actor.place_after_cue"
TITLE_RULE = "actor.role_title"
MAX_TITLE_TOKENS = 4
MAX_QUALIFIER_TOKENS = 16


def grow_actor_phrases(ref: ActorRefiner) -> None:
    """Titles, level words, then lists, on the refiner's actors (by start token)."""
    places = _places_after_cues(ref)
    actors = [_with_title(ref.doc, a) for a in sorted([*ref.actors.values(), *places])]
    actors = [_with_level_suffix(ref.doc, _with_province_name(ref.doc, a)) for a in actors]
    actors = [_with_named_places(ref.doc, a) for a in actors]
    joined = _joined(ref, _with_owners(ref.doc, _no_overlap(actors)))
    ref.actors = {a.start: a for a in _no_overlap([_with_qualifier(ref, a) for a in joined])}


def _no_overlap(actors: list[Span]) -> list[Span]:
    """Grown spans can reach into the next one: the earlier, longer one wins."""
    out: list[Span] = []
    for a in actors:
        if out and a.start < out[-1].end:
            continue
        out.append(a)
    return out


def _span(doc: Doc, start: int, end: int, rule: str) -> Span:
    span = doc[start:end]
    span.id_ = rule
    return span


def _words(doc: Doc, start: int, end: int) -> str:
    return " ".join(t.lower_ for t in doc[start:end] if not t.is_space)


def _title_start(doc: Doc, end: int, titles: Optional[tuple[str, ...]] = None
                 ) -> Optional[int]:  # fmt: skip
    """Start of a role title (or one of ``titles``) ending right before token ``end``."""
    titles = titles or actor_phrases().role_titles
    words: list[str] = []
    found, k = None, end
    while k > 0 and len(words) < MAX_TITLE_TOKENS:
        k -= 1
        if doc[k].is_space:
            continue
        words.insert(0, doc[k].lower_)
        if " ".join(words) in titles:
            found = k
    return found


def _with_title(doc: Doc, actor: Span) -> Span:
    """"Thủ trưởng" + "các sở, ban, ngành": the title is part of the actor; so are the
    titles listed before it ("Bí thư, Chủ tịch UBND các tỉnh")."""
    start = _title_start(doc, actor.start)
    if start is None and actor.text.lower().startswith(actor_phrases().place_words):
        start = _title_start(doc, actor.start, actor_phrases().place_bodies)  # "Thuế" + place
    if start is None or _names_leader(actor):
        start = actor.start  # "người đứng đầu Chính phủ": the issuer, said another way
    while start > 1 and doc[start - 1].text == ",":
        before = _title_start(doc, start - 1)
        if before is None:
            break
        start = before
    if start == actor.start:
        return actor
    return _span(doc, start, actor.end, actor.id_ or TITLE_RULE)


def _names_leader(actor: Span) -> bool:
    low = actor.text.lower()
    return any(low.startswith(t) for t in leader_titles())


def _with_province_name(doc: Doc, actor: Span) -> Span:
    """"Công an tỉnh" + "Lào Cai": a body named with its level word, then the province."""
    if actor.end >= len(doc) or not actor.text.lower().endswith(actor_phrases().place_words):
        return actor
    if not _bare_province(doc[actor.end].text):
        return actor
    return _span(doc, actor.start, actor.end + 1, actor.id_)


def _with_level_suffix(doc: Doc, actor: Span) -> Span:
    """"các sở, ban, ngành" + "tỉnh", when nothing of a name follows the level word."""
    if not table().plural.intersection(actor.text.lower().split()):
        return actor
    for k in (2, 1):
        end = actor.end + k
        if end > len(doc) or _words(doc, actor.end, end) not in actor_phrases().level_suffixes:
            continue
        if end < len(doc) and doc[end].text[:1].isupper():
            return actor  # "các sở, ngành tỉnh Lào Cai": a name, not a level word
        return _span(doc, actor.start, end, actor.id_)
    return actor


def _with_named_places(doc: Doc, actor: Span) -> Span:
    """"UBND các huyện" + ": Vĩnh Linh, Gio Linh và Hải Lăng": the places of a plural
    collective named after a colon are part of it (C07)."""
    words = actor.text.lower().split()
    if not table().plural.intersection(words) or not actor.text.lower().endswith(
            actor_phrases().place_words):  # fmt: skip
        return actor
    k = actor.end
    if k + 1 >= len(doc) or doc[k].text != ":":
        return actor
    end, k = actor.end, k + 1
    while k < len(doc) and _capitalised_name(doc[k]):
        end = k + 1
        if k + 2 < len(doc) and doc[k + 1].lower_ in table().comma_and:
            k += 2
        else:
            break
    return actor if end == actor.end else _span(doc, actor.start, end, actor.id_)


def _capitalised_name(tok) -> bool:
    return tok.text[:1].isupper() and all(w[:1].isupper() for w in tok.text.split())


def _with_owners(doc: Doc, actors: list[Span]) -> list[Span]:
    """"Ủy ban Kinh tế và Tài chính" + "của" + "Quốc hội": one body, named with its owner."""
    out: list[Span] = []
    for a in actors:
        prev = out[-1] if out else None
        if prev is not None and a.start == prev.end + 1 \
                and doc[prev.end].lower_ in actor_phrases().possessives:  # fmt: skip
            out[-1] = _span(doc, prev.start, a.end, prev.id_)
        else:
            out.append(a)
    return out


def _joined(ref: ActorRefiner, actors: list[Span]) -> list[Span]:
    """Adjacent actors with one separator between them, as one span."""
    doc, out, i = ref.doc, [], 0
    coordinated = _coordinate_ends(ref)
    while i < len(actors):
        first, j = actors[i], i
        end = first.end
        if first.start not in coordinated:  # "phối hợp với X, Y": coactors stay apart
            while True:
                nxt = _next_piece(ref, end, actors[j + 1] if j + 1 < len(actors) else None)
                if nxt is None:
                    break
                end, took_actor = nxt
                j += took_actor
        out.append(first if end == first.end else _span(doc, first.start, end, LIST_RULE))
        i = j + 1
    return out


def _next_piece(ref: ActorRefiner, end: int, nxt: Optional[Span]) -> Optional[tuple[int, int]]:
    """Where the list goes on after token ``end`` (and 1 when it took the next actor):
    a separator, then the next actor, a role title before it, or a list noun."""
    doc = ref.doc
    if end + 1 >= len(doc):
        return None
    k = end + 1
    if doc[end].text == ";" and nxt is not None and nxt.start == k and _heads_items(doc, nxt.end):
        return nxt.end, 1  # "1. Giám đốc các sở; Chủ tịch UBND các xã:" (C59)
    if doc[end].lower_ not in table().comma_and:
        return None
    if nxt is not None and nxt.start == k:
        return None if _names_leader(nxt) and _issuer_next(ref, nxt.end) else (nxt.end, 1)
    if doc[k].lower_ in actor_phrases().list_nouns and not ref.cues.get(k):
        return k + 1, 0  # "Các xã, thị trấn"
    return None


def _heads_items(doc: Doc, end: int) -> bool:
    """True when a colon closes the line right after token ``end``: a heading over items."""
    return end + 1 < len(doc) and doc[end].text == ":" and "\n" in doc[end + 1].text


def _issuer_next(ref: ActorRefiner, end: int) -> bool:
    """True when an assigning or speaking cue follows (past a person's name and an
    adverb): "..., Chủ tịch UBND tỉnh Nguyễn Văn A giao ..." names the issuer, who does
    not join the list before it."""
    doc, k = ref.doc, end
    while k < len(doc) and k - end < 4 and (doc[k].is_space or doc[k].is_title):
        k += 1
    while k < len(doc) and doc[k].lower_ in table().issuer_adverbs:
        k += 1
    functions = table().introduces_actor | table().speaking
    return any(cue.function in functions for cue, _ in ref.cues.get(k, []))


def _coordinate_ends(ref: ActorRefiner) -> set[int]:
    """Where a "phối hợp với" cue ends, read once per Doc (a scan of every cue per actor
    was quadratic in a long text)."""
    return {span.end for entries in ref.cues.values() for cue, span in entries
            if cue.function == "coordinate"}  # fmt: skip


def _with_qualifier(ref: ActorRefiner, actor: Span) -> Span:
    """A collective narrowed by a relative clause (C07); any actor closed by a
    demonstrative ("Chủ tịch UBND huyện đó", C56)."""
    end = None
    if table().plural.intersection(actor.text.lower().split()):
        end = _qualifier_end(ref, actor.end)
    end = _demonstrative_end(ref, end if end is not None else actor.end)
    return actor if end == actor.end else _span(ref.doc, actor.start, end, actor.id_)


def _phrase_at(doc: Doc, k: int, phrases: tuple[str, ...]) -> int:
    """The end of the longest of ``phrases`` that starts at token ``k``, else ``k``."""
    best, words = k, []
    for j in range(k, min(k + MAX_TITLE_TOKENS, len(doc))):
        words.append(doc[j].lower_)
        if " ".join(words) in phrases:
            best = j + 1
    return best


def _stops_qualifier(ref: ActorRefiner, k: int) -> bool:
    tok, data = ref.doc[k], actor_phrases()
    if tok.lower_ in data.qualifier_stops or tok.text == ":":
        return True
    return any(cue.function in data.qualifier_stop_functions for cue, _ in ref.cues.get(k, []))


def _qualifier_end(ref: ActorRefiner, end: int) -> Optional[int]:
    """"có tỷ lệ giải ngân dưới 30%" up to the cue or stop word after it; None when no
    stop closes it before a comma (then it is the action: "Các xã có văn bản ...")."""
    doc = ref.doc
    k = _phrase_at(doc, end, actor_phrases().qualifier_heads)
    if k == end or ref.cues.get(end):
        return None  # "có trách nhiệm": a cue, not a qualifier
    for j in range(k + 1, min(k + MAX_QUALIFIER_TOKENS, len(doc))):
        if _stops_qualifier(ref, j):
            return j
        if doc[j].text in (",", ";", ".") or "\n" in doc[j].text:
            return None
    return None


def _demonstrative_end(ref: ActorRefiner, end: int) -> int:
    """"Các địa phương nêu trên"; "Các địa phương trên" + a verb, a cue or a stop word."""
    doc, data = ref.doc, actor_phrases()
    k = _phrase_at(doc, end, data.demonstratives)
    if k > end:
        return k
    k = _phrase_at(doc, end, data.prepositional_demonstratives)
    if k == end or k >= len(doc):
        return end
    nxt = doc[k]
    if nxt.pos_ == "VERB" or nxt.is_punct or _stops_qualifier(ref, k):
        return k
    return end


def _places_after_cues(ref: ActorRefiner) -> list[Span]:
    """"yêu cầu Cần Thơ ...", "đề nghị huyện Văn Chấn ...": a place no ruler took, right
    after an assigning cue, is its actor (C14, C15)."""
    doc, out = ref.doc, []
    for entries in ref.cues.values():
        for cue, span in entries:
            k = span.end
            while k < len(doc) and doc[k].is_space:
                k += 1
            if cue.function not in table().introduces_actor or k >= len(doc) or k in ref.actors:
                continue
            end = _place_end(ref, k)
            if end is not None:
                out.append(_span(doc, k, end, PLACE_RULE))
    return out


def _place_end(ref: ActorRefiner, k: int) -> Optional[int]:
    """The end of a place starting at token ``k``, before a verb or a cue; else None."""
    doc = ref.doc
    end = k + 1
    if doc[k].lower_ in actor_phrases().place_words:
        while end < len(doc) and doc[end].is_title and not ref.cues.get(end):
            end += 1  # "huyện Văn Chấn"
    elif not _bare_province(doc[k].text):
        return None
    if end < len(doc) and (doc[end].pos_ == "VERB" or ref.cues.get(end)):
        return end
    return None


def _bare_province(text: str) -> bool:
    from ..gazetteer import get_gazetteer, key

    return key(text) in get_gazetteer().index.bare_province
