"""underthesea's segmentation of the golden documents, as recorded: a newer underthesea
(setup.cfg allows a range) that cuts words or sentences differently fails here, loudly,
before it shifts the rules' and the model's readings in ways the golden tests may not show.

The record (``tests/data/golden_segmentation.json``) holds, for each line of each golden
text (normalized as the pipeline normalizes it), the words of
``word_tokenize(line, use_token_normalize=False)`` and the sentences of
``sent_tokenize(line)``: the two calls the pipeline makes. After checking a new release
(golden tests, ``extractor eval``, a retrained model), record it again with
``python tests/test_segmentation.py --record``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
RECORD = HERE / "data" / "golden_segmentation.json"


def segmentation() -> dict[str, list[dict]]:
    """Each golden text's non-blank lines with underthesea's words and sentences."""
    from underthesea import sent_tokenize, word_tokenize

    from extractor.normalize import normalize_text

    out = {}
    for path in sorted(GOLDEN.glob("*.txt")):
        lines = normalize_text(path.read_text(encoding="utf-8")).split("\n")
        out[path.name] = [
            {"line": n, "words": word_tokenize(line, use_token_normalize=False),
             "sentences": sent_tokenize(line)}
            for n, line in enumerate(lines, 1) if line.strip()
        ]  # fmt: skip
    return out


def _version() -> str:
    from importlib.metadata import version

    return version("underthesea")


def test_underthesea_segments_the_golden_documents_as_recorded():
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    now = segmentation()
    assert sorted(now) == sorted(record["documents"]), (
        "the golden texts changed: record the segmentation again "
        "(python tests/test_segmentation.py --record)"
    )
    differences = []
    for name, lines in now.items():
        for got, want in zip(lines, record["documents"][name]):
            for key in ("words", "sentences"):
                if got[key] != want[key]:
                    first = next((i for i, (a, b) in enumerate(zip(got[key], want[key]))
                                  if a != b), min(len(got[key]), len(want[key])))  # fmt: skip
                    differences.append(
                        f"  {name} line {got['line']} {key}: "
                        f"{got[key][first:first + 3]} instead of {want[key][first:first + 3]}"
                    )
        if len(lines) != len(record["documents"][name]):
            differences.append(f"  {name}: {len(lines)} lines instead of "
                               f"{len(record['documents'][name])}")  # fmt: skip
    assert not differences, (
        f"underthesea {_version()} segments the golden documents differently from "
        f"underthesea {record['underthesea']}, which they were recorded with "
        f"({len(differences)} differences):\n" + "\n".join(differences[:20]) +
        "\nCheck the golden tests and `extractor eval`, retrain the model, then record again: "
        "python tests/test_segmentation.py --record"
    )


def test_the_record_covers_every_golden_document():
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    assert len(record["documents"]) == len(list(GOLDEN.glob("*.txt"))) >= 5
    assert all(lines for lines in record["documents"].values())


def _write_record() -> None:
    docs = segmentation()
    # One text line per JSON line, so a re-recording shows as a readable diff.
    body = ",\n".join(
        f"  {json.dumps(name, ensure_ascii=False)}: [\n"
        + ",\n".join(f"    {json.dumps(line, ensure_ascii=False)}" for line in lines)
        + "\n  ]"
        for name, lines in docs.items()
    )
    head = f'{{"underthesea": {json.dumps(_version())},\n"documents": {{\n'
    RECORD.write_text(f"{head}{body}\n}}}}\n", encoding="utf-8")
    print(f"{RECORD}: {sum(len(v) for v in docs.values())} lines of {len(docs)} documents, "
          f"underthesea {_version()}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--record"]:
        sys.exit("usage: python tests/test_segmentation.py --record")
    _write_record()
