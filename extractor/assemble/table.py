"""The cue-function table and the function words, as the assembler tests them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..resources import VerbChain, cue_functions, function_words

PUNCT = {",", ";", ":", ".", "!", "?", "…", "...", "(", ")", "-", "–", "\"", "“", "”"}


@dataclass(frozen=True)
class _Table:
    """The cue-function table and the function words, as the assembler tests them."""

    split: frozenset  # cue functions that start a new clause after a comma
    strong: frozenset  # a directive wherever it stands
    weak: frozenset  # a directive inside a conclusion or task section
    frame: frozenset  # the frame around the action, not its first verb
    speaking: frozenset  # a leader speaks with it
    introduces_actor: frozenset  # the actor follows the cue
    instructs: frozenset  # names whom it instructs
    governs: dict  # function -> the modality it gives the clauses after it
    comma_and: frozenset  # "," and the conjunctions
    list_next: frozenset  # what can continue a factored list
    list_inner: frozenset  # separators inside a factored list
    coactor_sep: frozenset  # between coactors
    plural: frozenset
    before_actor: frozenset  # "cho", ":" and "," between an assigning cue and its actor
    new_action: frozenset
    leading_fillers: frozenset
    before_action: frozenset
    first_person: frozenset
    issuer_pronouns: tuple  # longest first: "người đứng đầu Chính phủ" before "ông"
    issuer_adverbs: frozenset
    higher_levels: tuple
    issuer_portfolio: frozenset
    title_prefixes: frozenset
    announce_last: frozenset
    announce_last_two: tuple
    no_task: tuple  # longest first: words that set no task on their own (C52, C55)
    staff_offices: tuple  # "Văn phòng UBND tỉnh đề nghị …": no actor, no issuer (C61)
    signed_for: tuple  # "ký công điện" before "của <leader>": that leader speaks (C62)
    verb_chain: VerbChain  # when ", <verb> ..." starts a new action


@cache
def table() -> _Table:
    """Built once from ``data/cue_functions.json`` and ``data/function_words.json``."""
    cf, w = cue_functions(), function_words()
    comma_and = frozenset((",", *w.conjunctions))
    return _Table(
        split=cf.with_flag("splits_clause"), strong=cf.gated("strong"), weak=cf.gated("weak"),
        frame=cf.with_flag("frame"), speaking=cf.with_flag("speaking"),
        introduces_actor=cf.with_flag("introduces_actor"), instructs=cf.with_flag("instructs"),
        governs={f.id: f.governs.value for f in cf.functions if f.governs is not None},
        comma_and=comma_and, list_next=comma_and | {":", "-", "–", "&"},
        list_inner=comma_and | {":"}, coactor_sep=comma_and | set(w.coactor_joiners),
        plural=frozenset(w.plural), before_actor=frozenset((*w.before_actor, ":", ",")),
        new_action=frozenset(w.new_action),
        leading_fillers=frozenset(w.leading_fillers), before_action=frozenset(w.before_action),
        first_person=frozenset(w.first_person),
        issuer_pronouns=tuple(sorted(w.issuer_pronouns, key=len, reverse=True)),
        issuer_adverbs=frozenset(w.issuer_adverbs), higher_levels=tuple(w.higher_levels),
        issuer_portfolio=frozenset(w.issuer_portfolio),
        title_prefixes=frozenset(w.title_prefixes),
        announce_last=frozenset(w.list_announcers.last),
        announce_last_two=tuple(list(pair) for pair in w.list_announcers.last_two),
        verb_chain=cf.verb_chain,
        no_task=tuple(sorted(w.no_task, key=len, reverse=True)),
        staff_offices=tuple(w.staff_offices),
        signed_for=tuple(w.signed_for),
    )  # fmt: skip
