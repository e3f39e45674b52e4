"""Exclusive time per pipeline stage over a folder of texts, in one process.

    .venv/bin/python bench/stages.py corpus/docs          # the 86 corpus texts once each
    .venv/bin/python bench/stages.py /tmp/bench-docs      # documents made by bench/run.py

Each stage runs over every document before the next stage starts, so a stage's time is its
own (in ``extractor extract`` the stages interleave, document by document, and the model
reads the sentences of 8 documents at a time, as here). Caches warm as they do in a batch.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from extractor import api
from extractor.pipeline import build


def stage_times(texts: list[str], mode: str = "hybrid") -> dict[str, float]:
    nlp = build(mode)
    times: dict[str, float] = {}

    def timed(name, work):
        start = time.perf_counter()
        result = work()
        times[name] = time.perf_counter() - start
        return result

    prepared = timed("normalize", lambda: [api._prepare(t, None) for t in texts])
    docs = timed("tokenizer", lambda: [nlp.make_doc(text) for text, _ in prepared])
    for name, component in nlp.pipeline:
        if hasattr(component, "pipe"):
            docs = timed(name, lambda c=component, ds=docs: list(c.pipe(ds, batch_size=8)))
        else:
            docs = timed(name, lambda c=component, ds=docs: [c(doc) for doc in ds])
    timed("document + JSON", lambda: [
        api._document(doc, source, (), doc_date=None, mode=mode, with_text=False).to_json()
        for doc, (_, source) in zip(docs, prepared)
    ])  # fmt: skip
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--mode", default="hybrid")
    args = parser.parse_args()
    files = sorted(args.folder.rglob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    build(args.mode)  # start-up is not a stage
    times = stage_times(texts, args.mode)
    print(f"{len(files)} documents, {sum(map(len, texts)):,} characters")
    for name, seconds in sorted(times.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {seconds:.2f} s |")
    print(f"| total | {sum(times.values()):.2f} s |")


if __name__ == "__main__":
    main()
