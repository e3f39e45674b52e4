"""The review page in real headless Chromium: upload the user's sample, review, export."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_9aa80fb783193915.txt"

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
pytest.importorskip("selenium", reason="selenium is not installed (pip install selenium)")

from selenium.webdriver.common.by import By  # noqa: E402

from extractor.web.screenshots import (  # noqa: E402
    chrome,
    find_chromium,
    highlighted_ids,
    live_server,
    upload,
    wait_for,
)


@pytest.fixture(scope="module")
def browser_ready():
    if find_chromium() is None:
        pytest.skip("chromium and chromedriver are not installed "
                    "(Debian: apt-get install chromium chromium-driver)")  # fmt: skip
    if not SEED.exists():
        pytest.skip(f"the user's sample is not present ({SEED})")


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read().decode("utf-8"))


def _card(driver, directive_id: str):
    return driver.find_element(By.ID, f"card-{directive_id}")


def _click(driver, element) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def _message(driver, text: str) -> None:
    wait_for(driver, lambda d: text in d.find_element(By.ID, "message").text,
             message=f"no message {text!r}")  # fmt: skip


def test_review_in_the_browser(browser_ready, tmp_path):
    with live_server(tmp_path / "review.sqlite3") as url:
        driver = chrome(tmp_path / "chrome-profile")
        try:
            _review_session(driver, url, tmp_path)
        finally:
            driver.quit()


def _review_session(driver, url: str, tmp_path: Path) -> None:
    doc_id = upload(driver, url, SEED, reviewer="Nguyễn Văn An")
    _click(driver, driver.find_element(By.ID, "mode-cards"))
    api = _get_json(f"{url}/api/documents/{doc_id}")
    directives = api["document"]["directives"]
    assert len(directives) >= 2, "the sample should yield at least 2 directives"

    # Every directive the API returned is highlighted in the text, and listed.
    assert highlighted_ids(driver) == {d["id"] for d in directives}
    assert len(driver.find_elements(By.CSS_SELECTOR, "#directives .card")) == len(directives)
    driver.save_screenshot(str(tmp_path / "review-uploaded.png"))

    # Low-confidence directives stand out.
    low = [d["id"] for d in directives if d["confidence"] < 0.6]
    for directive_id in low:
        assert "low" in _card(driver, directive_id).get_attribute("class")

    # Clicking a directive marks its place in the text; clicking the text selects it.
    first, second = directives[0], directives[1]
    _click(driver, _card(driver, second["id"]).find_element(By.TAG_NAME, "header"))
    selected = driver.find_elements(By.CSS_SELECTOR, "#text .seg.sel")
    assert selected and all(second["id"] in s.get_attribute("data-act") for s in selected)
    mark = next(s for s in driver.find_elements(By.CSS_SELECTOR, "#text .act")
                if s.get_attribute("data-act") == first["id"])  # fmt: skip
    _click(driver, mark)
    assert "selected" in _card(driver, first["id"]).get_attribute("class")

    # Correct the first directive's actor.
    card = _card(driver, first["id"])
    _click(driver, card.find_element(By.CSS_SELECTOR, "button.edit-btn"))
    actor = card.find_element(By.CSS_SELECTOR, "form.edit input[name=actor]")
    actor.clear()
    actor.send_keys("Bộ Nội vụ")
    _click(driver, card.find_element(By.CSS_SELECTOR, "form.edit button.save"))
    _message(driver, "Đã lưu sửa đổi")
    card = _card(driver, first["id"])
    assert "Bộ Nội vụ" in card.find_element(By.CSS_SELECTOR, ".f-actor").text
    assert card.get_attribute("data-status") == "accepted"
    assert "giá trị gốc" in card.text

    # Reject the second.
    _click(driver, _card(driver, second["id"]).find_element(By.CSS_SELECTOR, "button.reject"))
    _message(driver, "Đã từ chối")
    assert _card(driver, second["id"]).get_attribute("data-status") == "rejected"
    rejected = [s for s in driver.find_elements(By.CSS_SELECTOR, "#text .act.rej")
                if second["id"] in s.get_attribute("data-act")]  # fmt: skip
    assert rejected

    # Add a missed directive by selecting text (the title line is not a directive).
    text = api["document"]["text"]
    words = "Tổ công tác của Thủ tướng Chính phủ"
    start = text.index(words)
    driver.execute_script(
        """
        const [start, end] = arguments;
        const seg = [...document.querySelectorAll('#text .seg')].filter(
          (s) => Number(s.dataset.start) <= start
                 && start < Number(s.dataset.start) + s.textContent.length).pop();
        const node = seg.firstChild, base = Number(seg.dataset.start);
        const range = document.createRange();
        range.setStart(node, start - base);
        range.setEnd(node, Math.min(end - base, node.length));
        const sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        """,
        start,
        start + len(words),
    )
    wait_for(driver, lambda d: d.find_element(By.ID, "add-btn").is_enabled(),
             message="selecting text did not enable the add button")  # fmt: skip
    _click(driver, driver.find_element(By.ID, "add-btn"))
    chosen = driver.find_element(By.ID, "add-action").text
    driver.find_element(By.ID, "add-actor").send_keys("Văn phòng Chính phủ")
    _click(driver, driver.find_element(By.CSS_SELECTOR, "#add-form button[type=submit]"))
    _message(driver, "Đã thêm chỉ đạo")
    assert len(driver.find_elements(By.CSS_SELECTOR, "#directives .card")) == len(directives) + 1
    driver.save_screenshot(str(tmp_path / "review-reviewed.png"))

    # Export: the links point at the API; the JSON holds the changes.
    href = driver.find_element(By.ID, "export-json").get_attribute("href")
    assert href == f"{url}/api/documents/{doc_id}/export.json"
    exported = _get_json(href)
    by_id = {d["id"]: d for d in exported["directives"]}
    assert second["id"] not in by_id
    corrected = by_id[first["id"]]
    assert corrected["actor"]["text"] == "Bộ Nội vụ"
    assert corrected["review"]["status"] == "accepted"
    assert corrected["review"]["reviewer"] == "Nguyễn Văn An"
    assert corrected["review"]["original"]["actor"] == first["actor"]
    added = [d for d in exported["directives"] if d["review"]["added"]]
    assert len(added) == 1 and added[0]["action"]["text"] == chosen == words
    assert added[0]["action"]["start"] == start
    csv_href = driver.find_element(By.ID, "export-csv").get_attribute("href")
    with urllib.request.urlopen(csv_href, timeout=30) as response:
        body = response.read()
    assert body.startswith(b"\xef\xbb\xbf") and "Bộ Nội vụ".encode() in body

    # Reloading the page (a new visit) shows the stored review.
    driver.get(f"{url}/documents/{doc_id}")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#directives .card"))
    assert _card(driver, second["id"]).get_attribute("data-status") == "rejected"
    assert (tmp_path / "review-reviewed.png").stat().st_size > 10_000

    # Another clerk decides meanwhile: this page's decision is refused (409), said in
    # Vietnamese, and the reload shows the other clerk's decision.
    _click(driver, driver.find_element(By.ID, "mode-cards"))
    _post_json(f"{url}/api/documents/{doc_id}/directives/{second['id']}/review",
               {"action": "accept", "reviewer": "Trần Thị Bình"})  # fmt: skip
    _click(driver, _card(driver, second["id"]).find_element(By.CSS_SELECTOR, "button.reset"))
    _message(driver, "tải lại trang")
    _click(driver, driver.find_element(By.ID, "reload-btn"))
    wait_for(driver, lambda d: d.execute_script(
        "return document.getElementById('card-' + arguments[0]).dataset.status",
        second["id"]) == "accepted", message="the reload did not show the other decision")


def _post_json(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read().decode("utf-8"))


# -- every field, both widths, keyboard, document date, xlsx -----------------------------

ALL_FIELDS = """Cổng thông tin điện tử Chính phủ
THÔNG BÁO
Kết luận của Phó Thủ tướng Chính phủ Lê Minh Khái tại cuộc họp về phát triển thị trường trong nước

1. Về thuế: Phó Thủ tướng giao Bộ Tài chính chủ trì, phối hợp với Bộ Kế hoạch và Đầu tư, \
Bộ Tư pháp rà soát các quy định về thuế, báo cáo Thủ tướng Chính phủ trước ngày 30/6/2021.
2. Bộ Công Thương khẩn trương xây dựng đề án phát triển thị trường trong nước, hoàn thành \
trước ngày 15/9.
3. Đề nghị Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương tăng cường kiểm tra, \
giám sát thị trường.
Lượt xem: 1.245
Nguồn: VGP
"""
MODALITY = {"obligation": "Bắt buộc", "recommendation": "Đề nghị", "prohibition": "Nghiêm cấm",
            "permission": "Cho phép"}  # fmt: skip
WIDTHS = [(1400, 900), (390, 844)]


def _entity(e) -> str:
    if not e:
        return "—"
    name = (e.get("canonical") or {}).get("name")
    same = name is None or name.lower() == e["text"].lower()
    return e["text"] if same else f"{e['text']} → {name}"


def _day(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def _expected_fields(d: dict) -> dict:
    """What a card must show for each field of the API's directive."""
    deadline = d.get("deadline")
    when = "—"
    if deadline:
        when = deadline["text"] + (f" ({_day(deadline['date'])})" if deadline["date"] else "")
    return {
        "f-issuer": _entity(d.get("issuer")),
        "f-actor": _entity(d.get("actor")),
        "f-coactors": "; ".join(_entity(c) for c in d["coactors"]) or "—",
        "f-action": d["action"]["text"],
        "f-topic": (d.get("topic") or {}).get("text") or "—",
        "f-report-to": _entity(d.get("report_to")),
        "f-deadline": when,
        "f-modality": MODALITY[d["modality"]],
        "f-confidence": f"{d['confidence']:.2f}".replace(".", ","),
    }


def _rendered_fields(driver, directive_id: str) -> dict:
    return driver.execute_script(
        "const card = document.getElementById('card-' + arguments[0]);"
        "return Object.fromEntries([...card.querySelectorAll('dd')]"
        ".map((dd) => [dd.className, dd.textContent]));", directive_id)


def _key(driver, key: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(key).perform()


def _status(driver, directive_id: str, status: str) -> None:
    script = "return document.getElementById('card-' + arguments[0]).dataset.status"
    wait_for(driver, lambda d: d.execute_script(script, directive_id) == status,
             message=f"{directive_id} did not become {status}")  # fmt: skip


def _focused_id(driver) -> str:
    return driver.switch_to.active_element.get_attribute("data-id") or ""


@pytest.mark.parametrize("width, height", WIDTHS)
def test_the_clerks_workflow_at_desktop_and_phone_width(browser_ready, tmp_path, width, height):
    sample = tmp_path / "ket-luan.txt"
    sample.write_text(ALL_FIELDS, encoding="utf-8")
    with live_server(tmp_path / "review.sqlite3") as url:
        driver = chrome(tmp_path / "chrome-profile", width=width, height=height)
        try:
            _workflow(driver, url, sample, width, tmp_path)
        finally:
            driver.quit()


def _workflow(driver, url: str, sample: Path, width: int, tmp_path: Path) -> None:
    doc_id = upload(driver, url, sample, reviewer="Nguyễn Văn An")
    api = _get_json(f"{url}/api/documents/{doc_id}")
    directives = api["document"]["directives"]
    assert len(directives) == 3
    assert directives[0]["coactors"] and directives[0]["report_to"] and directives[0]["topic"]

    # Every field of every directive reads as the API says (co-actors included).
    for d in directives:
        rendered = _rendered_fields(driver, d["id"])
        for cls, text in _expected_fields(d).items():
            assert rendered[cls] == text, (d["id"], cls, rendered[cls])
        assert "[object" not in "".join(rendered.values())

    # The warning is shown in Vietnamese, the skipped lines are marked in the text.
    warnings = driver.find_element(By.ID, "warnings")
    assert warnings.is_displayed() and "không ghi năm" in warnings.text
    skipped = driver.find_elements(By.CSS_SELECTOR, "#text .seg.skip")
    assert {s.text for s in skipped} >= {"Lượt xem: 1.245", "Nguồn: VGP"}
    nodate = _card(driver, directives[1]["id"])
    assert "Thời hạn chưa rõ ngày" in driver.execute_script(
        "return arguments[0].textContent", nodate)  # fmt: skip

    # The layout: two columns on a desktop, one under 800 px; nothing falls off a card.
    text_box = driver.find_element(By.CSS_SELECTOR, ".text-col").rect
    list_box = driver.find_element(By.CSS_SELECTOR, ".list-col").rect
    if width >= 800:
        assert list_box["x"] > text_box["x"] + text_box["width"] - 1
    else:
        assert abs(list_box["x"] - text_box["x"]) < 2 and list_box["width"] > 0.9 * width - 40
    overflow = driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1]
    if width < 800:
        for card in driver.find_elements(By.CSS_SELECTOR, "#directives .card"):
            assert driver.execute_script("return arguments[0].scrollWidth <= "
                                         "arguments[0].clientWidth + 1", card)  # fmt: skip
    driver.save_screenshot(str(tmp_path / f"review-{width}.png"))

    if width >= 800:
        _sort_and_filter(driver, directives)

    # Keyboard only: j moves, a/r decide, focus stays on the directive decided.
    driver.execute_script("document.activeElement.blur()")
    decisions = [("accepted", "a"), ("rejected", "r"), ("accepted", "a")]
    for d, (status, key) in zip(directives, decisions):
        _key(driver, "j")
        wait_for(driver, lambda drv, i=d["id"]: _focused_id(drv) == i,
                 message="j did not move to the next directive")  # fmt: skip
        _key(driver, key)
        _status(driver, d["id"], status)
        assert _focused_id(driver) == d["id"], "focus left the directive after the decision"
    got = _get_json(f"{url}/api/documents/{doc_id}")
    assert [d["review"]["status"] for d in got["document"]["directives"]] == [
        "accepted", "rejected", "accepted"]
    _key(driver, "k")
    _key(driver, "e")  # edit the second: its form opens, focus in it
    wait_for(driver, lambda drv: drv.switch_to.active_element.get_attribute("name") == "actor")
    _key(driver, "\ue00c")  # Escape closes it and gives the focus back
    wait_for(driver, lambda drv: _focused_id(drv) == directives[1]["id"])

    # Set the document date: the deadline without a year gets its date.
    date = driver.find_element(By.ID, "doc-date-set")
    date.clear()
    date.send_keys("20/03/2021")
    _click(driver, driver.find_element(By.ID, "doc-date-btn"))
    _message(driver, "Đã đặt ngày văn bản 20/03/2021")
    deadline = _rendered_fields(driver, directives[1]["id"])["f-deadline"]
    assert deadline == "trước ngày 15/9 (15/09/2021)"
    assert not driver.find_element(By.ID, "warnings").is_displayed()
    assert _card(driver, directives[1]["id"]).get_attribute("data-status") == "rejected"

    # The Excel export, read back.
    _xlsx_holds_the_accepted(driver, directives)

    # The fields the extractor has no rule for can be corrected too.
    if width < 800:
        _correct_the_other_fields(driver, directives[2]["id"])
    # A server error reads in Vietnamese, never the English detail.
    _upload_an_empty_file(driver, url, tmp_path)


def _correct_the_other_fields(driver, directive_id: str) -> None:
    from selenium.webdriver.support.ui import Select

    card = _card(driver, directive_id)
    _click(driver, card.find_element(By.CSS_SELECTOR, "button.edit-btn"))
    form = card.find_element(By.CSS_SELECTOR, "form.edit")
    for name, value in [("issuer", "Thủ tướng Chính phủ"), ("coactors", "Bộ Công an; Bộ Y tế"),
                        ("topic", "quản lý thị trường"), ("report_to", "Văn phòng Chính phủ")]:
        field = form.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)
    Select(form.find_element(By.NAME, "sector")).select_by_value("y_te")
    _click(driver, form.find_element(By.CSS_SELECTOR, "button.save"))
    _message(driver, "Đã lưu sửa đổi")
    shown = _rendered_fields(driver, directive_id)
    assert shown["f-issuer"].startswith("Thủ tướng Chính phủ")
    assert shown["f-coactors"].startswith("Bộ Công an") and "; Bộ Y tế" in shown["f-coactors"]
    assert shown["f-topic"] == "quản lý thị trường" and shown["f-sector"] == "Y tế"
    assert shown["f-report-to"].startswith("Văn phòng Chính phủ")


def _upload_an_empty_file(driver, url: str, tmp_path: Path) -> None:
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    driver.get(url + "/")
    driver.find_element(By.ID, "file").send_keys(str(empty))
    _click(driver, driver.find_element(By.ID, "upload-btn"))
    _message(driver, "rong.txt: tệp rỗng")
    assert "empty" not in driver.find_element(By.ID, "message").text


def _table_ids(driver) -> list[str]:
    return driver.execute_script("return [...document.querySelectorAll('#table tbody tr')]"
                                 ".filter((r) => !r.hidden).map((r) => r.dataset.id)")


def _sort_and_filter(driver, directives) -> None:
    """The table sorts by a column (twice: the other way) and filters by kind and actor."""
    from selenium.webdriver.support.ui import Select

    ids = [d["id"] for d in directives]
    assert _table_ids(driver) == ids
    by_actor = [d["id"] for d in sorted(directives, key=lambda d: d["actor"]["text"])]
    _click(driver, driver.find_element(By.CSS_SELECTOR, "#table th[data-key=actor]"))
    assert _table_ids(driver) == by_actor
    _click(driver, driver.find_element(By.CSS_SELECTOR, "#table th[data-key=actor]"))
    assert _table_ids(driver) == by_actor[::-1]
    _click(driver, driver.find_element(By.CSS_SELECTOR, "#table th[data-key=order]"))
    Select(driver.find_element(By.ID, "filter")).select_by_value("nodate")
    assert _table_ids(driver) == [ids[1], ids[2]]  # an undated deadline, and none
    Select(driver.find_element(By.ID, "filter")).select_by_value("all")
    options = driver.execute_script("return [...document.querySelectorAll('#filter-actor option')]"
                                    ".map((o) => o.value)")
    assert directives[1]["actor"]["text"] in options, options
    Select(driver.find_element(By.ID, "filter-actor")).select_by_value(
        directives[1]["actor"]["text"])
    assert _table_ids(driver) == [ids[1]]
    assert driver.find_element(By.ID, "filter-count").text == "1/3 chỉ đạo"
    Select(driver.find_element(By.ID, "filter-actor")).select_by_value("")
    assert _table_ids(driver) == ids


def _xlsx_holds_the_accepted(driver, directives) -> None:
    import datetime as dt
    import io

    openpyxl = pytest.importorskip("openpyxl")
    href = driver.find_element(By.ID, "export-xlsx").get_attribute("href")
    with urllib.request.urlopen(href, timeout=30) as response:
        book = openpyxl.load_workbook(io.BytesIO(response.read()))
    sheet = book["Chỉ đạo"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    assert [r["Mã chỉ đạo"] for r in rows] == [directives[0]["id"], directives[2]["id"]]
    assert rows[0]["Cơ quan chủ trì"] == "Bộ Tài chính"
    assert rows[0]["Thời hạn"] == dt.datetime(2021, 6, 30)
    assert sheet.freeze_panes == "A2"
