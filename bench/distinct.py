"""Texts whose lines never repeat, built from the corpus train/dev texts, for honest timing.

    .venv/bin/python bench/distinct.py --chars 1000000 -o /tmp/one-1M.txt   # one text
    .venv/bin/python bench/distinct.py --chars 2000000 --folder /tmp/docs   # one file per copy

The pipeline caches its work per line, chunk and sentence, so a folder whose documents
share lines (``bench/run.py``'s generated copies) times the caches. Here copy *k* of a
source text (only the ``train`` and ``dev`` splits of ``corpus/splits.json``, part F
included; never ``test`` or ``field-test``) has, in every line, its numbers and dates moved
and the names of provinces, provincial departments and central bodies swapped for other
names of the same list, by an amount that depends on *k* and the line; a line that still
equals a line given before (in any copy) is left out. Blank lines are kept as they are, so
each copy keeps its paragraphs. Deterministic: the same arguments give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPLITS = ("train", "dev")  # never "test" or "field-test"
GAZETTEER = ROOT / "extractor" / "data" / "gazetteer"

_DATE = r"(?P<date>\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d\d)\b)"
_NUMBER = r"(?P<num>(?<![\d/.,])\d{1,4}(?![\d/.,]))"


def source_texts() -> list[str]:
    """The train and dev texts of the corpus, in the order of ``corpus/splits.json``."""
    splits = json.loads((ROOT / "corpus" / "splits.json").read_text(encoding="utf-8"))
    ids = [doc for split in SPLITS for doc in splits[split]]
    return [(ROOT / "corpus" / "docs" / f"{doc}.txt").read_text(encoding="utf-8") for doc in ids]


def _names(file: str, key: str = "entries") -> list[str]:
    entries = json.loads((GAZETTEER / file).read_text(encoding="utf-8"))[key]
    return sorted({e["name"] for e in entries})


def name_lists() -> list[list[str]]:
    """Lists of names that can stand in for one another (provinces, departments, bodies)."""
    central = [n for n in _names("central.json") if len(n.split()) >= 2]
    return [_names("provinces.json", "old"), _names("departments.json"), central]


class Varier:
    """Rewrites a line for copy ``k``: numbers, dates and names moved (see the module doc)."""

    def __init__(self) -> None:
        self.lists = name_lists()
        self.where = {name: (i, j) for i, names in enumerate(self.lists)
                      for j, name in enumerate(names)}  # fmt: skip
        alternatives = sorted(self.where, key=len, reverse=True)
        names = "|".join(re.escape(n) for n in alternatives)
        self.pattern = re.compile(rf"{_DATE}|(?P<name>\b(?:{names})\b)|{_NUMBER}")

    def line(self, line: str, k: int, salt: int) -> str:
        """Copy ``k`` of ``line``; ``salt`` (the line's position) spreads the shifts."""
        if k == 0:
            return line
        shift = k * 7 + salt * 3

        def sub(m: re.Match) -> str:
            if m.group("date"):
                day = (int(m.group("d")) - 1 + shift) % 28 + 1
                month = (int(m.group("m")) - 1 + k) % 12 + 1
                return f"{day}/{month}/{int(m.group('y')) + k % 4}"
            if m.group("name"):
                i, j = self.where[m.group("name")]
                names = self.lists[i]
                return names[(j + shift) % len(names)]
            return str(int(m.group("num")) + shift)

        return self.pattern.sub(sub, line)


def distinct_documents(chars: int) -> Iterator[str]:
    """Copies of the source texts, no non-blank line given twice, ``chars`` in all at least."""
    sources = source_texts()
    varier = Varier()
    seen: set[str] = set()
    total, k = 0, 0
    while total < chars:
        fresh = 0
        for text in sources:
            lines = []
            for salt, line in enumerate(text.split("\n")):
                new = varier.line(line, k, salt)
                if new.strip() and new in seen:
                    continue
                seen.add(new)
                lines.append(new)
                fresh += bool(new.strip())
            doc = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"
            if doc.strip():
                yield doc
                total += len(doc)
                if total >= chars:
                    return
        if not fresh:
            raise SystemExit(f"no new line left after {total} characters")
        k += 1


def one_text(chars: int) -> str:
    """One text of about ``chars`` characters (cut at a line end), no line given twice."""
    parts, total = [], 0
    for doc in distinct_documents(chars):
        parts.append(doc)
        total += len(doc) + 1
    text = "\n".join(parts)
    cut = text.rfind("\n", 0, chars)
    return text[: cut + 1] if cut > 0 else text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, required=True, help="characters to write")
    out = parser.add_mutually_exclusive_group(required=True)
    out.add_argument("-o", "--output", type=Path, help="write one text to this file")
    out.add_argument("--folder", type=Path, help="write one file per copy into this folder")
    args = parser.parse_args(argv)
    if args.output:
        args.output.write_text(one_text(args.chars), encoding="utf-8")
        return 0
    args.folder.mkdir(parents=True, exist_ok=True)
    for i, doc in enumerate(distinct_documents(args.chars)):
        (args.folder / f"distinct{i:05d}.txt").write_text(doc, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
