"""Pipeline components after the rulers: cue filtering and actor refinement, the
document's metadata, the bodies its actors name, the dates its deadlines mean. Importing
registers the factories; ``pipeline.cfg`` gives the order."""

from __future__ import annotations

from . import actors, deadline_reader, entity_resolver, metadata_reader  # noqa: F401
