"""What a directive is about, read from its action (``corpus/GUIDELINE.md`` 12.2).

A "Về …:" heading or lead-in gives the topic where there is one (the assembler hands it
down). Otherwise the topic is the object of the action's content verb: the action
without its verb group in front (a prohibition cue, light verbs such as "tăng cường",
comma-joined verbs "rà soát, lập"), without the addressee of a directing verb ("chỉ đạo
*các xã* rà soát …", "báo cáo *Thủ tướng Chính phủ* tình hình …"), determiners ("các",
"việc", "công tác"), adverbs ("đủ", "chặt chẽ") and manner tails (", bảo đảm …",
"theo quy định"). After an outcome prohibition ("không để", "tránh để") the outcome is
the topic ("không để *thiếu vốn cho dự án*").

Why a walk over the tagged tokens and not the POS alone: underthesea tags many object
nouns as verbs ("quy định", "đầu tư"), so after the content verb the object starts at the
next token whatever its tag, unless the verb is light or a verb list continues.
Words are matched on the folded text, so a list entry may span several tokens and a
token several words. The word lists are data (``data/topic.json``), checked on load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Optional, Sequence

from spacy.tokens import Doc, Token

from .resources import TopicFile, topic_file

RULE = "topic.object"
ADDRESSEE_LIST = 10  # tokens: how far a listed addressee may run before its verb
_NUMBER = re.compile(r"^\d[\d.,]*$")  # "10", "2.300", "1,2"


@dataclass(frozen=True)
class TopicWords:
    """The phrase lists of ``data/topic.json``, lower case, longest first."""

    lists: dict[str, tuple[str, ...]]

    def __getattr__(self, name: str) -> tuple[str, ...]:
        try:
            return self.lists[name]
        except KeyError:
            raise AttributeError(name) from None


@cache
def topic_words() -> TopicWords:
    """The shipped topic word lists (validated by :class:`~extractor.resources.TopicFile`)."""
    data = topic_file()
    return TopicWords({name: tuple(sorted({w.lower() for w in getattr(data, name)}, key=len,
                                          reverse=True))
                       for name in TopicFile.model_fields if name != "description"})  # fmt: skip


class _Tokens:
    """The action's tokens, with phrase matching on their lower-cased text."""

    def __init__(self, tokens: Sequence[Token]):
        self.tokens = tokens
        self.low = [t.text.lower() for t in tokens]

    def __len__(self) -> int:
        return len(self.tokens)

    def tag(self, k: int) -> str:
        return self.tokens[k].tag_ if k < len(self.tokens) else ""

    def match(self, k: int, phrases: tuple[str, ...]) -> int:
        """Tokens covered by the first phrase of ``phrases`` (longest first) that starts at
        ``k`` and ends on a token boundary (0 when none).

        The tokens from ``k`` are joined once; a phrase matches when one of those joined
        texts is the phrase (a text grows with every token, so the one as long as the
        phrase is the only one that can be), the first phrase of the list winning."""
        first, longest = _phrase_order(phrases)
        found, found_at = 0, first.get("", len(phrases))  # an empty phrase matches 0 tokens
        text, j, n = "", k, len(self.low)
        while j < n and len(text) < longest:
            glue = "" if not text or self.low[j] == "," else " "  # "phòng, chống"
            text = f"{text}{glue}{self.low[j]}"
            j += 1
            at = first.get(text)
            if at is not None and at < found_at:
                found, found_at = j - k, at
        return found


# Per phrase list (by identity, kept alive here): each phrase's first place, the longest.
_PHRASE_ORDERS: dict[int, tuple[tuple[str, ...], dict[str, int], int]] = {}


def _phrase_order(phrases: tuple[str, ...]) -> tuple[dict[str, int], int]:
    known = _PHRASE_ORDERS.get(id(phrases))
    if known is None or known[0] is not phrases:
        first: dict[str, int] = {}
        for i, phrase in enumerate(phrases):
            first.setdefault(phrase, i)
        known = (phrases, first, max(map(len, phrases), default=0))
        _PHRASE_ORDERS[id(phrases)] = known
    return known[1], known[2]


def _is_verb(tokens: _Tokens, k: int, words: TopicWords) -> bool:
    """A verb by its tag or by the verb lists (a capitalized first word is often mis-tagged)."""
    return (tokens.tag(k) == "V" or bool(tokens.match(k, words.light_verbs))
            or bool(tokens.match(k, words.addressing_verbs)))  # fmt: skip


def actor_ends(doc: Doc) -> dict[int, list[int]]:
    """The end tokens of the actor spans, by start token: read once per Doc."""
    out: dict[int, list[int]] = {}
    for span in doc.spans.get("actors", []):
        out.setdefault(span.start, []).append(span.end)
    return out


def _actor_end(ends: dict[int, list[int]], tokens: _Tokens, k: int) -> int:
    """Tokens covered by the longest actor span starting at ``k`` (0 when none)."""
    first = tokens.tokens[k].i
    limit = tokens.tokens[-1].i + 1
    fitting = [e for e in ends.get(first, ()) if e <= limit]
    return max(fitting) - first if fitting else 0


def _skip_all(tokens: _Tokens, k: int, phrases: tuple[str, ...]) -> int:
    while k < len(tokens):
        n = tokens.match(k, phrases)
        if not n:
            break
        k += n
    return k


def _skip_verb_group(tokens: _Tokens, k: int, words: TopicWords) -> tuple[int, bool]:
    """Past the content verb at ``k`` and the verbs joined to it: (next index, whether the
    last verb addresses someone, as "chỉ đạo", "báo cáo" do)."""
    addressing = bool(tokens.match(k, words.addressing_verbs))
    light = bool(tokens.match(k, words.light_verbs))
    k += max(1, tokens.match(k, words.addressing_verbs), tokens.match(k, words.light_verbs))
    while k < len(tokens):
        joined = tokens.match(k, words.joiners)
        if light and _is_verb(tokens, k, words) and not tokens.match(k, words.process_nouns):
            nxt = k
        elif joined and _is_verb(tokens, k + joined, words) and not tokens.match(
                k + joined, words.determiners) and not tokens.match(k + joined,
                                                                     words.process_nouns):
            nxt = k + joined
        else:
            break
        addressing = bool(tokens.match(nxt, words.addressing_verbs))
        light = bool(tokens.match(nxt, words.light_verbs))
        k = nxt + max(1, tokens.match(nxt, words.addressing_verbs),
                      tokens.match(nxt, words.light_verbs))  # fmt: skip
    return k, addressing


def _skip_addressee(ends: dict[int, list[int]], tokens: _Tokens, k: int, words: TopicWords,
                    report: bool) -> int:  # fmt: skip
    """Past the addressee of a directing or reporting verb, when one stands at ``k``."""
    if k >= len(tokens) or tokens.match(k, words.nominalizers):
        return k  # "hướng dẫn *việc* bố trí vốn": a process named, no one addressed
    span = _actor_end(ends, tokens, k)
    while span and tokens.low[k + span:k + span + 1] == [","] and k + span + 1 < len(tokens):
        more = _actor_end(ends, tokens, k + span + 1)  # "Thủ tướng Chính phủ, Phó Thủ tướng"
        if not more:
            break
        span += 1 + more
    if span and (report or tokens.tag(k + span) == "V"):
        return k + span
    # "hỗ trợ người dân khắc phục …"; a list led by a body: "vận động các doanh nghiệp,
    # nhà hảo tâm chăm lo Tết …"
    listed = span and tokens.low[k + span:k + span + 1] == [","]
    for j in range(k + 1, min(k + (ADDRESSEE_LIST if listed else 5), len(tokens))):
        if tokens.tag(j) == "V" and all(tokens.tag(i) != "V" and (
                listed and tokens.low[i] == "," or tokens.tag(i) != "CH") for i in range(k, j)):
            return k if report else j
    return k


def _object_start(ends: dict[int, list[int]], tokens: _Tokens,
                  words: TopicWords) -> Optional[int]:  # fmt: skip
    k = 0
    while k < len(tokens):
        outcome = tokens.match(k, words.outcome_leads)
        if outcome:  # "không để …": the outcome itself is what the directive is about
            k = _skip_all(tokens, k + outcome, words.outcome_verbs + words.adverbs)
            return _skip_leading(tokens, k, words)
        n = tokens.match(k, words.lead_words)
        if not n:
            break
        k += n
    for step in range(3):  # "chỉ đạo các xã hướng dẫn người dân thu hoạch lúa"
        # the action starts with its verb, whatever its tag; later verbs go by their tag
        if k >= len(tokens) or (step and not _is_verb(tokens, k, words)):
            break
        if step and tokens.match(k, words.process_nouns + words.nominalizers):
            break
        report = bool(tokens.match(k, words.report_verbs))
        k, addressing = _skip_verb_group(tokens, k, words)
        k = _skip_all(tokens, k, words.adverbs + words.prepositions)
        if not addressing:
            break
        after = _skip_addressee(ends, tokens, k, words, report)
        if after == k and (tokens.tag(k) != "V" or tokens.match(k, words.report_verbs)
                           or tokens.match(k, words.tails)):  # fmt: skip
            break  # else no one addressed, and a content verb follows: "tham mưu *bố trí* …"
        k = after
    return _skip_leading(tokens, k, words)


def _skip_leading(tokens: _Tokens, k: int, words: TopicWords) -> Optional[int]:
    """Past determiners, adverbs and a leading share ("giảm *10%* lượng điện"): the first
    token of the object, or None when nothing is left. After "việc" the process it names
    is the object, verb and all ("hướng dẫn việc *bố trí vốn* …")."""
    while k < len(tokens):
        nxt = _skip_all(tokens, k, words.determiners + words.adverbs)
        if _NUMBER.match(tokens.low[nxt] if nxt < len(tokens) else "") and tokens.match(
                nxt + 1, words.quantity_units):
            nxt += 1 + tokens.match(nxt + 1, words.quantity_units)
        if nxt == k:
            break
        k = nxt
    return k if k < len(tokens) else None


def _number_tail(tokens: _Tokens, k: int, words: TopicWords) -> bool:
    """A comparison or a figure ends the object: "tỷ lệ hồ sơ trực tuyến *trên 90%*",
    "đèn chiếu sáng *sau 22 giờ*"."""
    n = tokens.match(k, words.number_tails)
    return bool(n) and k + n < len(tokens) and bool(_NUMBER.match(tokens.low[k + n]))


def _object_end(ends: dict[int, list[int]], tokens: _Tokens, start: int,
                words: TopicWords) -> int:  # fmt: skip
    end = len(tokens)
    # "hành vi trộm cắp điện, phá hoại lưới điện": the head noun lists what it covers
    head = tokens.low[start][_glued_determiner(tokens.low[start], words):]
    listing = bool(tokens.match(start, words.clausal_heads)) or any(
        head == h or head.startswith(h + " ") for h in words.clausal_heads)
    for k in range(start + 1, len(tokens)):
        comma = tokens.low[k - 1] == ","
        # ", <verb>" after a noun starts a coordinated verb phrase: "…, đưa vào vận hành"
        new_phrase = (comma and not listing and k >= 2 and tokens.tag(k) == "V"
                      and tokens.tag(k - 2) != "V" and not tokens.match(k, words.process_nouns)
                      and tokens.match(k - 2, words.process_nouns) <= 2)  # fmt: skip
        # a tail word said before in the object repeats through a list: "phương tiện không
        # có giấy phép, không đăng ký"
        comma_tail = comma and tokens.match(k, words.comma_tails) and (
            tokens.low[k] not in tokens.low[start:k - 1])
        if new_phrase or tokens.match(k, words.tails) or _number_tail(tokens, k, words) or (
                comma_tail):
            end = k - 1 if comma else k
            break
    for k in range(start + 1, end):  # "bàn giao mặt bằng cho Bộ Giao thông vận tải"
        n = tokens.match(k, words.recipient_prepositions)
        # a named body ("cho Bộ Giao thông vận tải") is an addressee; a lower-case
        # collective ("cho các xã vùng lũ") is who the matter is for, and stays
        named = n and k + n < end and tokens.tokens[k + n].text[:1].isupper()
        after = k + n + _actor_end(ends, tokens, k + n) if named else 0
        if after > k + n and (after == end or tokens.tokens[after].is_punct):
            end = k  # "… về UBND tỉnh (qua Sở …)": the addressee, then more of the same
            break
    while end > start + 1:
        if tokens.tag(end - 1) == "CH":
            end -= 1
            continue
        cut = next((n for n in range(1, min(4, end - start)) if tokens.match(end - n,
                    words.trailing_words) == n), 0)  # fmt: skip
        if not cut:
            break
        end -= cut
    return end


def object_topic(doc: Doc, start_char: int, end_char: int,
                 ends: Optional[dict[int, list[int]]] = None) -> Optional[tuple[int, int]]:
    """Character offsets of the topic read from the action at [start_char, end_char), or
    None when the action names no subject matter. ``ends`` (:func:`actor_ends`) saves
    reading the Doc's actor spans again for every directive."""
    words = topic_words()
    span = doc.char_span(start_char, end_char, alignment_mode="expand")
    if span is None:
        return None
    tokens = _Tokens([t for t in span if t.idx >= start_char
                      and t.idx + len(t.text) <= end_char])  # fmt: skip
    if len(tokens) < 2:
        return None
    ends = actor_ends(doc) if ends is None else ends
    start = _object_start(ends, tokens, words)
    if start is None or tokens.tag(start) == "CH" or tokens.match(start, words.tails):
        return None  # "không được lơ là *khi* …", "không lơ là*,* chủ quan": no object
    end = _object_end(ends, tokens, start, words)
    if end <= start or (end - start == 1 and tokens.match(start, words.light_verbs)):
        return None  # "đôn đốc việc *thực hiện*": no subject matter named
    first, last = tokens.tokens[start], tokens.tokens[end - 1]
    return first.idx + _glued_determiner(tokens.low[start], words), last.idx + len(last.text)


def _glued_determiner(low: str, words: TopicWords) -> int:
    """Characters of a determiner the tokenizer glued to the object's first word ("các
    trường" in "các trường hợp"), to leave out."""
    return next((len(d) + 1 for d in words.determiners
                 if low.startswith(d + " ") and len(low) > len(d) + 1), 0)  # fmt: skip
