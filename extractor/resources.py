"""The rule-data layer: every rule file's pydantic model, one loader, one error class.

Rules ship in ``extractor/data/`` and are read with importlib.resources. A user rules
folder (the environment variable ``EXTRACTOR_RULES``, medspaCy's habit of a user rule
set beside the shipped one) is overlaid on it file by file: a file there replaces the
shipped file of the same relative path, and is validated the same way. Each rule kind is
a small frozen pydantic model; unknown keys, bad enum values, regexes that do not compile,
duplicate ids and missing required ids fail at load time with the file and the rule named,
always as :class:`RuleError`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal, Optional, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .normalize import normalize_text
from .schema import DeadlineKind, EntityKind, Granularity, Modality

DATA_PACKAGE = "extractor"
USER_RULES_ENV = "EXTRACTOR_RULES"


class RuleError(ValueError):
    """A shipped or user-given rule file is invalid (the one error of the rule data)."""


def user_rules_folder() -> Optional[Path]:
    """The user's rules folder overlaid on the shipped one, if one is set."""
    folder = os.environ.get(USER_RULES_ENV)
    return Path(folder) if folder else None


def data_path(*parts: str):
    """Traversable for a rule file: the user's copy when there is one, else the shipped one."""
    folder = user_rules_folder()
    if folder is not None and folder.joinpath(*parts).is_file():
        return folder.joinpath(*parts)
    return resources.files(DATA_PACKAGE).joinpath("data", *parts)


def read_json(*parts: str):
    path = data_path(*parts)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RuleError(f"{'/'.join(parts)}: invalid JSON: {exc}") from exc


def _validation_message(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(x) for x in err["loc"])
    return f"{loc}: {err['msg']}"


def load(model, *parts: str):
    """The one loader: a JSON rule file validated by its model; :class:`RuleError` names
    the file and the failing field."""
    try:
        return model.model_validate(read_json(*parts))
    except ValidationError as exc:
        raise RuleError(f"{'/'.join(parts)}: {_validation_message(exc)}") from exc


def load_lines(model, *parts: str) -> list:
    """A JSON-lines rule file, one model per non-blank line; errors name the line."""
    out = []
    text = data_path(*parts).read_text(encoding="utf-8")
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(model.model_validate(json.loads(line)))
        except json.JSONDecodeError as exc:
            raise RuleError(f"{'/'.join(parts)}:{n}: invalid JSON: {exc}") from exc
        except ValidationError as exc:
            raise RuleError(f"{'/'.join(parts)}:{n}: {_validation_message(exc)}") from exc
    return out


def require_ids(ids, required, name: str) -> None:
    """Fail at load when a rule the code relies on is missing from a file."""
    missing = sorted(set(required) - set(ids))
    if missing:
        raise RuleError(f"{name}: required rule ids missing: {', '.join(missing)}")


# The clerk's wording (labels, messages, colours): read by no stage, so it stales no model.
NOT_RULES = frozenset({"presentation.json"})


def rule_data_hash() -> str:
    """SHA-256 over every shipped rule file (path and bytes), for the model's meta.json:
    a model trained on other rules is stale. Presentation strings are left out."""
    digest = hashlib.sha256()
    root = resources.files(DATA_PACKAGE).joinpath("data")

    def walk(node, prefix=""):
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith((".json", ".jsonl", ".tsv")) and child.name not in NOT_RULES:
                digest.update(f"{prefix}{child.name}\n".encode())
                digest.update(child.read_bytes())

    walk(root)
    return digest.hexdigest()


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


CueFunction = Literal[
    "assign",  # giao X ...: actor after the cue
    "require",  # yêu cầu X ...
    "request",  # đề nghị X ...: a recommendation
    "modal",  # X cần / phải / có trách nhiệm ...
    "urgency",  # X khẩn trương ...: dropped from the action, kept as an urgent deadline
    "intensify",  # tiếp tục, tăng cường, tập trung ...: part of the action
    "lead",  # X chủ trì ...
    "coordinate",  # phối hợp với Y
    "prohibit",  # không được, không để, tránh, nghiêm cấm: part of the action
    "permit",  # cho phép X ...
    "non_directive",  # biểu dương, cho biết ...: the sentence is not a directive
    "past",  # đã, vừa qua: a report of what was done
    "conclusion",  # kết luận như sau: directives follow
    "issuer_verb",  # <leader> kết luận / nhấn mạnh / lưu ý ...
    "report",  # báo cáo / trình <recipient>
    "purpose",  # để / nhằm ...
    "condition",  # trường hợp / nếu ...
    "topic",  # về / đối với ... at the start of a sentence or heading
    "completion",  # hoàn thành ...: a deadline tail that governs the list before it
    "filler",  # à, ờ, thì: spoken hesitation
    "honorific",  # các đồng chí ở ...: between an assigning cue and its actor
    "vocative",  # thưa ...,: an address to the audience
    "actor_tail",  # liên quan, có dự án đi qua: part of the actor before it
    "emphasis",  # dứt khoát, kiên quyết: intensifier before a modal, skipped
    "attached",  # ", bảo đảm ...", ", phấn đấu ...": continues the action before it
    "qualifier",  # theo chức năng, nhiệm vụ: scope, between the actor and the action
]


class Cue(_Rule):
    """A cue word or phrase and what it does to a clause."""

    id: str = Field(pattern=r"^[a-z0-9_.]+$")
    phrase: str = Field(min_length=1)
    function: CueFunction
    # The modality the cue gives its clause (required where the function table names one).
    modality: Optional[Modality] = None
    # The cue only counts when the preceding token is not one of these (lowercase).
    not_after: tuple[str, ...] = ()
    # The cue only counts when the next token is not one of these (lowercase).
    not_before: tuple[str, ...] = ()
    # The cue needs an actor right after it (assign, request, require, permit).
    actor_after: bool = False
    # The cue assigns only after a leader ("Thủ tướng chỉ đạo Bộ X ..."); else it is the action.
    after_leader: bool = False
    # A party right after the cue is the actor, and the cue stays in the action
    # ("Nghiêm cấm các đơn vị ...", guideline D19); with no party the cue still counts.
    actor_inside: bool = False
    # A proposal that may go up ("kiến nghị Chính phủ ..."): not a directive when its actor
    # is a higher level (``function_words.higher_levels``, guideline 12.10, C41).
    upward: bool = False
    # A qualifier that runs to the next comma ("căn cứ kết quả thẩm định …, tham mưu …",
    # C54); with no comma before the action it is no qualifier.
    to_comma: bool = False
    # A passive assignment ("X được giao …", C46): the assigner is unnamed, so the issuer is
    # the leader named last.
    passive: bool = False
    note: str = ""

    @field_validator("phrase")
    @classmethod
    def _normalized(cls, value: str) -> str:
        return normalize_text(value)


class Lexicon(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    cues: tuple[Cue, ...]

    def by_id(self) -> dict[str, Cue]:
        return {c.id: c for c in self.cues}


class RegexRule(_Rule):
    """A regular expression rule with a stable id."""

    id: str = Field(pattern=r"^[a-z0-9_.]+$")
    pattern: str
    label: str = ""
    flags: tuple[Literal["IGNORECASE", "MULTILINE"], ...] = ()
    note: str = ""

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"regex does not compile: {exc}") from exc
        return value

    def compile(self) -> re.Pattern:
        flags = 0
        for name in self.flags:
            flags |= getattr(re, name)
        return re.compile(self.pattern, flags)


class RegexRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    rules: tuple[RegexRule, ...]

    def compiled(self) -> list[tuple[RegexRule, re.Pattern]]:
        return [(r, r.compile()) for r in self.rules]


def check_unique_ids(ids, name: str) -> None:
    seen = set()
    for rule_id in ids:
        if rule_id in seen:
            raise RuleError(f"{name}: duplicate rule id {rule_id!r}")
        seen.add(rule_id)


# Rule ids the code reads by name: a file without one fails at load, not on first use.
REQUIRED_IDS = {
    "structure.json": ("marker.roman", "marker.number", "marker.letter", "marker.paren",
                       "marker.dash", "marker.plus", "inline.enumeration", "speaker.turn"),
    "metadata.json": ("meta.number", "meta.date_line", "meta.opening_date_full",
                      "meta.opening_date_short", "meta.meeting_title"),
}  # fmt: skip


@cache
def cue_lexicon() -> Lexicon:
    """The directive and non-directive cue lexicon (``data/cues.json``)."""
    lex = load(Lexicon, "cues.json")
    check_unique_ids((c.id for c in lex.cues), "cues.json")
    required = {f.id: f.modality for f in cue_functions().functions if f.modality is not None}
    for cue in lex.cues:
        if cue.function in required and cue.modality != required[cue.function]:
            raise RuleError(f"cues.json: {cue.id}: a {cue.function} cue must have modality "
                            f"{required[cue.function].value}")  # fmt: skip
    return lex


@cache
def regex_rules(name: str) -> RegexRules:
    """A regex rule file from ``data/`` (boilerplate, structure, metadata ...)."""
    rules = load(RegexRules, name)
    check_unique_ids((r.id for r in rules.rules), name)
    require_ids((r.id for r in rules.rules), REQUIRED_IDS.get(name, ()), name)
    return rules


class DiscourseGroup(_Rule):
    id: str = Field(pattern=r"^[a-z0-9_.]+$")
    kind: str
    phrases: tuple[str, ...] = ()
    # spaCy token patterns, for what a phrase cannot say (a capitalised "Tỉnh").
    token_patterns: tuple[tuple[dict, ...], ...] = ()
    # The audience ("các đồng chí ở Sở Y tế"): the body named after it is the actor.
    audience: bool = False
    # A collective that a noun can narrow ("các cơ quan" + "hành chính"): the organization
    # finder reads the nouns after it as part of the actor (C16).
    open_name: bool = False
    note: str = ""


class DiscourseActors(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    note: str = ""
    groups: tuple[DiscourseGroup, ...]


@cache
def discourse_actors() -> DiscourseActors:
    """Speaker, audience and generic collectives (``data/discourse_actors.json``)."""
    data = load(DiscourseActors, "discourse_actors.json")
    check_unique_ids((g.id for g in data.groups), "discourse_actors.json")
    return data


@cache
def fixed_phrases() -> tuple[str, ...]:
    """Phrases the tokenizer keeps whole: gazetteer names and discourse actors."""
    from .gazetteer import get_gazetteer

    phrases = list(get_gazetteer().surface_forms())
    phrases += [normalize_text(p) for g in discourse_actors().groups for p in g.phrases]
    return tuple(phrases)


class Leaders(_Rule):
    note: str = ""
    titles: tuple[str, ...] = Field(min_length=1)

    @field_validator("titles")
    @classmethod
    def _non_empty(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not all(value):
            raise ValueError("titles must be non-empty strings")
        return value


@cache
def leader_titles() -> tuple[str, ...]:
    """Lowercased titles of those who conclude (``data/leaders.json``), longest first."""
    titles = load(Leaders, "leaders.json").titles
    return tuple(sorted((normalize_text(t).lower() for t in titles), key=len, reverse=True))


class Section(_Rule):
    id: str = Field(pattern=r"^section\.[a-z_]+$")
    kind: Literal["assessment", "tasks"]
    keywords: tuple[str, ...] = Field(min_length=1)


class Sections(_Rule):
    note: str = ""
    sections: tuple[Section, ...]


@cache
def sections() -> Sections:
    """Section titles and the kind of section they open (``data/sections.json``)."""
    data = load(Sections, "sections.json")
    check_unique_ids((sec.id for sec in data.sections), "sections.json")
    return data


class Organizations(_Rule):
    note: str = ""
    heads: tuple[str, ...] = Field(min_length=1)
    collective_heads: tuple[str, ...] = Field(min_length=1)
    stop_words: tuple[str, ...] = ()


@cache
def organizations() -> Organizations:
    """Head nouns of bodies no gazetteer lists (``data/organizations.json``)."""
    return load(Organizations, "organizations.json")


class ActorPhrases(_Rule):
    """How the pieces of one actor phrase are put together (``data/actor_phrases.json``)."""

    note: str = ""
    # "Các xã, thị trấn": nouns that go on a list of bodies after a comma.
    list_nouns: tuple[str, ...] = Field(min_length=1)
    # "Thủ trưởng các sở, ban, ngành", "Bí thư, Chủ tịch UBND các tỉnh": a role title
    # before a body or a collective belongs to the actor.
    role_titles: tuple[str, ...] = Field(min_length=1)
    # "các sở, ban, ngành tỉnh": a level word that closes a collective.
    level_suffixes: tuple[str, ...] = ()
    # "UBND các xã có dự án chậm giải ngân": a relative clause that narrows a collective,
    # from its head word to the first cue or stop word ("được", "trực tiếp").
    qualifier_heads: tuple[str, ...] = ()
    qualifier_stops: tuple[str, ...] = ()
    qualifier_stop_functions: tuple[CueFunction, ...] = ()  # "phải", "khẩn trương" ...
    # "Các địa phương nêu trên", "Chủ tịch UBND huyện đó": a demonstrative that closes
    # the actor, whatever follows it (the tagger often reads the verb after it as a noun).
    demonstratives: tuple[str, ...] = ()
    # "Các địa phương trên": a demonstrative that is also a preposition ("trên địa bàn"),
    # so it closes the actor only before a verb, punctuation or a stop word.
    prepositional_demonstratives: tuple[str, ...] = ()
    # "Ủy ban Kinh tế và Tài chính của Quốc hội": the body it belongs to, named after it.
    possessives: tuple[str, ...] = ()
    # "đề nghị huyện Văn Chấn ...", "giao tỉnh ...": a place after an assigning cue.
    place_words: tuple[str, ...] = ()
    # "Thuế thành phố Huế", "Công an tỉnh Lào Cai": a body's head before a named place.
    place_bodies: tuple[str, ...] = ()

    @field_validator("list_nouns", "role_titles", "level_suffixes",
                     "qualifier_heads", "qualifier_stops", "demonstratives",
                     "prepositional_demonstratives", "possessives",
                     "place_words", "place_bodies")
    @classmethod
    def _words(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not all(w.strip() for w in value):
            raise ValueError("words must be non-empty strings")
        return value


@cache
def actor_phrases() -> ActorPhrases:
    """The actor-phrase rules (``data/actor_phrases.json``), its words lowercased and
    normalized (the cue functions stay as they are)."""
    data = load(ActorPhrases, "actor_phrases.json")
    words = {
        name: tuple(dict.fromkeys(normalize_text(w).lower() for w in getattr(data, name)))
        for name in ActorPhrases.model_fields
        if name not in ("note", "qualifier_stop_functions")
    }
    return data.model_copy(update=words)


class ListAnnouncers(_Rule):
    last: tuple[str, ...]  # "... các nội dung sau:"
    last_two: tuple[tuple[str, str], ...]  # "... như sau:"


class FunctionWords(_Rule):
    """The Vietnamese words the assembler, the rules and the metadata reader test tokens
    against (``data/function_words.json``): the code names a role, the data gives words."""

    note: str = ""
    # "A và B": joins actors, coactors and list items.
    conjunctions: tuple[str, ...] = Field(min_length=1)
    # "các": a plural determiner before a collective or a factored list.
    plural: tuple[str, ...] = Field(min_length=1)
    # "cho": between an assigning cue and its actor ("giao cho Bộ X").
    before_actor: tuple[str, ...]
    # "đồng thời": after a comma, a new action starts.
    new_action: tuple[str, ...]
    # "và", "ngoài ra" ... at a clause start: not the action.
    leading_fillers: tuple[str, ...]
    # "cần", "cũng", "sớm" between the actor and the action: passed over.
    before_action: tuple[str, ...]
    # "cùng", "với" between coactors (besides the conjunctions).
    coactor_joiners: tuple[str, ...]
    # A lead-in whose object is the list below.
    list_announcers: ListAnnouncers
    # "tôi", "chúng tôi": the speaker of a transcript turn.
    first_person: tuple[str, ...]
    # "ông", "bà", "người đứng đầu Chính phủ" at a clause start before a speaking cue: the
    # leader named earlier (the issuer is that title, not the pronoun).
    issuer_pronouns: tuple[str, ...] = ()
    # "cũng", "đồng thời" between the issuer (and the name) and the cue: passed over.
    issuer_adverbs: tuple[str, ...] = ()
    # "Chính phủ", "Trung ương": bodies a locality proposes to, never told to act by it.
    higher_levels: tuple[str, ...] = ()
    # "phụ trách" after a leader's title: the portfolio runs to the speaking cue (C24).
    issuer_portfolio: tuple[str, ...] = ()
    # "phó" split from the leader's title by the tokenizer: part of the issuer.
    title_prefixes: tuple[str, ...] = ()
    # Words that set no task on their own: an action made only of them is a closing formula
    # ("nghiêm túc triển khai thực hiện./.", C55) or an attitude ("luôn gương mẫu, trách
    # nhiệm", C52), no directive.
    no_task: tuple[str, ...] = ()
    # Staff offices that write in their own name ("Văn phòng UBND tỉnh đề nghị các sở …",
    # C61): before a speaking cue they are no actor, and never the issuer (guideline 5).
    staff_offices: tuple[str, ...] = ()
    # "ký công điện": a signer's act before "của <leader>", whose document it is; that
    # leader speaks through it, not the signer (C62).
    signed_for: tuple[str, ...] = ()
    # Upper-case header lines that end the issuing body's name.
    header_contains: tuple[str, ...]
    header_starts: tuple[str, ...]


@cache
def function_words() -> FunctionWords:
    """The function-word lists (``data/function_words.json``), normalized."""
    data = read_json("function_words.json")
    try:
        words = FunctionWords.model_validate(_normalized_strings(data))
    except ValidationError as exc:
        raise RuleError(f"function_words.json: {_validation_message(exc)}") from exc
    return words


def _normalized_strings(value):
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, list):
        return [_normalized_strings(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "note" else _normalized_strings(v) for k, v in value.items()}
    return value


class CueFunctionSpec(_Rule):
    """What a cue function does to a clause: one row of ``data/cue_functions.json``."""

    id: CueFunction
    # The clause is a directive wherever it stands (strong), or inside a conclusion or
    # task section (weak).
    gate: Optional[Literal["strong", "weak"]] = None
    # After a comma, a cue of this function starts a new clause.
    splits_clause: bool = False
    # Part of the frame around the action (cue, actor), not the action's first verb.
    frame: bool = False
    # Introduces the actor right after it ("giao Bộ X", "đề nghị Bộ X").
    introduces_actor: bool = False
    # Instructs someone by name: the clause's own actor, modality and governing cue.
    instructs: bool = False
    # The leader speaks: a sentence with one of these names its issuer.
    speaking: bool = False
    # The modality a governing cue of this function gives the clauses after it.
    governs: Optional[Modality] = None
    # The modality every cue of this function must carry (checked when cues.json loads).
    modality: Optional[Modality] = None
    note: str = ""


class VerbChain(_Rule):
    """When a comma followed by a verb starts a new action (guideline §5): "rà soát X, xây
    dựng Y" is two directives, "kiểm tra, xử lý nghiêm X" (verbs sharing one object) one."""

    # Content tokens the phrase before the comma must hold after its verb (its object).
    min_object: int = Field(ge=1)
    # Content tokens, not verbs, the phrase after the comma must hold after its verb.
    min_next: int = Field(ge=1)
    # Words that look like a verb after a comma but never start an action ("trừ").
    not_after_comma: tuple[str, ...] = ()
    # Manner words after a verb that are no object of it ("xử lý nghiêm, đình chỉ X").
    manner: tuple[str, ...] = ()
    # Fixed coordinated compounds whose comma is never a cut ("khám bệnh, chữa bệnh").
    pairs: tuple[str, ...] = ()
    # Nouns that head a list of verb-phrase items ("các hành vi phá rừng, lấn chiếm đất").
    list_heads: tuple[str, ...] = ()
    # Verbs that pass the task on to a party named after them ("chỉ đạo các ngân hàng
    # cơ cấu lại nợ, giảm lãi suất"): the commas after list that party's tasks, one action.
    relay_verbs: tuple[str, ...] = ()
    note: str = ""

    @field_validator("pairs")
    @classmethod
    def _pairs_have_a_comma(cls, pairs: tuple[str, ...]) -> tuple[str, ...]:
        for pair in pairs:
            if pair.count(", ") != 1:
                raise ValueError(f"pair {pair!r} must be 'A, B'")
        return pairs


class CueFunctions(_Rule):
    note: str = ""
    functions: tuple[CueFunctionSpec, ...]
    verb_chain: VerbChain

    def with_flag(self, flag: str) -> frozenset[str]:
        return frozenset(f.id for f in self.functions if getattr(f, flag))

    def gated(self, gate: str) -> frozenset[str]:
        return frozenset(f.id for f in self.functions if f.gate == gate)


@cache
def cue_functions() -> CueFunctions:
    """The cue-function table (``data/cue_functions.json``); every function listed once."""
    table = load(CueFunctions, "cue_functions.json")
    ids = [f.id for f in table.functions]
    check_unique_ids(ids, "cue_functions.json")
    require_ids(ids, CueFunction.__args__, "cue_functions.json")
    return table


# ---------------------------------------------------------------------------
# The directive fields (``data/fields.json``) and presentation strings
# (``data/presentation.json``), read through :mod:`extractor.fields`

FieldKind = Literal["span", "entity", "entities", "deadline", "label", "sector"]


class DirectiveField(_Rule):
    name: str = Field(pattern=r"^[a-z_]+$")
    kind: FieldKind
    ner_label: Optional[str] = Field(default=None, pattern=r"^[A-Z_]+$")
    csv_column: Optional[str] = None
    csv_fallback: Optional[str] = None  # the field whose text fills an empty CSV cell
    label_vi: str


DocumentColumn = Literal["document", "date", "confidence", "id", "review_status"]


class FieldRegistry(_Rule):
    note: str = ""
    document_columns: dict[DocumentColumn, str]
    fields: tuple[DirectiveField, ...]
    csv_order: tuple[str, ...] = Field(min_length=1)
    # The evaluation's field columns: fields, and "<deadline field>_date" for its date.
    eval_order: tuple[str, ...] = Field(min_length=1)

    @field_validator("eval_order")
    @classmethod
    def _known_scores(cls, value, info):
        fields = info.data.get("fields", ())
        known = {f.name for f in fields} | {f"{f.name}_date" for f in fields
                                            if f.kind == "deadline"}  # fmt: skip
        unknown = [c for c in value if c not in known]
        if unknown:
            raise ValueError(f"eval_order names unknown columns {unknown}")
        return value

    @field_validator("csv_order")
    @classmethod
    def _known_columns(cls, value, info):
        names = {f.name for f in info.data.get("fields", ()) if f.csv_column}
        known = names | set(info.data.get("document_columns", {}))
        unknown = [c for c in value if c not in known]
        if unknown:
            raise ValueError(f"csv_order names unknown columns {unknown}")
        return value

    def by_name(self) -> dict[str, DirectiveField]:
        return {f.name: f for f in self.fields}

    def column_header(self, name: str) -> str:
        """The clerk's header of a CSV column (a field's or a document column's)."""
        field = self.by_name().get(name)
        return field.csv_column if field is not None else self.document_columns[name]


MessageKey = Literal[
    "host_refused", "cross_site_refused", "not_saved", "bad_review_action", "nothing_to_save",
    "stored_without_text", "selection_outside", "selection_empty", "action_empty",
    "field_not_correctable", "value_empty", "deadline_not_date", "modality_invalid",
    "sector_unknown", "directive_invalid", "no_document", "no_directive", "unnamed_text",
    "too_large", "text_empty", "reviewed_meanwhile", "already_directive", "bad_characters",
    "no_file", "bad_date",
]  # fmt: skip


LabelKey = Literal[
    "issuing_body", "file", "directive_count", "warnings", "directives_sheet", "calendar_name",
    "unknown_actor", "no_date", "directive_total",
    "report_no_deadline", "report_undated", "report_unreadable", "report_not_output",
    "report_some_not_output", "report_title", "report_subtitle", "report_directives",
    "report_empty_documents", "report_low_confidence", "report_failed_files",
    "report_skipped_files", "report_summary", "report_count", "report_overview",
    "report_by_modality", "report_month", "report_by_month", "report_body", "report_by_actor",
    "report_error", "report_errors_heading", "report_error_column", "report_detail",
    "report_dated", "report_chars", "report_from_csv", "report_without_text", "report_no_text",
    "report_no_directive", "report_review", "report_low",
]  # fmt: skip


class VisualizeWords(_Rule):
    """The words of :func:`extractor.visualize`'s page."""

    legend: str
    directive: str
    confidence: str
    rules: str
    source: str
    outside: str  # the fields read outside the directive's sentence
    none: str  # a document without directives


class ServerWords(_Rule):
    """The review server's wording of errors for the clerk (``web/messages.py`` reads it)."""

    status: dict[int, str]  # a generic message per HTTP status; 400 and 500 are fallbacks
    read_errors: dict[str, str]  # a reader's failure kind -> what is wrong with the file
    read_error_default: str
    read_error: str  # "{name}: {what}."
    request_fields: dict[str, str]  # a request field -> its label on the page
    problems: dict[str, str]  # a pydantic error type prefix -> what is wrong
    problem_default: str
    field_problem: str  # "{field}: {problem}."
    body_problem: str  # "... {problem}."

    @field_validator("status")
    @classmethod
    def _fallbacks(cls, value):
        missing = {400, 422, 500} - set(value)
        if missing:
            raise ValueError(f"server status messages missing {sorted(missing)}")
        return value


class Presentation(_Rule):
    note: str = ""
    modality: dict[str, str]
    review_status: dict[str, str]
    # The review server's words to the clerk, every key of MessageKey given.
    messages: dict[MessageKey, str]
    # Headings of the exports and reports that are not a field's label, every key given.
    labels: dict[LabelKey, str]

    # The highlight colour of each directive field (by field name), in legend order.
    role_colours: dict[str, str] = Field(min_length=1)
    visualize: VisualizeWords
    server: ServerWords

    @field_validator("messages", "labels")
    @classmethod
    def _every_key(cls, value, info):
        keys = (MessageKey if info.field_name == "messages" else LabelKey).__args__
        missing = set(keys) - set(value)
        if missing:
            raise ValueError(f"presentation {info.field_name} missing {sorted(missing)}")
        return value

    @field_validator("role_colours")
    @classmethod
    def _hex_colours(cls, value):
        bad = [c for c in value.values() if not re.fullmatch(r"#[0-9a-fA-F]{6}", c)]
        if bad:
            raise ValueError(f"colours must be #rrggbb, not {bad}")
        return value



# ---------------------------------------------------------------------------
# Deadline rules (``data/deadline_patterns.json``)

ValueKind = Literal[
    "date", "month", "quarter", "half", "year", "duration", "relative_period", "auto", "none"
]
Relation = Literal[
    "before", "by", "on", "within_period", "within_duration", "from_now_until",
    "before_event", "immediate", "urgent_no_date", "recurring", "ongoing",
]  # fmt: skip


class DeadlineRule(_Rule):
    """One deadline pattern and how to read its groups."""

    id: str = Field(pattern=r"^[a-z_]+\.[a-z0-9_]+$")
    pattern: str
    kind: DeadlineKind
    relation: Relation
    value: ValueKind
    granularity: Optional[Granularity] = None
    # "start": "trước tháng 6" is the day before June, unless "cuối/hết" is said.
    anchor: Literal["end", "start"] = "end"
    # The unit of a relative_period rule that has no unit group.
    fixed_unit: Optional[Literal["week", "month", "quarter", "year"]] = None
    # Recurring rules with a day: "trước ngày 20 hằng tháng".
    day_rule: Optional[Literal["day", "day_month"]] = None


class Vocabulary(_Rule):
    roman: dict[str, int]
    half: dict[str, int]
    units: dict[str, Literal["day", "working_day", "week", "month", "quarter", "year"]]
    number_words: dict[str, int]
    relative: dict[str, int]
    frequency: dict[str, str]
    every_months: dict[str, str]
    end_words: tuple[str, ...]
    document_anchors: tuple[str, ...]


class DeadlineRules(_Rule):
    note: str = ""
    macros: dict[str, str]
    vocabulary: Vocabulary
    rules: tuple[DeadlineRule, ...]
    # How a sentence that only states the deadline of the one before it begins
    # ("Thời hạn hoàn thành: ..."), folded (lower case, words only).
    deadline_labels: tuple[str, ...] = ()
    # Words right before a time expression that make it describe the object, not the
    # deadline ("các khoản vay đến hạn trong quý IV", C48); lower case.
    object_markers: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _unique_ids(self) -> DeadlineRules:
        seen = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"duplicate rule id {rule.id!r}")
            seen.add(rule.id)
        return self


# ---------------------------------------------------------------------------
# Gazetteer files (``data/gazetteer/``)

GAZETTEER_DIR = "gazetteer"

Rank = Literal[
    "government",
    "government_role",
    "working_group",
    "ministry",
    "ministerial_agency",
    "government_agency",
    "national_assembly_body",
    "party_body",
    "state_role",
    "judiciary",
    "front",
    "military",
    "state_enterprise",  # the state groups that receive directives (C16)
]


class CentralEntry(_Rule):
    """A central body, a government role or a non-government body."""

    id: str = Field(pattern=r"^[a-z]+:[a-z0-9_]+$")
    name: str
    kind: EntityKind
    rank: Rank
    aliases: tuple[str, ...] = ()
    # Codes used only inside a factored list ("Các Bộ: TC, XD, NV").
    list_codes: tuple[str, ...] = ()
    # Full titles of the head ("Thống đốc Ngân hàng Nhà nước"): a person_role mention.
    head_titles: tuple[str, ...] = ()
    # Names proposed before the 2025 votes and never adopted (domain.md 4.1).
    proposed_names: tuple[str, ...] = ()
    valid_from: Optional[dt.date] = None
    valid_to: Optional[dt.date] = None
    successor: Optional[str] = None
    note: str = ""


class CentralFile(_Rule):
    note: str = ""
    entries: tuple[CentralEntry, ...]


class OldProvince(_Rule):
    code: int = Field(ge=1, le=99)
    type: Literal["province", "city"]
    name: str
    successor_code: int = Field(ge=1, le=99)
    aliases: tuple[str, ...] = ()
    typed_aliases: tuple[str, ...] = ()
    note: str = ""


class NewProvinceExtra(_Rule):
    code: int = Field(ge=1, le=99)
    aliases: tuple[str, ...] = ()
    typed_aliases: tuple[str, ...] = ()


class ProvincesFile(_Rule):
    note: str = ""
    old_valid_to: dt.date
    new_valid_from: dt.date
    old: tuple[OldProvince, ...]
    new: tuple[NewProvinceExtra, ...] = ()


class CollectiveEntry(_Rule):
    id: str = Field(pattern=r"^collective:[a-z0-9_]+$")
    name: str
    phrases: tuple[str, ...]
    note: str = ""


class CollectivesFile(_Rule):
    note: str = ""
    entries: tuple[CollectiveEntry, ...]


class DepartmentEntry(_Rule):
    name: str
    aliases: tuple[str, ...] = ()
    successor: Optional[str] = None


class DepartmentsFile(_Rule):
    note: str = ""
    entries: tuple[DepartmentEntry, ...]


class ListHead(_Rule):
    id: str = Field(pattern=r"^list\.[a-z_]+$")
    item: Literal["ministry", "province", "department"]
    person_role: bool = False
    phrases: tuple[str, ...]


class FalseFriend(_Rule):
    id: str = Field(pattern=r"^false_friend\.[a-z_]+$")
    prefixes: tuple[str, ...]


class HeadKind(_Rule):
    prefix: str
    kind: EntityKind


class Grammar(_Rule):
    note: str = ""
    honorifics: tuple[str, ...]
    person_titles: tuple[str, ...]
    rank_titles: dict[str, tuple[str, ...]]
    province_types: dict[Literal["province", "city"], tuple[str, ...]]
    pc_heads: tuple[str, ...]
    district_types: tuple[str, ...]
    commune_types: tuple[str, ...]
    department_heads: tuple[str, ...]
    ministry_head: str
    local_qualifiers: tuple[str, ...]
    list_separators: tuple[str, ...]
    list_heads: tuple[ListHead, ...]
    bare_province: tuple[str, ...]
    bare_province_chair: tuple[str, ...]
    bare_working_group: tuple[str, ...]
    false_friends: tuple[FalseFriend, ...]
    head_kinds: tuple[HeadKind, ...]


class SpanPattern(_Rule):
    """One spaCy SpanRuler pattern (a line of ``span_patterns.jsonl``)."""

    label: Literal["ACTOR"]
    id: str = Field(pattern=r"^pattern\.[a-z0-9_.]+$")
    pattern: Union[str, list[dict]]
    note: str = ""

    @field_validator("pattern")
    @classmethod
    def _regexes_compile(cls, value):
        if isinstance(value, list):
            for token in value:
                for spec in token.values():
                    if isinstance(spec, dict) and "REGEX" in spec:
                        try:
                            re.compile(spec["REGEX"])
                        except re.error as exc:
                            raise ValueError(f"regex does not compile: {exc}") from exc
        return value


def gazetteer_file(model, name: str):
    """A file of ``data/gazetteer/``, validated."""
    return load(model, GAZETTEER_DIR, name)


def gazetteer_lines(model, name: str) -> list:
    """A JSON-lines file of ``data/gazetteer/``, validated line by line."""
    return load_lines(model, GAZETTEER_DIR, name)


# -- topic and sector ------------------------------------------------------------------

Phrases = tuple[Annotated[str, Field(min_length=1)], ...]


class TopicFile(_Rule):
    """``topic.json``: the words :mod:`extractor.topic` walks past to reach an action's
    object, and those that end it."""

    description: str = ""
    lead_words: Phrases = Field(min_length=1)
    outcome_leads: Phrases = Field(min_length=1)
    outcome_verbs: Phrases = Field(min_length=1)
    light_verbs: Phrases = Field(min_length=1)
    addressing_verbs: Phrases = Field(min_length=1)
    report_verbs: Phrases = Field(min_length=1)
    determiners: Phrases = Field(min_length=1)
    adverbs: Phrases = Field(min_length=1)
    prepositions: Phrases = Field(min_length=1)
    joiners: Phrases = Field(min_length=1)
    tails: Phrases = Field(min_length=1)
    comma_tails: Phrases = Field(min_length=1)
    trailing_words: Phrases = Field(min_length=1)
    process_nouns: Phrases = Field(min_length=1)
    recipient_prepositions: Phrases = Field(min_length=1)
    heading_cues: Phrases = Field(min_length=1)
    ordinal_leads: Phrases = Field(min_length=1)
    addressee_heads: Phrases = Field(min_length=1)
    # "việc": names a process; the verb after it belongs to the object
    nominalizers: Phrases = Field(min_length=1)
    # "%": a leading share before the object ("giảm 10% lượng điện") is not the topic
    quantity_units: Phrases = Field(min_length=1)
    # words that end the object when a figure follows ("trên 90%", "sau 22 giờ")
    number_tails: Phrases = Field(min_length=1)
    # heads whose object lists verb phrases ("tình trạng găm hàng, tăng giá")
    clausal_heads: Phrases = Field(min_length=1)


@cache
def topic_file() -> TopicFile:
    return load(TopicFile, "topic.json")


class SectorEntry(_Rule):
    id: str = Field(pattern=r"^[a-z_]+$")
    label: str = Field(min_length=1)
    scope: str = ""
    keywords: Phrases = ()
    # A keyword of this field in the directive's own words (topic, action, sentence) makes
    # it the field whatever else is named: a task done because of a disaster is the
    # disaster's (GUIDELINE 12.1), though it names rice, schools or budget money.
    first_when_named: bool = False


class SectorsFile(_Rule):
    """``sectors.json``: the controlled list of fields, in priority order, with keywords."""

    version: int = 1
    description: str = ""
    sectors: tuple[SectorEntry, ...] = Field(min_length=2)
    # Phrases that hide the keywords inside them and name no field ("yêu cầu" hides "cầu").
    masks: Phrases = ()

    @field_validator("sectors")
    @classmethod
    def _ids(cls, value):
        ids = [s.id for s in value]
        check_unique_ids(ids, "sectors.json")
        require_ids(ids, ["khac"], "sectors.json")
        return value


@cache
def sectors_file() -> SectorsFile:
    return load(SectorsFile, "sectors.json")


TRAINED_DIR = "trained"  # in an installed package: extractor/trained/<name> (setup.py)


def trained_path(name: str):
    """A trained pipeline (``directives``, ``sectors``) the model and hybrid modes load.

    ``$EXTRACTOR_MODELS/<name>`` when that variable is set; else, in an installed wheel,
    the copy shipped inside the package (``setup.py`` copies the repository's
    ``models/<name>`` there at build time: the same files); else, in a source checkout or
    an editable install, the repository's ``models/<name>``, where ``extractor train``
    writes.
    """
    import os
    from pathlib import Path

    from .model import models_dir

    shipped = resources.files(DATA_PACKAGE).joinpath(TRAINED_DIR, name)
    if not os.environ.get("EXTRACTOR_MODELS") and shipped.joinpath("meta.json").is_file():
        return Path(str(shipped))  # spaCy loads from a directory: an installed package is one
    return models_dir() / name


def trained_pipeline_path():
    """The trained directives pipeline (:func:`trained_path`)."""
    return trained_path("directives")
