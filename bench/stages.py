"""Exclusive time per pipeline stage over a folder of texts, in one process.

    .venv/bin/python bench/stages.py --distinct 1000000   # distinct texts (bench/distinct.py)
    .venv/bin/python bench/stages.py /tmp/bench-docs      # a folder (e.g. bench/run.py --keep)

``--distinct CHARS``: the corpus train/dev texts once each, then copies in which no line
repeats, CHARS characters in all (never the test or field-test texts). Wall and CPU time
(``time.process_time``: the machine may be shared) per stage.

Each stage runs over every document before the next stage starts, so a stage's time is its
own (in ``extractor extract`` the stages interleave, document by document, and the model
reads the sentences of 8 documents at a time, as here). Caches warm as they do in a batch.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from extractor import api
from extractor.pipeline import build


def stage_times(texts: list[str], mode: str = "hybrid",
                cpu: dict[str, float] | None = None) -> dict[str, float]:
    """Wall seconds per stage; ``cpu``, when given, gets the CPU seconds."""
    nlp = build(mode)
    times: dict[str, float] = {}
    cpu = {} if cpu is None else cpu

    def timed(name, work):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = work()
        times[name] = time.perf_counter() - start
        cpu[name] = time.process_time() - cpu_start
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
    parser.add_argument("folder", type=Path, nargs="?")
    parser.add_argument("--distinct", type=int, metavar="CHARS",
                        help="generated distinct texts instead of a folder")
    parser.add_argument("--mode", default="hybrid")
    args = parser.parse_args()
    if args.distinct:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from distinct import distinct_documents

        texts = list(distinct_documents(args.distinct))
    elif args.folder:
        texts = [f.read_text(encoding="utf-8") for f in sorted(args.folder.rglob("*.txt"))]
    else:
        parser.error("give a folder or --distinct CHARS")
    build(args.mode)  # start-up is not a stage
    cpu: dict[str, float] = {}
    times = stage_times(texts, args.mode, cpu)
    print(f"{len(texts)} documents, {sum(map(len, texts)):,} characters, mode {args.mode}")
    print("| stage | wall s | CPU s |\n|---|---:|---:|")
    for name, seconds in sorted(times.items(), key=lambda kv: -cpu[kv[0]]):
        print(f"| {name} | {seconds:.2f} | {cpu[name]:.2f} |")
    print(f"| total | {sum(times.values()):.2f} | {sum(cpu.values()):.2f} |")


if __name__ == "__main__":
    main()
