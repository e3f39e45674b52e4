"""Stage 6: assembly of directives from blocks, sentences, cues, actors and deadlines.

Plain functions over a processed ``Doc`` (textacy's habit): the spaCy component
(:mod:`.component`) only wraps :func:`assemble`. The reading of one clause is:

    [topic ,] [condition ,] [leader issuer-verb] [assign-cue] [actor]
    [chủ trì] [, phối hợp với coactors] [deadline] [modal / khẩn trương]
    ACTION [để PURPOSE] [, báo cáo RECIPIENT] [DEADLINE]

One directive per instructed action: a sentence is cut into clauses at ";"
and at commas that start a new action (a cue, a new actor, or a verb phrase
after a complete one), and a clause without an actor takes the one before it,
or the heading / lead-in that governs its list item.

- :mod:`.records`: ``Ref`` (with its ``origin``), clauses, frames, directive records
- :mod:`.table`: the cue-function table and function words, as the code tests them
- :mod:`.index`: the read-only index of a Doc (cues, actors, deadlines by token)
- :mod:`.clauses`: clause splitting (run by the ``clause_splitter`` component)
- :mod:`.roles`: role reading, one small function per part of a clause
- :mod:`.discourse`: frames, lead-ins, speakers, the issuer, the conclusion zone
- :mod:`.decisions`: gates, confidence and modality
- :mod:`.component`: the document walk and the spaCy component
"""

from __future__ import annotations

from .clauses import split_clauses
from .component import DirectiveAssembler, assemble, create_assembler
from .decisions import GATES
from .discourse import find_issuer
from .index import DocIndex, doc_index
from .records import Clause, ClauseContext, DirectiveRecord, Frame, Origin, Ref
from .roles import read_clause
from .table import table

__all__ = [
    "GATES", "Clause", "ClauseContext", "DirectiveAssembler", "DirectiveRecord", "DocIndex",
    "Frame", "Origin", "Ref", "assemble", "create_assembler", "doc_index", "find_issuer",
    "read_clause", "split_clauses", "table",
]  # fmt: skip
