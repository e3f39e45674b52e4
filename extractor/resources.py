"""Rule data shipped in the package: loaded with importlib.resources, validated by pydantic.

Each rule kind is a small pydantic model; unknown keys, bad enum values and
regexes that do not compile fail at load time with the file and rule named.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .normalize import normalize_text
from .schema import Modality

DATA_PACKAGE = "extractor"


class RuleError(ValueError):
    """A shipped or user-given rule file is invalid."""


def data_path(*parts: str):
    """Traversable for a file under ``extractor/data``."""
    return resources.files(DATA_PACKAGE).joinpath("data", *parts)


def read_json(*parts: str):
    path = data_path(*parts)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RuleError(f"{'/'.join(parts)}: invalid JSON: {exc}") from exc


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
    modality: Optional[Modality] = None
    strength: int = Field(default=1, ge=0, le=3)
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


def _load(model, *parts: str):
    try:
        return model.model_validate(read_json(*parts))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        raise RuleError(f"{'/'.join(parts)}: {loc}: {err['msg']}") from exc


def check_unique_ids(ids, name: str) -> None:
    seen = set()
    for rule_id in ids:
        if rule_id in seen:
            raise RuleError(f"{name}: duplicate rule id {rule_id!r}")
        seen.add(rule_id)


@cache
def cue_lexicon() -> Lexicon:
    """The directive and non-directive cue lexicon (``data/cues.json``)."""
    lex = _load(Lexicon, "cues.json")
    check_unique_ids((c.id for c in lex.cues), "cues.json")
    return lex


@cache
def regex_rules(name: str) -> RegexRules:
    """A regex rule file from ``data/`` (boilerplate, structure, metadata ...)."""
    rules = _load(RegexRules, name)
    check_unique_ids((r.id for r in rules.rules), name)
    return rules


class DiscourseGroup(_Rule):
    id: str = Field(pattern=r"^[a-z0-9_.]+$")
    kind: str
    phrases: tuple[str, ...] = ()
    # spaCy token patterns, for what a phrase cannot say (a capitalised "Tỉnh").
    token_patterns: tuple[tuple[dict, ...], ...] = ()
    note: str = ""


class DiscourseActors(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    note: str = ""
    groups: tuple[DiscourseGroup, ...]


@cache
def discourse_actors() -> DiscourseActors:
    """Speaker, audience and generic collectives (``data/discourse_actors.json``)."""
    data = _load(DiscourseActors, "discourse_actors.json")
    check_unique_ids((g.id for g in data.groups), "discourse_actors.json")
    return data


def fixed_phrases() -> list[str]:
    """Phrases the tokenizer keeps whole: gazetteer names and discourse actors."""
    from .gazetteer import get_gazetteer

    phrases = list(get_gazetteer().surface_forms())
    phrases += [normalize_text(p) for g in discourse_actors().groups for p in g.phrases]
    return phrases


@cache
def leader_titles() -> tuple[str, ...]:
    """Lowercased titles of those who conclude (``data/leaders.json``), longest first."""
    titles = read_json("leaders.json")["titles"]
    if not all(isinstance(t, str) and t for t in titles):
        raise RuleError("leaders.json: titles must be non-empty strings")
    return tuple(sorted((normalize_text(t).lower() for t in titles), key=len, reverse=True))


TRAINED_DIR = "trained"  # in an installed package: extractor/trained/directives (setup.py)


def trained_pipeline_path():
    """The trained pipeline (``directives``) the model and hybrid modes load.

    ``$EXTRACTOR_MODELS/directives`` when that variable is set; else, in an installed
    wheel, the copy shipped inside the package (``setup.py`` copies the repository's
    ``models/directives`` there at build time: the same files); else, in a source
    checkout or an editable install, the repository's ``models/directives``, where
    ``extractor train`` writes.
    """
    import os
    from pathlib import Path

    from .model import models_dir

    shipped = resources.files(DATA_PACKAGE).joinpath(TRAINED_DIR, "directives")
    if not os.environ.get("EXTRACTOR_MODELS") and shipped.joinpath("meta.json").is_file():
        return Path(str(shipped))  # spaCy loads from a directory: an installed package is one
    return models_dir() / "directives"
