"""One registry of directive fields (``data/fields.json``): name, kind (a span, an entity,
a list of entities, a deadline or a label), the model's NER label, the clerk's CSV column
and the Vietnamese label. The record, the API builder, the model, the CSV export, the
report and training iterate it; ``presentation()`` holds the other Vietnamese strings the
outputs show (modality and review-status labels)."""

from __future__ import annotations

from functools import cache

from .resources import DirectiveField, FieldRegistry, Presentation, load


@cache
def registry() -> FieldRegistry:
    return load(FieldRegistry, "fields.json")


def fields() -> tuple[DirectiveField, ...]:
    """Every directive field, in registry order."""
    return registry().fields


def ner_labels() -> tuple[str, ...]:
    """The model's role labels, in registry order."""
    return tuple(f.ner_label for f in fields() if f.ner_label)


def csv_headers() -> list[str]:
    """The clerk's column headers, in ``csv_order``."""
    reg = registry()
    return [reg.column_header(name) for name in reg.csv_order]


def eval_columns() -> tuple[str, ...]:
    """The evaluation's field columns, in ``eval_order`` (a deadline's date as ``<name>_date``)."""
    return registry().eval_order


def names_of(*kinds: str) -> tuple[str, ...]:
    """The names of the fields of these kinds, in registry order."""
    return tuple(f.name for f in fields() if f.kind in kinds)


def label_vi(name: str) -> str:
    return registry().by_name()[name].label_vi


@cache
def presentation() -> Presentation:
    return load(Presentation, "presentation.json")


def say(key: str, **values) -> str:
    """The clerk's message ``key`` of ``data/presentation.json``, its fields filled."""
    return presentation().messages[key].format(**values)


def label(key: str, **values) -> str:
    """An export's or report's own heading ``key`` (``labels`` of presentation.json)."""
    return presentation().labels[key].format(**values)


def column(name: str) -> str:
    """The clerk's column header of a field or a document column (fields.json)."""
    return registry().column_header(name)
