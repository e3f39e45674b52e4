"""The review server under attack and under load: concurrent reviews, malformed requests,
other sites, and slow or hostile uploads that must not freeze it for the other clerks."""

from __future__ import annotations

import threading
import time

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from extractor.web.app import MAX_FIELD_CHARS, create_app  # noqa: E402
from extractor.web.screenshots import FALLBACK_SAMPLE  # noqa: E402

BASE = "http://127.0.0.1"


@pytest.fixture()
def client(tmp_path):
    with TestClient(create_app(tmp_path / "r.sqlite3", warm_up=False), base_url=BASE) as c:
        yield c


def _document(client) -> tuple[str, list[dict]]:
    r = client.post("/api/extract", json={"text": FALLBACK_SAMPLE})
    assert r.status_code == 201, r.text
    doc_id = r.headers["x-document-id"]
    return doc_id, client.get(f"/api/documents/{doc_id}").json()["document"]["directives"]


def _url(doc_id: str, directive_id: str) -> str:
    return f"/api/documents/{doc_id}/directives/{directive_id}/review"


def test_concurrent_corrections_of_different_fields_are_all_kept(client):
    doc_id, directives = _document(client)
    target = directives[0]["id"]
    fields = [{"actor": "Sở Tài chính"}, {"deadline_date": "2021-12-31"},
              {"modality": "recommendation"}]  # fmt: skip
    for trial in range(20):
        client.post(_url(doc_id, target), json={"action": "reset", "reviewer": "x"})
        barrier = threading.Barrier(len(fields))
        answers: list[int] = []

        def correct(value: dict, who: str, barrier=barrier, answers=answers) -> None:
            barrier.wait()
            r = client.post(_url(doc_id, target), json={"action": "correct", "reviewer": who,
                                                         "fields": value})  # fmt: skip
            answers.append(r.status_code)

        threads = [threading.Thread(target=correct, args=(f, f"clerk {i}"))
                   for i, f in enumerate(fields)]  # fmt: skip
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert answers == [200, 200, 200], (trial, answers)
        now = client.get(f"/api/documents/{doc_id}").json()
        (d,) = [d for d in now["document"]["directives"] if d["id"] == target]
        assert sorted(d["review"]["corrected"]) == ["actor", "deadline", "modality"], trial


def test_a_review_from_a_stale_version_is_refused_with_409(client):
    doc_id, directives = _document(client)
    target = directives[0]["id"]
    first = client.post(_url(doc_id, target), json={"action": "accept", "reviewer": "An",
                                                     "version": 0})  # fmt: skip
    assert first.status_code == 200
    assert first.json()["directive"]["review"]["version"] == 1
    stale = client.post(_url(doc_id, target), json={"action": "reject", "reviewer": "Bình",
                                                     "version": 0})  # fmt: skip
    assert stale.status_code == 409 and "An" in stale.json()["detail"]
    fresh = client.post(_url(doc_id, target), json={"action": "reject", "reviewer": "Bình",
                                                     "version": 1})  # fmt: skip
    assert fresh.status_code == 200 and fresh.json()["directive"]["review"]["status"] == "rejected"


@pytest.mark.parametrize("body,where", [
    ('{"text": "Giao S\\ud800 T\\u00e0i ch\\u00ednh r\\u00e0 so\\u00e1t."}', "lone surrogate"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"text": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
])  # fmt: skip
def test_malformed_json_uploads_get_422(client, body, where):
    r = client.post("/api/extract", content=body.encode("utf-8", "surrogatepass"),
                    headers={"content-type": "application/json"})  # fmt: skip
    assert r.status_code == 422 and where in r.json()["detail"], r.text


def test_malformed_review_requests_get_422(client):
    doc_id, directives = _document(client)
    url = _url(doc_id, directives[0]["id"])
    nested = '{"action": "accept", "reviewer": ' + "[" * 100_000 + "]" * 100_000 + "}"
    r = client.post(url, content=nested, headers={"content-type": "application/json"})
    assert r.status_code in (400, 422) and r.json()["detail"], r.text
    r = client.post(url, content='{"action": "accept", "reviewer": "\\udc00x"}',
                    headers={"content-type": "application/json"})  # fmt: skip
    assert r.status_code == 422 and "surrogate" in r.text


def test_an_overlong_correction_is_refused_quickly(client):
    doc_id, directives = _document(client)
    started = time.monotonic()
    r = client.post(_url(doc_id, directives[0]["id"]),
                    json={"action": "correct", "reviewer": "An",
                          "fields": {"actor": "Sở " * 500_000}})  # fmt: skip
    assert r.status_code == 422 and str(MAX_FIELD_CHARS) in r.text
    assert time.monotonic() - started < 5
    r = client.post(_url(doc_id, directives[0]["id"]),
                    json={"action": "correct", "reviewer": "An",
                          "fields": {"actor": "Sở " * (MAX_FIELD_CHARS // 4)}})  # fmt: skip
    assert r.status_code == 200


def test_requests_for_another_host_name_are_refused(client):
    assert client.get("/api/health").status_code == 200
    r = client.get("/api/documents", headers={"host": "evil.example:8000"})
    assert r.status_code == 400  # DNS rebinding: the page's own name, resolved to us
    assert client.get("/api/health", headers={"host": "localhost:8000"}).status_code == 200
    assert client.get("/api/health", headers={"host": "[::1]:8000"}).status_code == 200


def test_state_changes_from_another_site_are_refused(client):
    r = client.post("/api/extract", json={"text": FALLBACK_SAMPLE},
                    headers={"origin": "http://evil.example"})  # fmt: skip
    assert r.status_code == 403
    r = client.post("/api/extract", json={"text": FALLBACK_SAMPLE},
                    headers={"sec-fetch-site": "cross-site"})  # fmt: skip
    assert r.status_code == 403
    r = client.post("/api/extract", json={"text": FALLBACK_SAMPLE},
                    headers={"origin": "http://127.0.0.1:9999"})  # another local port  # fmt: skip
    assert r.status_code == 403
    r = client.post("/api/extract", json={"text": FALLBACK_SAMPLE},
                    headers={"origin": BASE})  # the review page itself
    assert r.status_code == 201
    assert client.post("/api/extract", json={"text": FALLBACK_SAMPLE + "\n"}).status_code == 201


def test_allowed_host_names_are_served(tmp_path):
    app = create_app(tmp_path / "r.sqlite3", warm_up=False, allowed_hosts=["review.so.vn"])
    with TestClient(app, base_url="http://review.so.vn") as c:
        assert c.get("/api/health").status_code == 200


def test_a_slow_upload_does_not_freeze_the_server_and_is_stopped(tmp_path):
    """One worker process, a 2 s limit: health answers at once while a long text runs, the
    long text gets 504, and the worker is replaced for the next clerk."""
    app = create_app(tmp_path / "r.sqlite3", workers=1, timeout=2, queue_timeout=60)
    long_text = "\n".join(f"{i}. Giao Sở Tài chính số {i} rà soát định mức chi phí dự án {i}, "
                          f"báo cáo Ủy ban nhân dân tỉnh trước ngày {1 + i % 28}/6/2025."
                          for i in range(4000))  # fmt: skip
    with TestClient(app, base_url=BASE) as c:
        result: dict = {}

        def upload() -> None:
            result["long"] = c.post("/api/extract", json={"text": long_text})

        worker = threading.Thread(target=upload)
        worker.start()
        time.sleep(0.5)
        latencies = []
        while worker.is_alive():
            started = time.monotonic()
            assert c.get("/api/health").status_code == 200
            latencies.append(time.monotonic() - started)
            time.sleep(0.2)
        worker.join()
        assert result["long"].status_code == 504, result["long"].text
        assert latencies and max(latencies) < 1.0, latencies
        deadline = time.monotonic() + 120  # the replacement loads the pipeline
        while True:
            r = c.post("/api/extract", json={"text": FALLBACK_SAMPLE})
            if r.status_code != 503 or time.monotonic() > deadline:
                break
        assert r.status_code == 201, r.text


def test_a_zip_bomb_upload_is_refused_while_health_answers(tmp_path):
    from test_hostile import _docx

    bomb = _docx(paragraphs_mb=300)
    app = create_app(tmp_path / "r.sqlite3", workers=1, timeout=60)
    with TestClient(app, base_url=BASE) as c:
        r = c.post("/api/extract", files={"file": ("bomb.docx", bomb)})
        assert r.status_code == 413 and r.json()["kind"] == "too_large"
        started = time.monotonic()
        assert c.get("/api/health").status_code == 200
        assert time.monotonic() - started < 1.0
