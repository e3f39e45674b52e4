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
