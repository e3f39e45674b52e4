"""Cold start of a one-file run, trees side by side: ``extractor extract SEED -o OUT --force
-q`` in a fresh process per run, the trees interleaved run by run; user + system CPU (from
``wait4``), wall, max RSS; median of the runs.

    .venv/bin/python bench/cold.py --runs 5 --mode hybrid TREE [TREE ...]

A TREE is a folder holding an ``extractor`` package and ``models/`` (a checkout, or
``git archive COMMIT extractor | tar -x -C DIR`` with a link to the repository's models).
The seed text is the user's (``../shared/seeds/``), which no corpus split holds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "000_9aa80fb783193915.txt"


def one_run(tree: str, mode: str, out: str) -> tuple[float, float, float]:
    """(CPU s, wall s, max RSS MB) of one cold run."""
    cmd = [sys.executable, "-m", "extractor", "extract", str(SEED), "-o", out, "--force",
           "-q", "--mode", mode]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=dict(os.environ, PYTHONPATH=tree), cwd=tempfile.gettempdir())
    _, status, usage = os.wait4(proc.pid, 0)
    if status:
        raise SystemExit(f"{tree}: exit status {status}")
    return usage.ru_utime + usage.ru_stime, time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="+")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mode", default="hybrid")
    args = parser.parse_args()
    runs: dict[str, list[tuple[float, float, float]]] = {t: [] for t in args.trees}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs):
            for tree in args.trees:
                runs[tree].append(one_run(tree, args.mode, f"{tmp}/out.json"))
    for tree, rs in runs.items():
        cpu = [r[0] for r in rs]
        print(f"{tree}: CPU median {statistics.median(cpu):.2f} s (min {min(cpu):.2f}), wall "
              f"median {statistics.median(r[1] for r in rs):.2f} s, max RSS "
              f"{max(r[2] for r in rs):.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
