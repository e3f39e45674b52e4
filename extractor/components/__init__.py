"""Pipeline components after the rulers: cue filtering and actor refinement, clause
splitting, the document's metadata, the bodies its actors name, the dates its deadlines
mean. Importing registers the factories; ``pipeline.cfg`` gives the order."""

from __future__ import annotations

from . import (  # noqa: F401
    actors,
    clause_splitter,
    deadline_reader,
    directive_spans,
    entity_resolver,
    language_check,
    metadata_reader,
    sector_classifier,
    topic_reader,
)
