"""The HTTP API of the review server, through FastAPI's TestClient (SQLite in tmp_path)."""

from __future__ import annotations

import csv
import io

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from extractor.api import extract_text  # noqa: E402
from extractor.batch import CSV_HEADERS  # noqa: E402
from extractor.schema import Document  # noqa: E402
from extractor.web.app import create_app  # noqa: E402
from extractor.web.screenshots import FALLBACK_SAMPLE  # noqa: E402

# The screenshot script's sample, plus a reported fact that must not become a directive.
SAMPLE = FALLBACK_SAMPLE + "4. Năm 2020, tăng trưởng kinh tế đạt 2,9%.\n"
LIMIT = 100_000  # a small upload limit keeps the oversized cases cheap


@pytest.fixture(scope="module")
def expected() -> Document:
    """What the extractor itself returns for SAMPLE: the API must agree with it."""
    doc = extract_text(SAMPLE, with_text=True)
    assert len(doc.directives) >= 3, "the sample should yield at least 3 directives"
    return doc


@pytest.fixture()
def db(tmp_path):
    return tmp_path / "review.sqlite3"


@pytest.fixture()
def client(db):
    with TestClient(create_app(db, max_upload_bytes=LIMIT)) as c:
        yield c


def _extract(client, text=SAMPLE, **extra):
    r = client.post("/api/extract", json={"text": text, **extra})
    assert r.status_code in (200, 201), r.text
    return r.json()


def _review(client, doc_id, directive_id, action, fields=None, reviewer="Nguyễn Văn An"):
    body = {"action": action, "reviewer": reviewer}
    if fields is not None:
        body["fields"] = fields
    return client.post(f"/api/documents/{doc_id}/directives/{directive_id}/review", json=body)


def _plain(document: dict) -> dict:
    """The contract part of a response's document (review blocks set aside)."""
    directives = [{k: v for k, v in d.items() if k != "review"} for d in document["directives"]]
    return {**document, "directives": directives}


# -- extract ---------------------------------------------------------------------------


def test_extract_text_returns_the_contract_and_an_id(client, expected):
    r = client.post("/api/extract", json={"text": SAMPLE})
    assert r.status_code == 201
    body = r.json()
    assert len(body["id"]) == 16 and body["reopened"] is False
    doc = Document.model_validate(_plain(body["document"]))
    assert len(doc.directives) == len(expected.directives)
    assert [d.id for d in doc.directives] == [d.id for d in expected.directives]
    assert doc.text == expected.text
    for d in doc.directives:  # offsets refer to the normalized text
        assert doc.text[d.action.start : d.action.end] == d.action.text
    assert body["summary"]["pending"] == len(expected.directives)
    assert all(d["review"]["status"] == "pending" for d in body["document"]["directives"])


def test_extract_text_with_doc_date(client):
    body = _extract(client, text="Giao Bộ Tài chính rà soát các quy định trước ngày 30/6.",
                    doc_date="2021-03-20")  # fmt: skip
    dates = [(d.get("deadline") or {}).get("date") for d in body["document"]["directives"]]
    assert "2021-06-30" in dates


def test_extract_file_upload(client, expected):
    files = {"file": ("thong-bao.txt", SAMPLE.encode("utf-8"), "text/plain")}
    r = client.post("/api/extract", files=files, data={"doc_date": "2021-03-20"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["name"] == "thong-bao.txt"
    assert body["document"]["source"]["path"] == "thong-bao.txt"
    assert body["document"]["source"]["format"] == "txt"
    assert len(body["document"]["directives"]) == len(expected.directives)


def test_extract_docx_upload(client, tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    for line in SAMPLE.splitlines():
        d.add_paragraph(line)
    path = tmp_path / "ket-luan.docx"
    d.save(path)
    r = client.post("/api/extract", files={"file": ("ket-luan.docx", path.read_bytes())})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["document"]["source"]["format"] == "docx"
    assert body["document"]["directives"]


# -- review ----------------------------------------------------------------------------


def test_accept_correct_reject_and_the_reviewed_version(client):
    body = _extract(client)
    doc_id = body["id"]
    d0, d1, d2 = body["document"]["directives"][:3]

    assert _review(client, doc_id, d0["id"], "accept").status_code == 200
    r = _review(client, doc_id, d1["id"], "correct", {
        "actor": "Bộ Tài chính", "deadline_date": "2021-12-31", "modality": "prohibition",
    })  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["directive"]["actor"]["text"] == "Bộ Tài chính"
    assert _review(client, doc_id, d2["id"], "reject", reviewer="Trần Thị Bình").status_code == 200

    got = client.get(f"/api/documents/{doc_id}").json()
    by_id = {d["id"]: d for d in got["document"]["directives"]}
    assert by_id[d0["id"]]["review"]["status"] == "accepted"
    assert by_id[d0["id"]]["review"]["reviewer"] == "Nguyễn Văn An"
    assert by_id[d0["id"]]["review"]["reviewed_at"]
    corrected = by_id[d1["id"]]
    assert corrected["review"]["status"] == "accepted"
    assert corrected["review"]["corrected"] == ["actor", "deadline", "modality"]
    assert corrected["actor"]["text"] == "Bộ Tài chính"
    assert corrected["deadline"]["date"] == "2021-12-31"
    assert corrected["modality"] == "prohibition"
    assert corrected["review"]["original"]["actor"] == d1["actor"]
    assert corrected["review"]["original"]["deadline"] == d1["deadline"]
    assert corrected["review"]["original"]["modality"] == d1["modality"]
    # A name found in the text gets its real offsets.
    actor = corrected["actor"]
    assert got["document"]["text"][actor["start"] : actor["end"]] == "Bộ Tài chính"
    assert by_id[d2["id"]]["review"]["status"] == "rejected"
    assert by_id[d2["id"]]["review"]["reviewer"] == "Trần Thị Bình"
    assert got["summary"]["accepted"] == 2 and got["summary"]["rejected"] == 1

    # A second correction keeps the first original value; reset returns to pending.
    _review(client, doc_id, d1["id"], "correct", {"actor": "Bộ Công Thương"})
    again = client.get(f"/api/documents/{doc_id}").json()
    d1_now = next(d for d in again["document"]["directives"] if d["id"] == d1["id"])
    assert d1_now["review"]["original"]["actor"] == d1["actor"]
    _review(client, doc_id, d2["id"], "reset")
    events = client.get(f"/api/documents/{doc_id}/events").json()
    assert [e["kind"] for e in events] == ["extracted", "accept", "correct", "reject", "correct",
                                           "reset"]  # fmt: skip


def test_correct_with_a_typed_actor_not_in_the_text(client):
    body = _extract(client)
    d0 = body["document"]["directives"][0]
    r = _review(client, body["id"], d0["id"], "correct", {"actor": "Bộ Nội vụ"})
    assert r.status_code == 200
    actor = r.json()["directive"]["actor"]
    assert actor["text"] == "Bộ Nội vụ" and actor["start"] == actor["end"]
    assert actor["source"].startswith("review.typed")


def test_add_a_missed_directive(client):
    body = _extract(client)
    doc_id, text = body["id"], body["document"]["text"]
    start = text.index("tăng trưởng kinh tế")
    end = start + len("tăng trưởng kinh tế")
    r = client.post(f"/api/documents/{doc_id}/directives", json={
        "start": start, "end": end, "reviewer": "Nguyễn Văn An", "actor": "Bộ Tài chính",
        "deadline_date": "2021-09-30", "modality": "obligation",
    })  # fmt: skip
    assert r.status_code == 201, r.text
    added = r.json()["directive"]
    assert added["action"] == {"text": "tăng trưởng kinh tế", "start": start, "end": end,
                               "source": "review.added", "origin": None}  # fmt: skip
    assert added["evidence"]["text"] == "Năm 2020, tăng trưởng kinh tế đạt 2,9%."
    assert added["actor"]["text"] == "Bộ Tài chính"
    assert added["deadline"]["date"] == "2021-09-30"
    assert added["review"] == {"status": "accepted", "reviewer": "Nguyễn Văn An",
                               "reviewed_at": added["review"]["reviewed_at"], "corrected": [],
                               "original": {}, "added": True}  # fmt: skip
    got = client.get(f"/api/documents/{doc_id}").json()
    assert got["summary"]["added"] == 1
    assert len(got["document"]["directives"]) == len(body["document"]["directives"]) + 1
    # The same span twice, and a span outside the text, are refused.
    again = client.post(f"/api/documents/{doc_id}/directives",
                        json={"start": start, "end": end, "reviewer": "An"})  # fmt: skip
    assert again.status_code == 409
    out = client.post(f"/api/documents/{doc_id}/directives",
                      json={"start": 5, "end": len(text) + 10, "reviewer": "An"})  # fmt: skip
    assert out.status_code == 422 and "outside the text" in out.json()["detail"]
    # An added directive can be reviewed like any other.
    assert _review(client, doc_id, added["id"], "reject").status_code == 200


# -- export ----------------------------------------------------------------------------


def _reviewed_document(client):
    body = _extract(client)
    doc_id = body["id"]
    d0, d1, d2 = body["document"]["directives"][:3]
    _review(client, doc_id, d0["id"], "accept")
    _review(client, doc_id, d1["id"], "correct", {"actor": "Bộ Nội vụ", "modality": "permission"})
    _review(client, doc_id, d2["id"], "reject")
    text = body["document"]["text"]
    start = text.index("tăng trưởng kinh tế")
    client.post(f"/api/documents/{doc_id}/directives",
                json={"start": start, "end": start + 19, "reviewer": "An"})  # fmt: skip
    return doc_id, (d0, d1, d2)


def test_export_json_holds_accepted_directives_with_review_blocks(client):
    doc_id, (d0, d1, d2) = _reviewed_document(client)
    r = client.get(f"/api/documents/{doc_id}/export.json")
    assert r.status_code == 200
    assert "attachment" in r.headers["content-disposition"]
    exported = r.json()
    ids = [d["id"] for d in exported["directives"]]
    assert d0["id"] in ids and d1["id"] in ids and d2["id"] not in ids
    assert len(ids) == 3  # accepted, corrected, added; pending and rejected left out
    for d in exported["directives"]:
        assert d["review"]["status"] == "accepted"
        assert d["review"]["reviewer"] and d["review"]["reviewed_at"]
    corrected = next(d for d in exported["directives"] if d["id"] == d1["id"])
    assert corrected["actor"]["text"] == "Bộ Nội vụ"
    assert corrected["modality"] == "permission"
    assert corrected["review"]["original"] == {"actor": d1["actor"], "modality": d1["modality"]}
    assert sum(d["review"]["added"] for d in exported["directives"]) == 1
    # Without the review blocks it is the contract; the text only when asked for.
    Document.model_validate(_plain(exported))
    assert exported["text"] is None
    with_text = client.get(f"/api/documents/{doc_id}/export.json?text=true").json()
    assert with_text["text"] and with_text["text"].startswith("THÔNG BÁO")


def test_export_csv_has_bom_and_vietnamese_headers(client):
    doc_id, (_, d1, _) = _reviewed_document(client)
    r = client.get(f"/api/documents/{doc_id}/export.csv")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == CSV_HEADERS
    assert rows[0][:3] == ["Văn bản", "Ngày", "Cơ quan chủ trì"]
    assert len(rows) == 1 + 3
    assert any(row[2] == "Bộ Nội vụ" and row[7] == "Cho phép" for row in rows[1:])


# -- bad input -------------------------------------------------------------------------


def _bad(r, status, *words):
    assert r.status_code == status, r.text
    detail = r.json()["detail"]
    assert isinstance(detail, str) and "\n" not in detail and "Traceback" not in detail
    for w in words:
        assert w in detail
    return detail


def test_bad_extract_requests(client):
    _bad(client.post("/api/extract", content=b"", headers={"content-type": "application/json"}),
         422, "empty")  # fmt: skip
    _bad(client.post("/api/extract", content=b"{not json",
                     headers={"content-type": "application/json"}), 422, "JSON")  # fmt: skip
    _bad(client.post("/api/extract", json={}), 422, "text")
    _bad(client.post("/api/extract", json={"text": 5}), 422, "text")
    _bad(client.post("/api/extract", json={"text": "   \n "}), 422, "empty")
    _bad(client.post("/api/extract", json={"text": SAMPLE, "lang": "vi"}), 422, "lang")
    _bad(client.post("/api/extract", json={"text": SAMPLE, "doc_date": "30/6/2021"}), 422,
         "doc_date")  # fmt: skip
    _bad(client.post("/api/extract", content=SAMPLE.encode(),
                     headers={"content-type": "text/plain"}), 415, "content type")  # fmt: skip
    _bad(client.post("/api/extract"), 415)
    _bad(client.post("/api/extract", data={"doc_date": "2021-01-01"},
                     files={"other": ("a.txt", b"x")}), 422, "file")  # fmt: skip


def test_bad_files_get_the_readers_message(client):
    binary = bytes(range(256)) * 8
    detail = _bad(client.post("/api/extract", files={"file": ("anh.bin", binary)}), 422, "anh.bin")
    assert "binary" in detail
    r = client.post("/api/extract", files={"file": ("rong.txt", b"")})
    _bad(r, 422, "rong.txt", "empty")
    assert r.json()["kind"] == "empty"
    _bad(client.post("/api/extract", files={"file": ("hong.docx", b"PK\x03\x04 not a zip")}),
         422, "hong.docx")  # fmt: skip


def test_oversized_uploads_are_refused_with_413(db):
    limit = 5_000  # small, so the just-under case is quick to extract
    big = ("Giao Bộ Tài chính rà soát. " * 400).encode("utf-8")
    assert len(big) > limit
    with TestClient(create_app(db, max_upload_bytes=limit)) as client:
        _bad(client.post("/api/extract", files={"file": ("lon.txt", big)}), 413, "too large")
        _bad(client.post("/api/extract", json={"text": big.decode()}), 413, "too large")

        def chunks():  # no Content-Length: the body is counted as it arrives
            for _ in range(40):
                yield b"x" * 10_000

        _bad(client.post("/api/extract", content=chunks(),
                         headers={"content-type": "application/json"}), 413,
             "too large")  # fmt: skip
        # Just under the limit is read and extracted.
        under = big.decode()[: limit // 2].encode()  # whole characters, under the limit
        assert len(under) < limit
        r = client.post("/api/extract", files={"file": ("vua.txt", under)})
        assert r.status_code == 201, r.text
        assert client.get("/api/health").json()["max_upload_bytes"] == limit


def test_unknown_ids_are_404(client):
    body = _extract(client)
    d0 = body["document"]["directives"][0]
    _bad(client.get("/api/documents/0000000000000000"), 404, "0000000000000000")
    _bad(client.get("/api/documents/nope/export.json"), 404)
    _bad(client.get("/api/documents/nope/export.csv"), 404)
    _bad(_review(client, "nope", d0["id"], "accept"), 404)
    _bad(_review(client, body["id"], "d-0000", "accept"), 404, "d-0000")
    _bad(client.post("/api/documents/nope/directives",
                     json={"start": 0, "end": 4, "reviewer": "An"}), 404)  # fmt: skip


def test_bad_review_requests_are_422(client):
    body = _extract(client)
    doc_id, d0 = body["id"], body["document"]["directives"][0]
    _bad(_review(client, doc_id, d0["id"], "approve"), 422, "action")
    _bad(_review(client, doc_id, d0["id"], "accept", reviewer=""), 422, "reviewer")
    _bad(_review(client, doc_id, d0["id"], "correct"), 422, "correct")
    _bad(_review(client, doc_id, d0["id"], "correct", {"modality": "maybe"}), 422, "modality")
    _bad(_review(client, doc_id, d0["id"], "correct", {"deadline_date": "mai"}), 422,
         "deadline_date")  # fmt: skip
    _bad(_review(client, doc_id, d0["id"], "correct", {"topic": "x"}), 422, "topic")
    _bad(_review(client, doc_id, d0["id"], "correct", {"action": ""}), 422, "action")
    r = client.post(f"/api/documents/{doc_id}/directives/{d0['id']}/review", content=b"[",
                    headers={"content-type": "application/json"})  # fmt: skip
    assert r.status_code == 422
    # Nothing was recorded by the refused requests.
    got = client.get(f"/api/documents/{doc_id}").json()
    assert got["summary"]["pending"] == len(got["document"]["directives"])


# -- persistence -----------------------------------------------------------------------


def test_review_state_survives_a_new_app_on_the_same_db(db):
    with TestClient(create_app(db, max_upload_bytes=LIMIT)) as first:
        body = _extract(first)
        d0, d1 = body["document"]["directives"][:2]
        _review(first, body["id"], d0["id"], "reject")
        _review(first, body["id"], d1["id"], "correct", {"actor": "Bộ Nội vụ"})
        before = first.get(f"/api/documents/{body['id']}").json()
    with TestClient(create_app(db, max_upload_bytes=LIMIT)) as second:
        after = second.get(f"/api/documents/{body['id']}").json()
        assert after == before
        listed = second.get("/api/documents").json()
        assert [d["id"] for d in listed] == [body["id"]]


def test_reupload_of_the_same_bytes_reopens_the_review(client):
    files = {"file": ("thong-bao.txt", SAMPLE.encode("utf-8"))}
    first = client.post("/api/extract", files=files)
    assert first.status_code == 201
    body = first.json()
    d0 = body["document"]["directives"][0]
    _review(client, body["id"], d0["id"], "accept")
    again = client.post("/api/extract", files={"file": ("ban-sao.txt", SAMPLE.encode("utf-8"))})
    assert again.status_code == 200
    reopened = again.json()
    assert reopened["id"] == body["id"] and reopened["reopened"] is True
    assert reopened["document"]["directives"][0]["review"]["status"] == "accepted"
    # The same text pasted is the same bytes, hence the same document.
    pasted = client.post("/api/extract", json={"text": SAMPLE})
    assert pasted.status_code == 200 and pasted.json()["id"] == body["id"]


# -- service ---------------------------------------------------------------------------


def test_health_openapi_and_offline_page(client):
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["pipeline_loaded"] is True
    spec = client.get("/openapi.json").json()
    for path in ("/api/extract", "/api/documents/{doc_id}",
                 "/api/documents/{doc_id}/directives/{directive_id}/review",
                 "/api/documents/{doc_id}/directives", "/api/documents/{doc_id}/export.json",
                 "/api/documents/{doc_id}/export.csv", "/api/health"):  # fmt: skip
        assert path in spec["paths"]
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN
    page = client.get("/")
    assert page.status_code == 200 and "Duyệt chỉ đạo" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/documents/abc").status_code == 200
    for asset in [page.text, client.get("/static/review.js").text,
                  client.get("/static/review.css").text]:  # fmt: skip
        assert "http://" not in asset and "https://" not in asset and "//cdn" not in asset
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/secret.txt").status_code == 404


def test_serve_runs_uvicorn_on_the_app(monkeypatch, tmp_path):
    import uvicorn

    from extractor.web import server

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    server.serve(host="127.0.0.1", port=8123, db_path=tmp_path / "db" / "r.sqlite3")
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert seen["app"].state.store.path.endswith("r.sqlite3")
    assert (tmp_path / "db" / "r.sqlite3").exists()
