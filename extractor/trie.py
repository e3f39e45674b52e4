"""Regexes that match any phrase of a long list, built as a character trie.

A flat alternation of a thousand names is tried name by name at every position; a trie
dispatches on each character, so its cost does not grow with the list.
"""

from __future__ import annotations

import re
from typing import Iterable, Optional

WORD = r"\w"  # phrases end where a word character does not follow
LETTER = r"[^\W\d_]"  # ... or where a letter does not (digits and "_" end a word too)


def phrase_regex(phrases: Iterable[str], ignore_case: bool = True,
                 boundary: str = WORD) -> Optional[re.Pattern]:  # fmt: skip
    """One regex matching any phrase whole (not inside a longer run of ``boundary``
    characters), the longest where several match; None for no phrases."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for ch in phrase.lower() if ignore_case else phrase:
            node = node.setdefault(ch, {})
        node[""] = {}
    if not trie:
        return None

    def build(node: dict) -> str:
        alts, optional = [], "" in node
        for ch in sorted(k for k in node if k):
            alts.append(re.escape(ch) + build(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if optional else body

    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(rf"(?<!{boundary})" + build(trie) + rf"(?!{boundary})", flags)
