"""Byte-identity check: the JSON of a fixed set of documents, before and after a change.

    .venv/bin/python bench/same_output.py write OUT            # extract into OUT/<mode>/
    .venv/bin/python bench/same_output.py compare A B          # two such folders
    .venv/bin/python bench/same_output.py check --ref COMMIT   # this tree against a commit

The documents: the 86 corpus texts listed in ``corpus/splits.json`` (train, dev, test),
the golden documents under ``tests/golden`` and the user's seed
(``../shared/seeds/000_9aa80fb783193915.txt``, when present), each extracted in the rules,
model and hybrid modes through the public API (``read_file`` + ``extract_texts``), one JSON
file per document and mode. ``--ref COMMIT`` extracts the same documents with the code of
COMMIT, from a temporary ``git worktree`` (its own ``extractor`` package and ``models/``,
imported ahead of the installed one), and compares; ``--ref-out DIR`` keeps that folder so
later checks can ``compare`` against it without extracting again.

A refactoring must leave every byte as it was; exit 1 (and the differing files, with the
first differing JSON paths) when it does not. ``check --long CHARS`` adds one text of that
many characters made by ``bench/distinct.py`` (no line repeats): the long-text paths
(position indexes in place of scans) are exercised only there. A provenance change names
the keys it may change (``--allow source --allow rules``): their changes are counted, any
other fails.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "000_9aa80fb783193915.txt"
MODES = ("rules", "model", "hybrid")
LONG_ENV = "SAME_OUTPUT_LONG"  # a long text to add, set by ``check --long``


def documents(root: Path) -> list[tuple[str, str]]:
    """(output name, path to read) of every document, paths relative to ``root`` where they
    live in the repository (so that ``source.path`` is the same in any checkout)."""
    splits = json.loads((root / "corpus" / "splits.json").read_text(encoding="utf-8"))
    names = [name for split in ("train", "dev", "test") for name in splits[split]]
    docs = [(f"corpus/{name}", f"corpus/docs/{name}.txt") for name in names]
    golden = sorted((root / "tests" / "golden").glob("*.txt"))
    docs += [(f"golden/{p.stem}", f"tests/golden/{p.name}") for p in golden]
    if SEED.exists():
        docs.append((f"seed/{SEED.stem}", str(SEED)))
    if os.environ.get(LONG_ENV):
        docs.append(("long/distinct", os.environ[LONG_ENV]))
    return docs


def write(out: Path, root: Path, modes: tuple[str, ...] = MODES) -> int:
    """Extract every document in every mode into ``out/<mode>/<name>.json``."""
    import extractor
    from extractor.api import extract_texts, read_file

    package = Path(extractor.__file__).resolve().parent
    if package.parent != root.resolve():
        raise SystemExit(f"extractor imported from {package}, not from {root}")
    os.chdir(root)
    docs = documents(root)
    for mode in modes:
        results = extract_texts((read_file(path) for _, path in docs), mode=mode)
        for (name, _), doc in zip(docs, results):
            target = out / mode / f"{name}.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(doc.to_json(), encoding="utf-8")
    return len(docs)


def _differences(a: str, b: str) -> list[tuple[str, str]]:
    """(JSON path, what differs) for every difference between two JSON texts."""
    found: list[tuple[str, str]] = []

    def walk(x, y, path):
        if type(x) is not type(y):
            found.append((path, f"{x!r} != {y!r}"))
        elif isinstance(x, dict):
            for key in dict.fromkeys([*x, *y]):
                walk(x.get(key, "<missing>"), y.get(key, "<missing>"), f"{path}.{key}")
        elif isinstance(x, list):
            if len(x) != len(y):
                found.append((path, f"{len(x)} items != {len(y)}"))
            for i, (u, v) in enumerate(zip(x, y)):
                walk(u, v, f"{path}[{i}]")
        elif x != y:
            found.append((path, f"{x!r} != {y!r}"))

    try:
        walk(json.loads(a), json.loads(b), "$")
    except json.JSONDecodeError:
        found.append(("$", "not JSON"))
    return found or [("$", "same JSON values, different bytes")]


def _key(path: str) -> str:
    """The last key of a JSON path ("$.directives[0].actor.source" -> "source")."""
    return path.rsplit(".", 1)[-1].split("[", 1)[0]


def compare(a: Path, b: Path, allow: frozenset = frozenset()) -> int:
    """Print every file that differs between two output folders; the number of them.
    Differences in the keys of ``allow`` (a provenance change) are counted, not failed."""
    files_a = {p.relative_to(a) for p in a.rglob("*.json")}
    files_b = {p.relative_to(b) for p in b.rglob("*.json")}
    bad, allowed = 0, Counter()
    for rel in sorted(files_a ^ files_b):
        print(f"only in {'A' if rel in files_a else 'B'}: {rel}")
        bad += 1
    for rel in sorted(files_a & files_b):
        text_a = (a / rel).read_text(encoding="utf-8")
        text_b = (b / rel).read_text(encoding="utf-8")
        if text_a == text_b:
            continue
        diffs = _differences(text_a, text_b)
        unexpected = [(p, d) for p, d in diffs if _key(p) not in allow]
        allowed.update(_key(p) for p, _ in diffs if _key(p) in allow)
        if unexpected:
            bad += 1
            print(f"differs: {rel}")
            for path, what in unexpected[:5]:
                print(f"    {path}: {what}")
    print(f"{len(files_a & files_b)} files compared, {bad} differ"
          + (f" (allowed changes: {dict(sorted(allowed.items()))})" if allow else ""))
    return bad


def write_at(commit: str, out: Path) -> None:
    """Run :func:`write` with the code of ``commit``, from a temporary worktree."""
    with tempfile.TemporaryDirectory(prefix="same-output-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree),
                        commit], check=True)  # fmt: skip
        try:
            env = dict(os.environ, PYTHONPATH=str(tree))
            subprocess.run([sys.executable, str(Path(__file__).resolve()), "write", str(out),
                            "--root", str(tree)], check=True, env=env)  # fmt: skip
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                           check=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_write = sub.add_parser("write", help="extract every document in every mode into OUT")
    p_write.add_argument("out", type=Path)
    p_write.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    p_write.add_argument("--mode", action="append", choices=MODES)
    p_compare = sub.add_parser("compare", help="compare two output folders")
    p_compare.add_argument("a", type=Path)
    p_compare.add_argument("b", type=Path)
    p_compare.add_argument("--allow", action="append", default=[], metavar="KEY",
                           help="a JSON key whose changes are expected (provenance)")
    p_check = sub.add_parser("check", help="this tree against a commit (or a folder)")
    group = p_check.add_mutually_exclusive_group(required=True)
    group.add_argument("--ref", help="commit to extract with, in a temporary worktree")
    group.add_argument("--ref-dir", type=Path, help="outputs written before (write/--ref-out)")
    p_check.add_argument("--ref-out", type=Path, help="keep the commit's outputs here")
    p_check.add_argument("--out", type=Path, help="keep this tree's outputs here")
    p_check.add_argument("--long", type=int, metavar="CHARS",
                         help="add one generated text of CHARS characters (bench/distinct.py)")
    p_check.add_argument("--allow", action="append", default=[], metavar="KEY",
                         help="a JSON key whose changes are expected (provenance)")
    args = parser.parse_args()

    if args.command == "write":
        n = write(args.out, args.root, tuple(args.mode or MODES))
        print(f"{n} documents x {len(args.mode or MODES)} modes written to {args.out}")
        return
    if args.command == "compare":
        sys.exit(1 if compare(args.a, args.b, frozenset(args.allow)) else 0)
    with tempfile.TemporaryDirectory(prefix="same-output-") as tmp:
        if args.long:
            sys.path.insert(0, str(ROOT / "bench"))
            from distinct import one_text

            # One path for every check: the path is in the output (source.path).
            long_text = Path(tempfile.gettempdir()) / f"same-output-long-{args.long}.txt"
            long_text.write_text(one_text(args.long), encoding="utf-8")
            os.environ[LONG_ENV] = str(long_text)
        mine = args.out or Path(tmp) / "mine"
        # This tree's outputs in a second process, beside the commit's (same day, same clock).
        this_tree = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "write",
                                      str(mine)])  # fmt: skip
        ref = args.ref_dir
        if ref is None:
            ref = args.ref_out or Path(tmp) / "ref"
            write_at(args.ref, ref.resolve())
        if this_tree.wait() != 0:
            sys.exit("extraction with this tree failed")
        sys.exit(1 if compare(ref, mine, frozenset(args.allow)) else 0)


if __name__ == "__main__":
    main()
