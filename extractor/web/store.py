"""Review state in SQLite (standard library ``sqlite3``).

A document is keyed by the sha256 of its raw bytes, so uploading the same file again
reopens its review. The extracted JSON is stored as produced; the clerk's decisions are
stored beside it (one row per directive) and applied when a document is read back, so
the extractor's original output is never overwritten. A document date the clerk sets
stores the document re-read on that date beside the original (``redated_json``).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional, Union

STATUSES = ("pending", "accepted", "rejected")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    name TEXT,
    doc_date TEXT,
    created_at TEXT NOT NULL,
    document_json TEXT NOT NULL,
    redated_json TEXT
);
CREATE TABLE IF NOT EXISTS reviews (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    directive_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
    corrected_json TEXT NOT NULL DEFAULT '{}',
    original_json TEXT NOT NULL DEFAULT '{}',
    reviewer TEXT,
    reviewed_at TEXT,
    version INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (doc_id, directive_id)
);
CREATE TABLE IF NOT EXISTS added_directives (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    directive_id TEXT NOT NULL,
    directive_json TEXT NOT NULL,
    reviewer TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (doc_id, directive_id)
);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL,
    directive_id TEXT,
    kind TEXT NOT NULL,
    payload_json TEXT NOT NULL,
    reviewer TEXT,
    at TEXT NOT NULL
);
"""


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def document_id(sha256: str) -> str:
    """The short id used in URLs: the first 16 hex digits of the sha256."""
    return sha256[:16]


@dataclass
class Review:
    """The clerk's decision on one directive."""

    status: str = "pending"
    corrected: dict = field(default_factory=dict)  # field -> new value (contract JSON)
    original: dict = field(default_factory=dict)  # field -> value before the first correction
    reviewer: Optional[str] = None
    reviewed_at: Optional[str] = None
    version: int = 0  # decisions taken so far; a stale client's update is refused


class StaleReview(Exception):
    """A review update made against an older version of the directive's review."""

    def __init__(self, current: Review):
        self.current = current
        who = f" by {current.reviewer}" if current.reviewer else ""
        when = f" at {current.reviewed_at}" if current.reviewed_at else ""
        super().__init__(f"the directive was reviewed again{who}{when} (version "
                         f"{current.version}): reload it and decide again")  # fmt: skip


@dataclass
class StoredDocument:
    id: str
    sha256: str
    name: Optional[str]
    doc_date: Optional[str]
    created_at: str
    document: dict  # the extractor's output, re-read on the clerk's date if one was set
    reviews: dict[str, Review]
    added: list[dict]  # directives the clerk added, contract JSON
    extracted: Optional[dict] = None  # the extractor's output as produced


class Store:
    """Documents, their extraction and their review, in one SQLite file."""

    def __init__(self, path: Union[str, Path]):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()  # one writer at a time inside this process
        with self._connect() as con:
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(_SCHEMA)
            columns = {r["name"] for r in con.execute("PRAGMA table_info(reviews)")}
            if "version" not in columns:  # a store written before reviews had versions
                con.execute("ALTER TABLE reviews ADD COLUMN version INTEGER NOT NULL DEFAULT 0")
            columns = {r["name"] for r in con.execute("PRAGMA table_info(documents)")}
            if "redated_json" not in columns:  # a store written before dates could be set
                con.execute("ALTER TABLE documents ADD COLUMN redated_json TEXT")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # A connection per operation: cheap for SQLite, and safe across server threads.
        con = sqlite3.connect(self.path, timeout=30)
        con.row_factory = sqlite3.Row
        con.execute("PRAGMA foreign_keys=ON")
        try:
            with con:  # commits, or rolls back on error
                yield con
        finally:
            con.close()

    # -- documents ------------------------------------------------------------------

    def find_sha256(self, sha256: str) -> Optional[str]:
        """The id of the document with these raw bytes, if stored."""
        with self._connect() as con:
            row = con.execute("SELECT id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        return row["id"] if row else None

    def add_document(
        self, document: dict, *, name: Optional[str], doc_date: Optional[str]
    ) -> tuple[str, bool]:
        """Store an extracted document; returns (id, created). An existing one is kept."""
        sha = document["source"]["sha256"]
        doc_id = document_id(sha)
        with self._lock, self._connect() as con:
            cur = con.execute(
                "INSERT OR IGNORE INTO documents (id, sha256, name, doc_date, created_at,"
                " document_json) VALUES (?, ?, ?, ?, ?, ?)",
                (doc_id, sha, name, doc_date, now_iso(), json.dumps(document, ensure_ascii=False)),
            )
            created = cur.rowcount == 1
            if created:
                self._event(con, doc_id, None, "extracted", {"name": name}, None)
        return doc_id, created

    def get(self, doc_id: str) -> Optional[StoredDocument]:
        """A document with its reviews and added directives, or None."""
        with self._connect() as con:
            return self._read(con, doc_id)

    @staticmethod
    def _read(con: sqlite3.Connection, doc_id: str) -> Optional[StoredDocument]:
        row = con.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        reviews = {
            r["directive_id"]: Review(
                status=r["status"],
                corrected=json.loads(r["corrected_json"]),
                original=json.loads(r["original_json"]),
                reviewer=r["reviewer"],
                reviewed_at=r["reviewed_at"],
                version=r["version"],
            )
            for r in con.execute("SELECT * FROM reviews WHERE doc_id = ?", (doc_id,))
        }
        added = [
            json.loads(r["directive_json"])
            for r in con.execute(
                "SELECT directive_json FROM added_directives WHERE doc_id = ?"
                " ORDER BY created_at, directive_id",
                (doc_id,),
            )
        ]
        return StoredDocument(
            id=row["id"], sha256=row["sha256"], name=row["name"], doc_date=row["doc_date"],
            created_at=row["created_at"],
            document=json.loads(row["redated_json"] or row["document_json"]),
            reviews=reviews, added=added, extracted=json.loads(row["document_json"]),
        )  # fmt: skip

    def set_doc_date(self, doc_id: str, doc_date: str, redate: Callable[[dict], dict],
                     reviewer: Optional[str]) -> None:  # fmt: skip
        """Set the document date; ``redate`` re-reads the extracted document on it.

        Reviews are kept: a deadline the clerk corrected stays as corrected.
        """
        with self._lock, self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            row = con.execute("SELECT doc_date, document_json FROM documents WHERE id = ?",
                              (doc_id,)).fetchone()  # fmt: skip
            if row is None:
                raise KeyError(doc_id)
            redated = redate(json.loads(row["document_json"]))
            con.execute("UPDATE documents SET doc_date = ?, redated_json = ? WHERE id = ?",
                        (doc_date, json.dumps(redated, ensure_ascii=False), doc_id))  # fmt: skip
            self._event(con, doc_id, None, "doc_date",
                        {"from": row["doc_date"], "to": doc_date}, reviewer)  # fmt: skip

    def list_documents(self, limit: int = 50) -> list[dict]:
        """The most recent documents, newest first, with review counts."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT d.id, d.name, d.created_at,"
                " json_array_length(json_extract(d.document_json, '$.directives')) AS extracted,"
                " (SELECT COUNT(*) FROM added_directives a WHERE a.doc_id = d.id) AS added,"
                " (SELECT COUNT(*) FROM reviews r WHERE r.doc_id = d.id"
                "   AND r.status != 'pending') AS reviewed"
                " FROM documents d ORDER BY d.created_at DESC, d.id LIMIT ?",
                (limit,),
            ).fetchall()
        return [dict(r) for r in rows]

    def count(self) -> int:
        with self._connect() as con:
            return con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    # -- review ---------------------------------------------------------------------

    def review(
        self,
        doc_id: str,
        directive_id: str,
        decide: Callable[[StoredDocument], Review],
        *,
        kind: str,
        expected_version: Optional[int] = None,
    ) -> Review:
        """Apply one decision in one transaction over the current state.

        ``decide`` computes the new review from the document as it is now (so two clerks
        correcting different fields both keep theirs); with ``expected_version``, a review
        that moved on since the client read it raises :class:`StaleReview` instead.
        """
        with self._lock, self._connect() as con:
            con.execute("BEGIN IMMEDIATE")  # other processes wait: read and write as one
            stored = self._read(con, doc_id)
            if stored is None:
                raise KeyError(doc_id)
            current = stored.reviews.get(directive_id, Review())
            if expected_version is not None and expected_version != current.version:
                raise StaleReview(current)
            review = decide(stored)
            review.version = current.version + 1
            self._write_review(con, doc_id, directive_id, review, kind)
        return review

    def save_review(self, doc_id: str, directive_id: str, review: Review, *, kind: str) -> None:
        """Write the decision on one directive (replacing the previous one) and log it."""
        self.review(doc_id, directive_id, lambda _: review, kind=kind)

    def _write_review(self, con, doc_id: str, directive_id: str, review: Review,
                      kind: str) -> None:  # fmt: skip
        if review.status not in STATUSES:
            raise ValueError(f"unknown status {review.status!r}")
        con.execute(
            "INSERT OR REPLACE INTO reviews (doc_id, directive_id, status, corrected_json,"
            " original_json, reviewer, reviewed_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_id, directive_id, review.status,
             json.dumps(review.corrected, ensure_ascii=False),
             json.dumps(review.original, ensure_ascii=False),
             review.reviewer, review.reviewed_at, review.version),
        )  # fmt: skip
        payload = {"status": review.status, "corrected": review.corrected,
                   "version": review.version}  # fmt: skip
        self._event(con, doc_id, directive_id, kind, payload, review.reviewer)

    def add_directive(self, doc_id: str, directive: dict, review: Review) -> None:
        """Store a directive the clerk added, with its (accepted) review."""
        with self._lock, self._connect() as con:
            con.execute(
                "INSERT INTO added_directives (doc_id, directive_id, directive_json, reviewer,"
                " created_at) VALUES (?, ?, ?, ?, ?)",
                (doc_id, directive["id"], json.dumps(directive, ensure_ascii=False),
                 review.reviewer, review.reviewed_at or now_iso()),
            )  # fmt: skip
            con.execute(
                "INSERT OR REPLACE INTO reviews (doc_id, directive_id, status, reviewer,"
                " reviewed_at, version) VALUES (?, ?, ?, ?, ?, 1)",
                (doc_id, directive["id"], review.status, review.reviewer, review.reviewed_at),
            )
            self._event(con, doc_id, directive["id"], "added", directive, review.reviewer)

    def events(self, doc_id: str) -> list[dict]:
        """The audit trail of a document, oldest first."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT directive_id, kind, payload_json, reviewer, at FROM events"
                " WHERE doc_id = ? ORDER BY seq",
                (doc_id,),
            ).fetchall()
        return [
            {"directive_id": r["directive_id"], "kind": r["kind"], "reviewer": r["reviewer"],
             "at": r["at"], "payload": json.loads(r["payload_json"])}
            for r in rows
        ]  # fmt: skip

    @staticmethod
    def _event(con, doc_id, directive_id, kind, payload, reviewer) -> None:
        con.execute(
            "INSERT INTO events (doc_id, directive_id, kind, payload_json, reviewer, at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (doc_id, directive_id, kind, json.dumps(payload, ensure_ascii=False), reviewer,
             now_iso()),
        )  # fmt: skip
