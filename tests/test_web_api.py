"""The HTTP API of the review server, through FastAPI's TestClient (SQLite in tmp_path)."""

from __future__ import annotations

import csv
import io
import json

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
jsonschema = pytest.importorskip("jsonschema")

from fastapi.testclient import TestClient  # noqa: E402

from extractor.api import extract_text  # noqa: E402
from extractor.batch import CSV_HEADERS  # noqa: E402
from extractor.reviewed import ReviewedDocument  # noqa: E402
from extractor.schema import Document  # noqa: E402
from extractor.web.app import create_app  # noqa: E402
from extractor.web.screenshots import FALLBACK_SAMPLE  # noqa: E402

# The screenshot script's sample, plus a reported fact that must not become a directive.
SAMPLE = FALLBACK_SAMPLE + "4. Năm 2020, tăng trưởng kinh tế đạt 2,9%.\n"
LIMIT = 100_000  # a small upload limit keeps the oversized cases cheap
BASE = "http://127.0.0.1"  # the server answers its own names only (DNS rebinding)


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
    with TestClient(create_app(db, max_upload_bytes=LIMIT), base_url=BASE) as c:
        yield c


def _extract(client, text=SAMPLE, **extra):
    """Extract through the API; returns the review view of the stored document."""
    r = client.post("/api/extract", json={"text": text, **extra})
    assert r.status_code in (200, 201), r.text
    return client.get(f"/api/documents/{r.headers['x-document-id']}").json()


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


def test_extract_returns_the_contract_itself(client, expected):
    r = client.post("/api/extract", json={"text": SAMPLE})
    assert r.status_code == 201
    # The same JSON as `extractor extract --with-text`, nothing wrapped around it.
    contract = r.json()
    Document.model_validate(contract)
    want = expected.model_dump(mode="json")
    assert contract["source"]["sha256"] == want["source"]["sha256"]
    assert {**contract, "source": None} == {**want, "source": None}
    doc_id = r.headers["x-document-id"]
    assert len(doc_id) == 16 and r.headers["x-reopened"] == "false"
    assert r.headers["location"] == f"/api/documents/{doc_id}"
    body = client.get(r.headers["location"]).json()
    assert body["id"] == doc_id
    assert body["summary"]["pending"] == len(expected.directives)
    assert all(d["review"]["status"] == "pending" for d in body["document"]["directives"])
    again = client.post("/api/extract", json={"text": SAMPLE})
    assert again.status_code == 200 and again.headers["x-reopened"] == "true"
    assert again.json() == r.json()


def test_extract_text_with_doc_date(client):
    body = _extract(client, text="Giao Bộ Tài chính rà soát các quy định trước ngày 30/6.",
                    doc_date="2021-03-20")  # fmt: skip
    dates = [(d.get("deadline") or {}).get("date") for d in body["document"]["directives"]]
    assert "2021-06-30" in dates


def test_extract_file_upload(client, expected):
    files = {"file": ("thong-bao.txt", SAMPLE.encode("utf-8"), "text/plain")}
    r = client.post("/api/extract", files=files, data={"doc_date": "2021-03-20"})
    assert r.status_code == 201, r.text
    contract = r.json()
    assert contract["source"]["path"] == "thong-bao.txt"
    assert contract["source"]["format"] == "txt"
    assert len(contract["directives"]) == len(expected.directives)
    body = client.get(f"/api/documents/{r.headers['x-document-id']}").json()
    assert body["name"] == "thong-bao.txt"


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
    assert body["source"]["format"] == "docx"
    assert body["directives"]


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
    # The name is in the text, but not in this directive's sentence: typed, no offsets.
    assert corrected["actor"]["start"] is None and corrected["actor"]["source"] == "review"
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


# (typed value, where it is in the text) -> the offsets it is stored with
TYPED = [
    ("Bộ Nội vụ", "nowhere: stored as typed, no offsets"),
    ("Bộ Kế hoạch và Đầu tư", "in the evidence of the first directive: grounded there"),
    ("Bộ Công Thương", "in the text, but another sentence: another mention, not grounded"),
]


@pytest.mark.parametrize("typed, where", TYPED)
def test_a_typed_correction_has_honest_offsets(client, typed, where):
    body = _extract(client)
    text = body["document"]["text"]
    d0 = body["document"]["directives"][0]
    r = _review(client, body["id"], d0["id"], "correct", {"actor": typed})
    assert r.status_code == 200, r.text
    actor = r.json()["directive"]["actor"]
    assert actor["text"] == typed and actor["source"] == "review"
    evidence = d0["evidence"]
    at = text.find(typed, evidence["start"], evidence["end"])
    if at < 0:
        assert actor["start"] is None and actor["end"] is None
    else:
        assert (actor["start"], actor["end"]) == (at, at + len(typed))
        assert text[actor["start"] : actor["end"]] == typed


def test_a_typed_actor_on_an_added_directive_is_not_pinned_elsewhere(client):
    body = _extract(client)
    text = body["document"]["text"]
    start = text.index("tăng trưởng kinh tế")
    r = client.post(f"/api/documents/{body['id']}/directives", json={
        "start": start, "end": start + 19, "reviewer": "An", "actor": "Bộ Tài chính"})
    actor = r.json()["directive"]["actor"]
    # "Bộ Tài chính" is in item 1, not in this sentence.
    assert actor["text"] == "Bộ Tài chính" and actor["start"] is None
    assert actor["canonical"]["name"] == "Bộ Tài chính"


def test_every_field_can_be_corrected(client):
    body = _extract(client)
    d0 = body["document"]["directives"][0]
    fields = {"issuer": "Phó Thủ tướng", "coactors": ["Bộ Nội vụ", "Bộ Tư pháp"],
              "topic": "thuế", "purpose": "minh bạch", "report_to": "Chính phủ",
              "sector": "y_te"}  # fmt: skip
    r = _review(client, body["id"], d0["id"], "correct", fields)
    assert r.status_code == 200, r.text
    d = r.json()["directive"]
    assert d["issuer"]["text"] == "Phó Thủ tướng"
    assert [c["text"] for c in d["coactors"]] == ["Bộ Nội vụ", "Bộ Tư pháp"]
    assert d["topic"]["text"] == "thuế" and d["purpose"]["text"] == "minh bạch"
    assert d["report_to"]["text"] == "Chính phủ" and d["sector"]["id"] == "y_te"
    assert d["sector"]["source"] == "review" and d["sector"]["label"] == "Y tế"
    assert d["review"]["corrected"] == sorted(fields)
    bad = _review(client, body["id"], d0["id"], "correct", {"sector": "khong_co"})
    assert bad.status_code == 422 and "Lĩnh vực" in bad.json()["message"]


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
    assert added["review"] == {"status": "accepted", "version": 1, "reviewer": "Nguyễn Văn An",
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


def _reviewed_schema() -> dict:
    """The schema as `extractor schema --reviewed` prints it."""
    from click.testing import CliRunner

    from extractor.cli import main

    result = CliRunner().invoke(main, ["schema", "--reviewed"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert schema["$id"].endswith(":reviewed-document:1.0-reviewed")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    return schema


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
    # It is a reviewed document, valid against `extractor schema --reviewed`.
    ReviewedDocument.model_validate(exported)
    jsonschema.validate(exported, _reviewed_schema())
    assert exported["schema_version"] == "1.0-reviewed" and exported["review"]["id"] == doc_id
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
    with TestClient(create_app(db, max_upload_bytes=limit), base_url=BASE) as client:
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
    _bad(_review(client, doc_id, d0["id"], "correct", {"confidence": 1}), 422, "confidence")
    _bad(_review(client, doc_id, d0["id"], "correct", {"action": ""}), 422, "action")
    r = client.post(f"/api/documents/{doc_id}/directives/{d0['id']}/review", content=b"[",
                    headers={"content-type": "application/json"})  # fmt: skip
    assert r.status_code == 422
    # Nothing was recorded by the refused requests.
    got = client.get(f"/api/documents/{doc_id}").json()
    assert got["summary"]["pending"] == len(got["document"]["directives"])


# -- persistence -----------------------------------------------------------------------


def test_review_state_survives_a_new_app_on_the_same_db(db):
    with TestClient(create_app(db, max_upload_bytes=LIMIT), base_url=BASE) as first:
        body = _extract(first)
        d0, d1 = body["document"]["directives"][:2]
        _review(first, body["id"], d0["id"], "reject")
        _review(first, body["id"], d1["id"], "correct", {"actor": "Bộ Nội vụ"})
        before = first.get(f"/api/documents/{body['id']}").json()
    with TestClient(create_app(db, max_upload_bytes=LIMIT), base_url=BASE) as second:
        after = second.get(f"/api/documents/{body['id']}").json()
        assert after == before
        listed = second.get("/api/documents").json()
        assert [d["id"] for d in listed] == [body["id"]]


def test_reupload_of_the_same_bytes_reopens_the_review(client):
    files = {"file": ("thong-bao.txt", SAMPLE.encode("utf-8"))}
    first = client.post("/api/extract", files=files)
    assert first.status_code == 201
    body = client.get(first.headers["location"]).json()
    d0 = body["document"]["directives"][0]
    _review(client, body["id"], d0["id"], "accept")
    again = client.post("/api/extract", files={"file": ("ban-sao.txt", SAMPLE.encode("utf-8"))})
    assert again.status_code == 200 and again.headers["x-reopened"] == "true"
    reopened = client.get(again.headers["location"]).json()
    assert reopened["id"] == body["id"]
    assert reopened["document"]["directives"][0]["review"]["status"] == "accepted"
    # The same text pasted is the same bytes, hence the same document.
    pasted = client.post("/api/extract", json={"text": SAMPLE})
    assert pasted.status_code == 200 and pasted.headers["x-document-id"] == body["id"]


# -- service ---------------------------------------------------------------------------


def test_health_openapi_and_offline_page(client):
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["pipeline_loaded"] is True
    spec = client.get("/openapi.json").json()
    for path in ("/api/extract", "/api/documents/{doc_id}",
                 "/api/documents/{doc_id}/directives/{directive_id}/review",
                 "/api/documents/{doc_id}/directives", "/api/documents/{doc_id}/export.json",
                 "/api/documents/{doc_id}/export.csv", "/api/documents/{doc_id}/export.xlsx",
                 "/api/documents/{doc_id}/export.ics", "/api/export.xlsx",
                 "/api/documents/{doc_id}/doc-date", "/api/health"):  # fmt: skip
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


# -- the clerk's correction in exports; the document date; a typed API -----------------


def test_the_clerks_typed_actor_wins_over_the_canonical_name_in_every_export(client):
    body = _extract(client)
    doc_id, d0 = body["id"], body["document"]["directives"][0]
    r = _review(client, doc_id, d0["id"], "correct", {"actor": "Bộ KHĐT"})
    assert r.json()["directive"]["actor"]["canonical"]["name"] == "Bộ Kế hoạch và Đầu tư"
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/api/documents/{doc_id}/export.csv").content.decode("utf-8-sig"))))
    assert [row["Cơ quan chủ trì"] for row in rows] == ["Bộ KHĐT"]
    assert rows[0]["Mã chỉ đạo"] == d0["id"] and rows[0]["Trạng thái duyệt"] == "Đã chấp nhận"
    exported = client.get(f"/api/documents/{doc_id}/export.json").json()
    assert exported["directives"][0]["actor"]["text"] == "Bộ KHĐT"
    openpyxl = pytest.importorskip("openpyxl")
    icalendar = pytest.importorskip("icalendar")
    book = openpyxl.load_workbook(io.BytesIO(
        client.get(f"/api/documents/{doc_id}/export.xlsx").content))
    assert book["Chỉ đạo"]["C2"].value == "Bộ KHĐT"
    cal = icalendar.Calendar.from_ical(client.get(f"/api/documents/{doc_id}/export.ics").content)
    assert [str(e["summary"]).split(":")[0] for e in cal.walk("VEVENT")] == ["Bộ KHĐT"]


UNDATED = "Giao Bộ Tài chính rà soát các quy định trước ngày 30/6.\n" \
          "Giao Bộ Công Thương xây dựng đề án trước ngày 15/8.\n"


def _deadlines(view: dict) -> dict:
    return {d["actor"]["text"]: (d["deadline"] or {}).get("date")
            for d in view["document"]["directives"]}  # fmt: skip


def test_setting_the_document_date_resolves_deadlines_and_keeps_the_review(client):
    body = _extract(client, text=UNDATED)
    doc_id = body["id"]
    assert set(_deadlines(body).values()) == {None}
    assert any("year is not stated" in w for w in body["document"]["warnings"])
    first, second = body["document"]["directives"]
    _review(client, doc_id, first["id"], "accept")
    _review(client, doc_id, second["id"], "correct", {"deadline_date": "2021-09-01"})
    r = client.put(f"/api/documents/{doc_id}/doc-date",
                   json={"doc_date": "2021-03-20", "reviewer": "An"})  # fmt: skip
    assert r.status_code == 200, r.text
    view = r.json()
    assert view["doc_date"] == "2021-03-20" and view["document"]["document"]["date"] == "2021-03-20"
    # The text's deadline gets its year; the clerk's corrected deadline stays as corrected.
    assert _deadlines(view) == {"Bộ Tài chính": "2021-06-30", "Bộ Công Thương": "2021-09-01"}
    assert not any("year is not stated" in w for w in view["document"]["warnings"])
    statuses = [d["review"]["status"] for d in view["document"]["directives"]]
    assert statuses == ["accepted", "accepted"]
    # Changed again: read again on the new date; the audit trail has both.
    view = client.put(f"/api/documents/{doc_id}/doc-date",
                      json={"doc_date": "2022-01-05", "reviewer": "An"}).json()  # fmt: skip
    assert _deadlines(view)["Bộ Tài chính"] == "2022-06-30"
    kinds = [e["kind"] for e in client.get(f"/api/documents/{doc_id}/events").json()]
    assert kinds.count("doc_date") == 2


def test_resending_the_same_file_with_a_doc_date_applies_it(client):
    files = {"file": ("khong-nam.txt", UNDATED.encode("utf-8"))}
    first = client.post("/api/extract", files=files)
    assert [d["deadline"]["date"] for d in first.json()["directives"]] == [None, None]
    again = client.post("/api/extract", files=files, data={"doc_date": "2021-03-20"})
    assert again.status_code == 200 and again.headers["x-reopened"] == "true"
    assert [d["deadline"]["date"] for d in again.json()["directives"]] == ["2021-06-30",
                                                                             "2021-08-15"]
    assert again.json()["options"]["doc_date"] == "2021-03-20"


def test_openapi_declares_typed_responses(client):
    spec = client.get("/openapi.json").json()

    def ref(path, method="get", status="200"):
        content = spec["paths"][path][method]["responses"][status]["content"]
        return content["application/json"]["schema"]

    assert ref("/api/extract", "post", "201")["$ref"].endswith("/Document")
    assert ref("/api/documents/{doc_id}")["$ref"].endswith("/ReviewView")
    assert ref("/api/documents/{doc_id}/export.json")["$ref"].endswith("/ReviewedDocument")
    review = "/api/documents/{doc_id}/directives/{directive_id}/review"
    assert ref(review, "post")["$ref"].endswith("/DirectiveResult")
    assert "X-Document-Id" in spec["paths"]["/api/extract"]["post"]["responses"]["201"]["headers"]
    assert "ReviewBlock" in spec["components"]["schemas"]


# Every operation of the API, as it was before create_app was split into routers:
# (method, path, operationId, tags). Clients generated from the schema depend on them.
OPERATIONS = {
    ("get", "/api/health", "health_api_health_get", ("service",)),
    ("post", "/api/extract", "extract_api_extract_post", ("documents",)),
    ("get", "/api/documents", "list_documents_api_documents_get", ("documents",)),
    ("get", "/api/documents/{doc_id}", "get_document_api_documents__doc_id__get",
     ("documents",)),
    ("get", "/api/documents/{doc_id}/events", "events_api_documents__doc_id__events_get",
     ("documents",)),
    ("put", "/api/documents/{doc_id}/doc-date",
     "set_doc_date_api_documents__doc_id__doc_date_put", ("review",)),
    ("post", "/api/documents/{doc_id}/directives",
     "add_directive_api_documents__doc_id__directives_post", ("review",)),
    ("post", "/api/documents/{doc_id}/directives/{directive_id}/review",
     "review_directive_api_documents__doc_id__directives__directive_id__review_post",
     ("review",)),
    ("get", "/api/documents/{doc_id}/export.json",
     "export_json_api_documents__doc_id__export_json_get", ("export",)),
    ("get", "/api/documents/{doc_id}/export.csv",
     "export_csv_api_documents__doc_id__export_csv_get", ("export",)),
    ("get", "/api/documents/{doc_id}/export.xlsx",
     "export_xlsx_api_documents__doc_id__export_xlsx_get", ("export",)),
    ("get", "/api/documents/{doc_id}/export.ics",
     "export_ics_api_documents__doc_id__export_ics_get", ("export",)),
    ("get", "/api/export.json", "export_many_json_api_export_json_get", ("export",)),
    ("get", "/api/export.csv", "export_many_csv_api_export_csv_get", ("export",)),
    ("get", "/api/export.xlsx", "export_many_xlsx_api_export_xlsx_get", ("export",)),
    ("get", "/api/export.ics", "export_many_ics_api_export_ics_get", ("export",)),
}  # fmt: skip


def test_openapi_lists_exactly_the_operations_of_before_the_router_split(db):
    with TestClient(create_app(db, warm_up=False), base_url=BASE) as c:
        spec = c.get("/openapi.json").json()
    found = {(method, path, op["operationId"], tuple(op["tags"]))
             for path, ops in spec["paths"].items() for method, op in ops.items()}  # fmt: skip
    assert found == OPERATIONS


# (request, status, words of the Vietnamese message)
VIETNAMESE_ERRORS = [
    ({"json": {"text": "  "}}, 422, "Chưa có văn bản"),
    ({"json": {"text": "x", "doc_date": "30/6/2021"}}, 422, "Ngày văn bản"),
    ({"files": {"file": ("rong.txt", b"")}}, 422, "rong.txt: tệp rỗng"),
    ({"content": b"x", "headers": {"content-type": "text/plain"}}, 415, "Định dạng"),
]


@pytest.mark.parametrize("request_kw, status, words", VIETNAMESE_ERRORS)
def test_errors_carry_a_vietnamese_message(client, request_kw, status, words):
    r = client.post("/api/extract", **request_kw)
    assert r.status_code == status
    assert words in r.json()["message"]


def test_validation_errors_name_the_field_in_vietnamese(client):
    body = _extract(client)
    d0 = body["document"]["directives"][0]
    r = _review(client, body["id"], d0["id"], "correct", {"deadline_date": "mai"})
    assert r.json()["message"] == "Thời hạn: không phải ngày hợp lệ (ngày/tháng/năm)."
    r = _review(client, body["id"], d0["id"], "accept", reviewer="")
    assert r.json()["message"].startswith("Người duyệt:")
    stale = client.post(f"/api/documents/{body['id']}/directives/{d0['id']}/review",
                        json={"action": "accept", "reviewer": "An", "version": 7})
    assert stale.status_code == 409 and "tải lại trang" in stale.json()["message"]
    assert client.get("/api/documents/nope").json()["message"] == "Không có văn bản mã nope."


def test_exports_of_one_and_of_several_documents(client):
    openpyxl = pytest.importorskip("openpyxl")
    icalendar = pytest.importorskip("icalendar")
    first = _extract(client)
    second = _extract(client, text=UNDATED, doc_date="2021-03-20")
    for view in (first, second):
        for d in view["document"]["directives"]:
            _review(client, view["id"], d["id"], "accept")
    one = client.get(f"/api/documents/{first['id']}/export.xlsx")
    assert one.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="chi-dao-' in one.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(one.content))["Chỉ đạo"]
    assert sheet.max_row == 1 + len(first["document"]["directives"])
    both = client.get("/api/export.xlsx", params={"id": [first["id"], second["id"]]})
    sheet = openpyxl.load_workbook(io.BytesIO(both.content))["Chỉ đạo"]
    total = len(first["document"]["directives"]) + len(second["document"]["directives"])
    assert sheet.max_row == 1 + total
    cal = icalendar.Calendar.from_ical(client.get("/api/export.ics").content)
    dates = sorted(e.decoded("dtstart").isoformat() for e in cal.walk("VEVENT"))
    assert dates == ["2021-06-30", "2021-06-30", "2021-08-15", "2021-09-30"]
    many = client.get("/api/export.json").json()
    assert sorted(d["review"]["id"] for d in many) == sorted([first["id"], second["id"]])
    for doc in many:
        jsonschema.validate(doc, _reviewed_schema())
    assert client.get("/api/export.csv", params={"id": "nope"}).status_code == 404


def test_a_store_written_before_dates_could_be_set_is_upgraded(tmp_path):
    import sqlite3

    from extractor.web.store import Store

    path = tmp_path / "old.sqlite3"
    con = sqlite3.connect(path)
    con.executescript("CREATE TABLE documents (id TEXT PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE,"
                      " name TEXT, doc_date TEXT, created_at TEXT NOT NULL,"
                      " document_json TEXT NOT NULL);"
                      "INSERT INTO documents VALUES ('abc', 'abc', NULL, NULL, 't', "
                      "'{\"directives\": []}');")  # fmt: skip
    con.commit()
    con.close()
    store = Store(path)
    assert store.get("abc").document == {"directives": []}
    store.set_doc_date("abc", "2021-03-20", lambda doc: {**doc, "warnings": []}, "An")
    stored = store.get("abc")
    assert stored.doc_date == "2021-03-20" and stored.document == {"directives": [],
                                                                  "warnings": []}
    assert stored.extracted == {"directives": []}  # the extraction itself is kept
