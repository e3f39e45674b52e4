"""Throughput and memory of ``extractor extract`` against underthesea word segmentation alone.

    .venv/bin/python bench/run.py                 # 500 documents, workers 1 and 2, 3 runs each
    .venv/bin/python bench/run.py --docs 100 --repeat 1 --json bench.json

1. Writes ``--docs`` documents into a temporary folder (in subfolders of 100), cycling through
   ``corpus/docs/*.txt`` (``tests/golden/*.txt`` while the corpus is empty); copy *k* of a
   text gets its dates, day numbers and document numbers shifted by *k*, so no two files
   are byte-identical and the resumable skip never fires (``--force`` is passed anyway).
2. Runs ``python -m extractor extract DIR -o OUT --workers W --force -q`` in a fresh
   subprocess, ``--repeat`` rounds (each round every W, then step 3), and keeps the median
   wall time; a one-document run measures the fixed start-up cost (imports, building the
   pipeline). Peak memory is the largest sum of RSS over the process tree (the command and
   its workers), sampled from /proc every 20 ms, with PSS (shared pages counted once) when
   /proc gives it; the ``wait4`` rusage of the command gives the largest single process as
   a cross-check.
3. Times ``underthesea.word_tokenize`` over every non-empty line of the same texts, in this
   process, after a warm-up (``use_token_normalize=False``, as the pipeline's tokenizer
   calls it), and also over the distinct lines only (the pipeline's tokenizer caches lines).
4. Runs the pipeline (``--workers 1``) and segmentation on the source texts once each, where
   no line repeats from one document to another and no cache helps: the ratio a folder of
   unrelated documents gets.
5. Prints a Markdown table and the ratio pipeline / segmentation (workers 1); ``--json``
   also writes every figure to a file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


# --- documents ----------------------------------------------------------------------------

_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b")
_DAY_WORDS = re.compile(r"\b(ngày )(\d{1,2})( tháng)", re.IGNORECASE)
_NUMBER = re.compile(r"\b(\d{1,5})(/(?:\d{4}/)?[A-ZĐ]{2,})")


def source_texts(folder: Path | None) -> tuple[Path, list[str]]:
    """The texts to cycle through: corpus/docs, else the golden test documents."""
    candidates = [folder] if folder else [ROOT / "corpus" / "docs", ROOT / "tests" / "golden"]
    for candidate in candidates:
        files = sorted(candidate.glob("*.txt"))
        if files:
            return candidate, [f.read_text(encoding="utf-8") for f in files]
    raise SystemExit(f"no .txt documents in {', '.join(map(str, candidates))}")


def vary(text: str, k: int) -> str:
    """Copy ``k`` of a text: days, years and document numbers moved, nothing else."""
    if k == 0:
        return text

    def date(m: re.Match) -> str:
        day = (int(m.group(1)) - 1 + 3 * k) % 28 + 1
        return f"{day}/{m.group(2)}/{int(m.group(3)) + k % 3}"

    def day_words(m: re.Match) -> str:
        return f"{m.group(1)}{(int(m.group(2)) - 1 + 5 * k) % 28 + 1}{m.group(3)}"

    def number(m: re.Match) -> str:
        return f"{int(m.group(1)) + 7 * k}{m.group(2)}"

    varied = _NUMBER.sub(number, _DAY_WORDS.sub(day_words, _DATE.sub(date, text)))
    if varied == text:  # nothing to move: a different trailing newline count still differs
        varied = text.rstrip("\n") + "\n" * (k + 1)
    return varied


def make_documents(sources: list[str], count: int, folder: Path) -> list[str]:
    texts = []
    seen = set()
    for i in range(count):
        k, j = divmod(i, len(sources))
        text = vary(sources[j], k)
        while text in seen:  # a text with nothing to vary: make it differ anyway
            text += "\n"
        seen.add(text)
        path = folder / f"part{i // 100:02d}" / f"doc{i:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        texts.append(text)
    return texts


# --- memory of a process tree -------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _descendants(pid: int) -> list[int]:
    tree = _children()
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(tree.get(p, []))
    return found


def _memory(pid: int) -> tuple[int, int | None]:
    """(RSS, PSS or None) of one process, in bytes."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            fields = dict(line.split(":", 1) for line in fh if ":" in line)
        return int(fields["Rss"].split()[0]) * 1024, int(fields["Pss"].split()[0]) * 1024
    except (OSError, KeyError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * PAGE, None
    except (OSError, IndexError, ValueError):
        return 0, None


class TreeSampler(threading.Thread):
    """Polls the summed RSS (and PSS) of a process and its descendants; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.02):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_rss = 0
        self.peak_pss: int | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            rss, pss, has_pss = 0, 0, True
            for p in _descendants(self.pid):
                r, s = _memory(p)
                rss += r
                has_pss = has_pss and s is not None
                pss += s or 0
            self.peak_rss = max(self.peak_rss, rss)
            if has_pss and rss:
                self.peak_pss = max(self.peak_pss or 0, pss)
            self.stop.wait(self.interval)


# --- runs ---------------------------------------------------------------------------------


def run_extract(src: Path, out: Path, workers: int, mode: str | None = None) -> dict:
    """One ``extractor extract`` run in a fresh process: wall time and peak memory."""
    cmd = [sys.executable, "-m", "extractor", "extract", str(src), "-o", str(out),
           "--workers", str(workers), "--force", "-q"]  # fmt: skip
    if mode:
        cmd += ["--mode", mode]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr.decode()}")
    return {
        "seconds": seconds,
        "peak_tree_rss_mb": sampler.peak_rss / 2**20,
        "peak_tree_pss_mb": None if sampler.peak_pss is None else sampler.peak_pss / 2**20,
        "max_process_rss_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux
    }


def summarize(runs: list[dict], docs: int, startup: float) -> dict:
    seconds = statistics.median(r["seconds"] for r in runs)
    pss = [r["peak_tree_pss_mb"] for r in runs if r["peak_tree_pss_mb"] is not None]
    return {
        "runs": runs,
        "median_seconds": seconds,
        "docs_per_second": docs / seconds,
        "steady_seconds": max(seconds - startup, 1e-9),
        "steady_docs_per_second": docs / max(seconds - startup, 1e-9),
        "peak_tree_rss_mb": max(r["peak_tree_rss_mb"] for r in runs),
        "peak_tree_pss_mb": max(pss) if pss else None,
        "max_process_rss_mb": max(r["max_process_rss_mb"] for r in runs),
    }


def time_segmentation(texts: list[str]) -> dict:
    from underthesea import word_tokenize

    lines = [line for text in texts for line in text.split("\n") if line.strip()]
    distinct = list(dict.fromkeys(lines))
    for line in lines[:50]:  # warm-up: models loaded, caches filled
        word_tokenize(line, use_token_normalize=False)

    def timed(chosen: list[str]) -> float:
        started = time.perf_counter()
        for line in chosen:
            word_tokenize(line, use_token_normalize=False)
        return time.perf_counter() - started

    return {
        "lines": len(lines),
        "distinct_lines": len(distinct),
        "chars": sum(map(len, lines)),
        "seconds": timed(lines),
        "distinct_seconds": timed(distinct),
    }


def machine() -> dict:
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "date": dt.date.today().isoformat(),
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} MB"


def table(result: dict) -> str:
    seg = result["segmentation"]
    docs = result["documents"]
    lines = [
        "| run | median s (3 runs) | docs/s | docs/s after start-up | peak RSS, tree "
        "| peak PSS, tree | largest process |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines[0] = lines[0].replace("(3 runs)", f"({result['repeat']} runs)")
    for workers, s in result["pipeline"].items():
        lines.append(
            f"| extract --workers {workers} | {s['median_seconds']:.1f} "
            f"| {s['docs_per_second']:.1f} | {s['steady_docs_per_second']:.1f} "
            f"| {_mb(s['peak_tree_rss_mb'])} | {_mb(s['peak_tree_pss_mb'])} "
            f"| {_mb(s['max_process_rss_mb'])} |"
        )
    lines.append(
        f"| start-up (1 document, --workers 1) | {result['startup_seconds']:.1f} | | | | | |"
    )
    lines.append(
        f"| underthesea word_tokenize, every line ({seg['lines']}) | {seg['seconds']:.1f} "
        f"| {docs / seg['seconds']:.1f} | | | | |"
    )
    lines.append(
        f"| underthesea word_tokenize, distinct lines ({seg['distinct_lines']}) "
        f"| {seg['distinct_seconds']:.1f} | {docs / seg['distinct_seconds']:.1f} | | | | |"
    )
    once = result["source_texts_once"]
    lines.append(
        f"| extract --workers 1, the {result['source_texts']} source texts once each "
        f"| {once['pipeline']['median_seconds']:.1f} "
        f"| {once['pipeline']['docs_per_second']:.1f} "
        f"| {once['pipeline']['steady_docs_per_second']:.1f} | | | |"
    )
    lines.append(
        f"| underthesea word_tokenize, those texts ({once['segmentation']['lines']} lines) "
        f"| {once['segmentation']['seconds']:.1f} | | | | | |"
    )
    ratio = result["ratio"]
    return "\n".join(lines) + (
        f"\n\nPipeline / segmentation (workers 1, median of the per-round ratios): "
        f"{ratio['with_startup']:.2f}x with start-up, "
        f"{ratio['steady']:.2f}x after start-up (target: at most 1.5x); "
        f"{ratio['steady_vs_distinct']:.2f}x against the distinct lines only; "
        f"{once['steady_ratio']:.2f}x after start-up on the source texts once each "
        "(no line repeats across documents).\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=500, help="documents to generate (500)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per setting (3)")
    parser.add_argument("--workers", default="1,2", help="worker counts to run (1,2)")
    parser.add_argument("--source", type=Path, help="folder of .txt to cycle through")
    parser.add_argument("--mode", help="extraction mode passed to extract (its default)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    workers = [int(w) for w in args.workers.split(",")]
    if 1 not in workers:
        parser.error("--workers must include 1 (the ratio is for one worker)")

    source, sources = source_texts(args.source)
    tmp = Path(tempfile.mkdtemp(prefix="extractor-bench-"))
    try:
        src = tmp / "in"
        texts = make_documents(sources, args.docs, src)
        print(f"{args.docs} documents ({sum(map(len, texts)) / 1e6:.2f} M characters) from "
              f"{len(sources)} texts in {source.relative_to(ROOT)}", file=sys.stderr)  # fmt: skip
        one = tmp / "one"
        (one / "doc.txt").parent.mkdir(parents=True)
        shutil.copy(next(src.rglob("*.txt")), one / "doc.txt")
        startup = statistics.median(
            run_extract(one, tmp / "out-one", 1, args.mode)["seconds"] for _ in range(args.repeat)
        )
        print(f"start-up: {startup:.1f} s", file=sys.stderr)
        # Interleaved: each round runs every worker count, then segmentation alone, so a
        # slow or fast spell of the machine falls on both sides of a ratio.
        runs: dict[int, list[dict]] = {w: [] for w in workers}
        seg_runs = []
        for i in range(args.repeat):
            for w in workers:
                runs[w].append(run_extract(src, tmp / f"out-{w}", w, args.mode))
                last = runs[w][-1]
                print(f"workers {w}, run {i + 1}: {last['seconds']:.1f} s, "
                      f"tree RSS {last['peak_tree_rss_mb']:.0f} MB", file=sys.stderr)  # fmt: skip
            seg_runs.append(time_segmentation(texts))
            print(f"segmentation, run {i + 1}: {seg_runs[-1]['seconds']:.1f} s", file=sys.stderr)
        pipeline = {str(w): summarize(runs[w], args.docs, startup) for w in workers}
        seg = dict(seg_runs[0], seconds=statistics.median(r["seconds"] for r in seg_runs),
                   distinct_seconds=statistics.median(r["distinct_seconds"] for r in seg_runs))
        pair_ratios = [(r["seconds"] / g["seconds"], (r["seconds"] - startup) / g["seconds"])
                       for r, g in zip(runs[1], seg_runs)]  # fmt: skip
        # The source texts once each: no line repeats across documents, so no cache helps.
        once = tmp / "once"
        once.mkdir()
        for k, text in enumerate(sources):
            (once / f"{k:04d}.txt").write_text(text, encoding="utf-8")
        once_runs, once_segs = [], []
        for _ in range(args.repeat):
            once_runs.append(run_extract(once, tmp / "out-once", 1, args.mode))
            once_segs.append(time_segmentation(sources))
        once_summary = summarize(once_runs, len(sources), startup)
        once_seg = dict(once_segs[0], seconds=statistics.median(r["seconds"] for r in once_segs))
        once_ratio = statistics.median((r["seconds"] - startup) / g["seconds"]
                                       for r, g in zip(once_runs, once_segs))  # fmt: skip
        print(f"source texts once: {once_summary['median_seconds']:.1f} s, "
              f"segmentation {once_seg['seconds']:.1f} s", file=sys.stderr)  # fmt: skip
        one_worker = pipeline["1"]
        result = {
            "machine": machine(),
            "mode": args.mode or "default",
            "documents": args.docs,
            "characters": sum(map(len, texts)),
            "source": str(source.relative_to(ROOT)),
            "source_texts": len(sources),
            "repeat": args.repeat,
            "startup_seconds": startup,
            "pipeline": pipeline,
            "segmentation": seg,
            "source_texts_once": {"pipeline": once_summary, "segmentation": once_seg,
                                  "steady_ratio": once_ratio},  # fmt: skip
            "ratio": {
                # median over rounds of (pipeline, workers 1) / (segmentation, same round)
                "with_startup": statistics.median(r[0] for r in pair_ratios),
                "steady": statistics.median(r[1] for r in pair_ratios),
                "rounds": [{"with_startup": a, "steady": b} for a, b in pair_ratios],
                "steady_vs_distinct": one_worker["steady_seconds"] / seg["distinct_seconds"],
            },
        }
        m = result["machine"]
        chars = result["characters"] / 1e6
        print(f"{m['date']}, {m['nproc']} cores ({m['cpu']}), Python {m['python']}, "
              f"{args.docs} documents, {chars:.2f} M characters, "
              f"mode {result['mode']}\n")  # fmt: skip
        print(table(result))
        if args.json:
            args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
