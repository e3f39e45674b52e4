"""Load test of the review server, on loopback only: clerks uploading and reviewing at once.

Starts ``extractor serve`` on 127.0.0.1 (a free port, a fresh SQLite file), then runs, for
a bounded number of requests and seconds:

- ``--clerks`` clerks, each uploading its own distinct corpus documents (JSON text) and
  reviewing every directive of each (accept, or correct the actor);
- a prober asking ``/api/health`` every 0.25 s;
- one upload of a zip bomb (a .docx that inflates to 300 MB) in the middle of the run.

It reports p50/p95 latency per kind of request, errors, lost reviews (a decision answered
200 that the stored document does not show) and the slowest health answer, and exits 1
if any review was lost or health ever took a second or more.

    .venv/bin/python bench/load.py --clerks 6 --docs 4
"""

from __future__ import annotations

import argparse
import io
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bomb() -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w") as f:
            f.write(f'<w:document xmlns:w="{w}"><w:body>'.encode())
            chunk = b"<w:p><w:r><w:t>Giao So Tai chinh.</w:t></w:r></w:p>" * 4000
            for _ in range(300 * 2**20 // len(chunk)):
                f.write(chunk)
            f.write(b"</w:body></w:document>")
    return buf.getvalue()


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.decisions: dict[tuple[str, str], str] = {}  # (doc, directive) -> status sent

    def record(self, kind: str, seconds: float, ok: bool) -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            if not ok:
                self.errors[kind] += 1


def _timed(stats: Stats, kind: str, call, *args, ok=lambda r: r.status_code < 400, **kwargs):
    started = time.perf_counter()
    try:
        response = call(*args, **kwargs)
    except httpx.HTTPError:
        stats.record(kind, time.perf_counter() - started, False)
        return None
    stats.record(kind, time.perf_counter() - started, ok(response))
    return response


def clerk(base: str, texts: list[str], name: str, stats: Stats, stop: float) -> None:
    with httpx.Client(base_url=base, timeout=600) as c:
        for text in texts:
            if time.monotonic() > stop:
                return
            r = _timed(stats, "upload", c.post, "/api/extract", json={"text": text})
            if r is None or r.status_code >= 400:
                continue
            body = r.json()  # the contract; the review record's id is in a header
            doc_id = r.headers["x-document-id"]
            for i, d in enumerate(body["directives"]):
                if time.monotonic() > stop:
                    return
                if i % 3 == 2:
                    payload = {"action": "correct", "reviewer": name,
                               "fields": {"actor": f"Sở thử tải {i}"}}  # fmt: skip
                else:
                    payload = {"action": "accept", "reviewer": name}
                url = f"/api/documents/{doc_id}/directives/{d['id']}/review"
                r = _timed(stats, "review", c.post, url, json=payload)
                if r is not None and r.status_code == 200:
                    with stats.lock:
                        stats.decisions[(doc_id, d["id"])] = "accepted"


def prober(base: str, stats: Stats, done: threading.Event) -> None:
    with httpx.Client(base_url=base, timeout=30) as c:
        while not done.is_set():
            _timed(stats, "health", c.get, "/api/health")
            time.sleep(0.25)


def bomber(base: str, stats: Stats, delay: float) -> None:
    time.sleep(delay)
    data = _bomb()
    with httpx.Client(base_url=base, timeout=120) as c:
        _timed(stats, "bomb", c.post, "/api/extract", files={"file": ("bomb.docx", data)},
               ok=lambda r: r.status_code == 413)


def lost_reviews(base: str, stats: Stats) -> int:
    by_doc: dict[str, set[str]] = defaultdict(set)
    for doc_id, directive_id in stats.decisions:
        by_doc[doc_id].add(directive_id)
    lost = 0
    with httpx.Client(base_url=base, timeout=60) as c:
        for doc_id, ids in by_doc.items():
            directives = c.get(f"/api/documents/{doc_id}").json()["document"]["directives"]
            status = {d["id"]: d["review"]["status"] for d in directives}
            lost += sum(status.get(i) != "accepted" for i in ids)
    return lost


def _texts(clerks: int, per_clerk: int) -> list[list[str]]:
    from extractor.corpus import iter_split

    docs = [d.raw for d in iter_split("train")]
    need = clerks * per_clerk
    if len(docs) < need:
        raise SystemExit(f"only {len(docs)} distinct training texts for {need} uploads")
    return [docs[i * per_clerk:(i + 1) * per_clerk] for i in range(clerks)]


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clerks", type=int, default=6)
    parser.add_argument("--docs", type=int, default=4, help="distinct documents per clerk")
    parser.add_argument("--workers", type=int, default=2, help="server extraction processes")
    parser.add_argument("--seconds", type=float, default=600, help="stop starting requests after")
    args = parser.parse_args()
    texts = _texts(args.clerks, args.docs)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen([sys.executable, "-m", "extractor", "serve", "--port",
                                   str(port), "--db", str(Path(tmp) / "load.sqlite3"),
                                   "--workers", str(args.workers)], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/api/health", timeout=2).json()["pipeline_loaded"]:
                        break
                except (httpx.HTTPError, ValueError):
                    pass
                time.sleep(0.5)
            else:
                raise SystemExit("the server did not start")
            stats = Stats()
            done = threading.Event()
            started = time.monotonic()
            stop = started + args.seconds
            threads = [threading.Thread(target=clerk, args=(base, t, f"clerk {i}", stats, stop))
                       for i, t in enumerate(texts)]  # fmt: skip
            probe = threading.Thread(target=prober, args=(base, stats, done))
            bomb = threading.Thread(target=bomber, args=(base, stats, 5.0))
            for t in (*threads, probe, bomb):
                t.start()
            for t in (*threads, bomb):
                t.join()
            done.set()
            probe.join()
            elapsed = time.monotonic() - started
            lost = lost_reviews(base, stats)
        finally:
            server.terminate()
            server.wait(30)
    print(f"{args.clerks} clerks x {args.docs} distinct documents, {args.workers} workers, "
          f"{elapsed:.1f} s")  # fmt: skip
    print("| request | n | p50 s | p95 s | max s | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind in ("upload", "review", "health", "bomb"):
        values = stats.latency.get(kind, [])
        if values:
            print(f"| {kind} | {len(values)} | {_pct(values, 50):.3f} | {_pct(values, 95):.3f} | "
                  f"{max(values):.3f} | {stats.errors.get(kind, 0)} |")  # fmt: skip
    print(f"reviews answered 200: {len(stats.decisions)}; lost: {lost}")
    slowest = max(stats.latency["health"])
    print(json.dumps({"lost_reviews": lost, "slowest_health_s": round(slowest, 3)}))
    return 1 if lost or slowest >= 1.0 else 0


if __name__ == "__main__":
    sys.exit(main())
