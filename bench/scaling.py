"""Cost per character of one text as it grows: is every stage linear?

    .venv/bin/python bench/scaling.py       # 10 k, 100 k, 1 M, 5 M characters; rules, hybrid
    .venv/bin/python bench/scaling.py --sizes 10000,1000000 --modes rules --stages
    .venv/bin/python bench/scaling.py --sizes 1000000 --modes hybrid --profile /tmp/p.out

For each size and mode, a fresh process builds the pipeline, warms it on the user's seed
text (``../shared/seeds/``, else a golden document: no line shared with the measured text),
then extracts one text of that many characters made by ``bench/distinct.py`` (no line
repeats) and writes its JSON. It reports the wall and CPU time of that extraction (CPU time
is the process's own: the machine may be shared), microseconds per character, the peak RSS
of the process (``ru_maxrss``) and its growth over the warmed pipeline, and the directives
found. ``--stages`` times each pipeline stage alone (``bench/stages.py``'s way) instead of
the whole extraction; ``--profile FILE`` writes a cProfile of the extraction (one size).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
SEED = ROOT.parent / "shared" / "seeds" / "000_9aa80fb783193915.txt"
PAGE = os.sysconf("SC_PAGE_SIZE")


def warm_text() -> str:
    """A text to warm the pipeline on, sharing no line with the generated texts."""
    if SEED.exists():
        return SEED.read_text(encoding="utf-8")
    return sorted((ROOT / "tests" / "golden").glob("*.txt"))[0].read_text(encoding="utf-8")


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * PAGE / 2**20


def child(size: int, mode: str, stages: bool, profile: str | None) -> dict:
    """Runs in the fresh process: one measurement, returned as a dict."""
    from distinct import one_text

    from extractor.api import extract_text

    text = one_text(size)
    extract_text(warm_text(), mode=mode).to_json()
    base = _rss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    result: dict = {"size": len(text), "mode": mode, "base_rss_mb": base}
    if stages:
        from stages import stage_times

        result["stages"] = stage_times([text], mode)
    elif profile:
        import cProfile

        with cProfile.Profile() as prof:
            result["directives"] = len(extract_text(text, mode=mode).directives)
        prof.dump_stats(profile)
    else:
        doc = extract_text(text, mode=mode)
        doc.to_json()
        result["directives"] = len(doc.directives)
    result["wall"] = time.perf_counter() - wall
    result["cpu"] = time.process_time() - cpu
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def measure(size: int, mode: str, stages: bool, profile: str | None) -> dict:
    cmd = [sys.executable, __file__, "--child", str(size), mode]
    cmd += ["--stages"] if stages else []
    cmd += ["--profile", profile] if profile else []
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def row(r: dict) -> str:
    per = 1e6 / r["size"]
    return (f"| {r['mode']} | {r['size']:,} | {r['wall']:.2f} | {r['cpu']:.2f} "
            f"| {r['wall'] * per:.1f} | {r['cpu'] * per:.1f} | {r['peak_rss_mb']:.0f} MB "
            f"| {r['peak_rss_mb'] - r['base_rss_mb']:.0f} MB "
            f"| {r.get('directives', '-')} |")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000,5000000")
    parser.add_argument("--modes", default="rules,hybrid")
    parser.add_argument("--stages", action="store_true", help="time each stage alone")
    parser.add_argument("--profile", help="write a cProfile of the extraction here")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(int(args.child[0]), args.child[1], args.stages, args.profile)))
        return 0
    results = []
    print("| mode | characters | wall s | CPU s | wall µs/char | CPU µs/char | peak RSS "
          "| growth | directives |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|")  # fmt: skip
    for mode in args.modes.split(","):
        for size in map(int, args.sizes.split(",")):
            results.append(measure(size, mode, args.stages, args.profile))
            print(row(results[-1]), flush=True)
            if args.stages:
                stage = results[-1]["stages"]
                per = 1e6 / results[-1]["size"]
                print("   ", ", ".join(f"{k} {v * per:.1f}" for k, v in
                                       sorted(stage.items(), key=lambda kv: -kv[1])))  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
