"""Throughput and memory of ``extractor extract`` against underthesea word segmentation alone,
on distinct texts and on a folder of repeated lines, side by side.

    .venv/bin/python bench/run.py                 # 500 documents, workers 1 and 2, 3 rounds
    .venv/bin/python bench/run.py --docs 100 --repeat 1 --mode rules --json bench.json
    .venv/bin/python bench/run.py --scaling 10000,100000,1000000,5000000

1. Two folders of the same size in characters. **Distinct texts**: the corpus ``train`` and
   ``dev`` texts (part F included; never ``test`` or ``field-test``) once each, then copies
   made by ``bench/distinct.py`` in which no line repeats (numbers, dates and names moved):
   the pipeline's per-line, per-chunk and per-sentence caches cannot help, as in a folder of
   unrelated documents. **Repeated lines** (kept for comparison, labelled as such):
   ``--docs`` copies of the same source texts with only their dates, day numbers and
   document numbers shifted, so most lines recur and the caches make them nearly free.
2. Each side in a fresh process: ``python -m extractor extract DIR -o OUT --workers W
   --force -q`` (its start-up measured by a one-file run on the user's seed text, which
   neither folder holds: the cold start of ``extractor extract one.txt``), and
   segmentation alone (``underthesea.word_tokenize(line, use_token_normalize=False)``, the
   call the pipeline's tokenizer makes, over every non-empty line) in a fresh process
   warmed on the seed text. ``--repeat`` interleaved rounds: each runs the one-file run,
   then for each folder every worker count and segmentation, so a slow spell of the
   machine falls on both sides of a ratio; ratios are medians of per-round ratios.
3. Wall time and CPU time (user + system of the command and its workers, from ``wait4``):
   on a shared machine the wall time carries the other users' load, the CPU time much less.
   Peak memory: the largest sum of RSS over the process tree, sampled from /proc every
   20 ms, with PSS (pages shared by forked workers counted once), and ``ru_maxrss`` of the
   largest process.
4. Prints a Markdown table and the ratios; ``--scaling SIZES`` appends
   ``bench/scaling.py``'s table (one text per size); ``--json`` writes every figure.
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
sys.path.insert(0, str(ROOT / "bench"))
SEED = ROOT.parent / "shared" / "seeds" / "000_9aa80fb783193915.txt"
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


# --- documents ----------------------------------------------------------------------------

_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b")
_DAY_WORDS = re.compile(r"\b(ngày )(\d{1,2})( tháng)", re.IGNORECASE)
_NUMBER = re.compile(r"\b(\d{1,5})(/(?:\d{4}/)?[A-ZĐ]{2,})")


def source_texts(folder: Path | None) -> tuple[Path, list[str]]:
    """The texts to cycle through: the corpus train and dev texts (never test or
    field-test), else the golden test documents."""
    if folder is None and (ROOT / "corpus" / "splits.json").exists():
        from distinct import source_texts as corpus_texts

        return ROOT / "corpus" / "docs", corpus_texts()
    candidates = [folder] if folder else [ROOT / "tests" / "golden"]
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
        "cpu_seconds": usage.ru_utime + usage.ru_stime,  # the command and its workers
        "peak_tree_rss_mb": sampler.peak_rss / 2**20,
        "peak_tree_pss_mb": None if sampler.peak_pss is None else sampler.peak_pss / 2**20,
        "max_process_rss_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux
    }


def summarize(runs: list[dict], docs: int, startup: float) -> dict:
    seconds = statistics.median(r["seconds"] for r in runs)
    cpu = statistics.median(r["cpu_seconds"] for r in runs)
    pss = [r["peak_tree_pss_mb"] for r in runs if r["peak_tree_pss_mb"] is not None]
    return {
        "runs": runs,
        "median_seconds": seconds,
        "median_cpu_seconds": cpu,
        "docs_per_second": docs / seconds,
        "steady_seconds": max(seconds - startup, 1e-9),
        "steady_docs_per_second": docs / max(seconds - startup, 1e-9),
        "peak_tree_rss_mb": max(r["peak_tree_rss_mb"] for r in runs),
        "peak_tree_pss_mb": max(pss) if pss else None,
        "max_process_rss_mb": max(r["max_process_rss_mb"] for r in runs),
    }


def time_segmentation(folder: Path) -> dict:
    """Segmentation alone over every .txt under ``folder``, in a fresh process."""
    cmd = [sys.executable, __file__, "--segmentation-child", str(folder)]
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def segmentation_child(folder: Path) -> dict:
    """Warmed on the seed text (no line shared), then every non-empty line of the folder's
    texts, and the distinct lines only: wall and CPU time of each."""
    from underthesea import word_tokenize

    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.txt"))]
    lines = [line for text in texts for line in text.split("\n") if line.strip()]
    distinct = list(dict.fromkeys(lines))
    warm = SEED.read_text(encoding="utf-8") if SEED.exists() else lines[0]
    for line in warm.split("\n")[:50]:  # warm-up: models loaded
        word_tokenize(line, use_token_normalize=False)

    def timed(chosen: list[str]) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        for line in chosen:
            word_tokenize(line, use_token_normalize=False)
        return time.perf_counter() - wall, time.process_time() - cpu

    seconds, cpu_seconds = timed(lines)
    distinct_seconds, distinct_cpu = timed(distinct)
    return {"lines": len(lines), "distinct_lines": len(distinct), "chars": sum(map(len, lines)),
            "seconds": seconds, "cpu_seconds": cpu_seconds,
            "distinct_seconds": distinct_seconds, "distinct_cpu_seconds": distinct_cpu}


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


def write_distinct(chars: int, folder: Path) -> list[str]:
    """The corpus train/dev texts, then copies with no line repeated (bench/distinct.py),
    ``chars`` characters in all."""
    from distinct import distinct_documents

    texts = list(distinct_documents(chars))
    for i, text in enumerate(texts):
        path = folder / f"part{i // 100:02d}" / f"doc{i:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return texts


def _steady(s: dict) -> str:
    """Docs/s after start-up, or "-" when the run took less than the start-up (a noisy
    machine)."""
    return f"{s['steady_docs_per_second']:.1f}" if s["steady_seconds"] > 1e-6 else "-"


def folder_table(name: str, f: dict, startup: dict) -> list[str]:
    rows = []
    for workers, s in f["pipeline"].items():
        rows.append(
            f"| {name} | extract --workers {workers} | {s['median_seconds']:.1f} "
            f"| {s['median_cpu_seconds']:.1f} | {s['docs_per_second']:.1f} "
            f"| {_steady(s)} | {_mb(s['peak_tree_rss_mb'])} "
            f"| {_mb(s['peak_tree_pss_mb'])} | {_mb(s['max_process_rss_mb'])} |"
        )
    seg = f["segmentation"]
    rows.append(f"| {name} | word_tokenize alone, every line ({seg['lines']}) "
                f"| {seg['seconds']:.1f} | {seg['cpu_seconds']:.1f} | | | | | |")  # fmt: skip
    if seg["distinct_lines"] != seg["lines"]:
        rows.append(f"| {name} | word_tokenize alone, distinct lines ({seg['distinct_lines']}) "
                    f"| {seg['distinct_seconds']:.1f} | {seg['distinct_cpu_seconds']:.1f} "
                    "| | | | | |")  # fmt: skip
    return rows


def table(result: dict) -> str:
    lines = [
        "| texts | run | wall s | CPU s | docs/s | docs/s after start-up | peak RSS, tree "
        "| peak PSS, tree | largest process |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    st = result["startup"]
    for name, f in result["folders"].items():
        lines += folder_table(f"{name} ({f['documents']} docs, {f['chars'] / 1e6:.2f} M chars)",
                              f, st)  # fmt: skip
    lines.append(f"| one file | cold start, `extractor extract one.txt` | {st['seconds']:.2f} "
                 f"| {st['cpu_seconds']:.2f} | | | {_mb(st['peak_tree_rss_mb'])} | | |")
    out = "\n".join(lines) + "\n\nPipeline / segmentation alone (--workers 1, median of the "
    out += "per-round ratios; after start-up subtracts the one-file run):\n\n"
    for name, f in result["folders"].items():
        r = f["ratio"]
        out += (f"- {name}: wall {r['wall_with_startup']:.2f}x with start-up, "
                f"**{r['wall_steady']:.2f}x after start-up**; CPU {r['cpu_steady']:.2f}x after "
                f"start-up (rounds, wall after start-up: "
                f"{', '.join(f'{x:.2f}' for x in r['rounds_wall_steady'])})\n")  # fmt: skip
    return out


def _ratios(runs: list[dict], segs: list[dict], startup: list[dict]) -> dict:
    wall = [r["seconds"] / g["seconds"] for r, g in zip(runs, segs)]
    steady = [(r["seconds"] - s["seconds"]) / g["seconds"]
              for r, g, s in zip(runs, segs, startup)]  # fmt: skip
    cpu = [(r["cpu_seconds"] - s["cpu_seconds"]) / g["cpu_seconds"]
           for r, g, s in zip(runs, segs, startup)]  # fmt: skip
    return {"wall_with_startup": statistics.median(wall), "wall_steady": statistics.median(steady),
            "cpu_steady": statistics.median(cpu), "rounds_wall_steady": steady}  # fmt: skip


def one_file(tmp: Path) -> Path:
    """A folder holding one text that neither benchmark folder holds (the user's seed)."""
    one = tmp / "one"
    one.mkdir()
    if SEED.exists():
        shutil.copy(SEED, one / "doc.txt")
    else:
        shutil.copy(sorted((ROOT / "tests" / "golden").glob("*.txt"))[0], one / "doc.txt")
    return one


def measure(folders: dict, workers: list[int], args, tmp: Path) -> dict:
    """Interleaved rounds: in each, the one-file run, then per folder every worker count
    and segmentation alone, so a slow spell of the shared machine falls on both sides."""
    one = one_file(tmp)
    startup: list[dict] = []
    runs = {(name, w): [] for name in folders for w in workers}
    segs: dict[str, list[dict]] = {name: [] for name in folders}
    for i in range(args.repeat):
        startup.append(run_extract(one, tmp / "out-one", 1, args.mode))
        for name, (folder, _) in folders.items():
            for w in workers:
                runs[name, w].append(run_extract(folder, tmp / f"out-{name}-{w}", w, args.mode))
                last = runs[name, w][-1]
                print(f"round {i + 1}, {name}, workers {w}: {last['seconds']:.1f} s wall, "
                      f"{last['cpu_seconds']:.1f} s CPU", file=sys.stderr)  # fmt: skip
            segs[name].append(time_segmentation(folder))
    st = {"seconds": statistics.median(r["seconds"] for r in startup),
          "cpu_seconds": statistics.median(r["cpu_seconds"] for r in startup),
          "peak_tree_rss_mb": max(r["peak_tree_rss_mb"] for r in startup), "runs": startup}
    out = {}
    for name, (_, texts) in folders.items():
        seg = dict(segs[name][0], runs=segs[name])
        for key in ("seconds", "cpu_seconds", "distinct_seconds", "distinct_cpu_seconds"):
            seg[key] = statistics.median(r[key] for r in segs[name])
        out[name] = {
            "documents": len(texts), "chars": sum(map(len, texts)),
            "pipeline": {str(w): summarize(runs[name, w], len(texts), st["seconds"])
                         for w in workers},
            "segmentation": seg, "ratio": _ratios(runs[name, 1], segs[name], startup),
        }  # fmt: skip
    return {"startup": st, "folders": out}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=500, help="documents to generate (500)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (3)")
    parser.add_argument("--workers", default="1,2", help="worker counts to run (1,2)")
    parser.add_argument("--source", type=Path, help="folder of .txt to cycle through")
    parser.add_argument("--mode", help="extraction mode passed to extract (its default)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--scaling", metavar="SIZES",
                        help="also run bench/scaling.py with these sizes (e.g. 10000,1000000)")
    parser.add_argument("--segmentation-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.segmentation_child:
        print(json.dumps(segmentation_child(args.segmentation_child)))
        return 0
    workers = [int(w) for w in args.workers.split(",")]
    if 1 not in workers:
        parser.error("--workers must include 1 (the ratio is for one worker)")

    source, sources = source_texts(args.source)
    tmp = Path(tempfile.mkdtemp(prefix="extractor-bench-"))
    try:
        repeated = make_documents(sources, args.docs, tmp / "repeated")
        chars = sum(map(len, repeated))
        distinct = write_distinct(chars, tmp / "distinct")
        print(f"distinct: {len(distinct)} documents; repeated-line: {args.docs} documents "
              f"({chars / 1e6:.2f} M characters) from {len(sources)} texts", file=sys.stderr)
        folders = {"distinct": (tmp / "distinct", distinct),
                   "repeated lines": (tmp / "repeated", repeated)}  # fmt: skip
        result = {"machine": machine(), "mode": args.mode or "default", "repeat": args.repeat,
                  **measure(folders, workers, args, tmp)}  # fmt: skip
        m = result["machine"]
        print(f"{m['date']}, {m['nproc']} cores ({m['cpu']}), Python {m['python']}, "
              f"mode {result['mode']}, {args.repeat} interleaved rounds\n")  # fmt: skip
        print(table(result))
        if args.scaling:
            cmd = [sys.executable, str(ROOT / "bench" / "scaling.py"), "--sizes", args.scaling]
            cmd += ["--modes", args.mode] if args.mode else []
            result["scaling"] = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True,
                                               text=True).stdout  # fmt: skip
            print("\n" + result["scaling"])
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
