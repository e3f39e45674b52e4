"""Every custom ``._`` attribute the pipeline sets, registered in one place."""

from __future__ import annotations

from spacy.tokens import Doc

DOC_ATTRS = {
    "skipped": None,  # list[clean.Region]
    "blocks": None,  # list[segment.Block]
    "directives": None,  # list[assemble.DirectiveRecord]
    "clause_context": None,  # {clause start char: (actor, issuer, may_direct)}
}


def register() -> None:
    for name, default in DOC_ATTRS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register()
