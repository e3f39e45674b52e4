"""Screenshots of the review page and the HTML report, in headless Chromium.

    python -m extractor.web.screenshots OUTDIR [--sample FILE] [--batch FILE ...]

writes ``OUTDIR/review.png`` (1400x900, the table view), ``OUTDIR/review-phone.png``
(390x844, one column) and ``OUTDIR/report.png`` (1280x900). Needs Selenium (a test
dependency) and Debian's ``chromium`` and ``chromium-driver``. The helpers here (a live
server in a thread, a hardened headless Chromium) are also what the browser test uses.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
DRIVER_CANDIDATES = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-extensions", "--disable-default-apps", "--lang=vi",
    "--force-device-scale-factor=1",
)  # fmt: skip
WIDTH, HEIGHT = 1280, 900

FALLBACK_SAMPLE = """THÔNG BÁO
Kết luận của Phó Thủ tướng Chính phủ tại cuộc họp về phát triển thị trường trong nước

1. Giao Bộ Tài chính chủ trì, phối hợp với Bộ Kế hoạch và Đầu tư rà soát các quy định về \
thuế, báo cáo Thủ tướng Chính phủ trước ngày 30/6/2021.
2. Bộ Công Thương khẩn trương xây dựng đề án phát triển thị trường trong nước, hoàn thành \
trong tháng 9/2021.
3. Đề nghị Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương tăng cường kiểm tra, \
giám sát thị trường.
"""


def find_chromium() -> Optional[tuple[str, str]]:
    """(browser, chromedriver) paths, or None when either is missing."""
    browser = next((p for p in CHROMIUM_CANDIDATES if os.access(p, os.X_OK)), None)
    browser = browser or shutil.which("chromium")
    driver = next((p for p in DRIVER_CANDIDATES if os.access(p, os.X_OK)), None)
    driver = driver or shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def chrome(user_data_dir: os.PathLike, width: int = WIDTH, height: int = HEIGHT):
    """A headless Chromium driven by the system chromedriver (nothing downloaded)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    found = find_chromium()
    if found is None:
        raise RuntimeError("chromium and chromedriver are needed "
                           "(Debian: apt-get install chromium chromium-driver)")  # fmt: skip
    browser, driver = found
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={os.fspath(user_data_dir)}")
    options.add_argument(f"--window-size={width},{height}")
    session = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    # The window size includes the browser's own bars; fix the page's viewport instead.
    session.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": height, "deviceScaleFactor": 1,
                             "mobile": False})  # fmt: skip
    return session


@contextmanager
def live_server(db_path: os.PathLike, **app_options) -> Iterator[str]:
    """The review app under uvicorn in a background thread on 127.0.0.1; yields its URL."""
    import uvicorn

    from .app import create_app

    app = create_app(db_path, **app_options)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # a free port, held until uvicorn takes the socket
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120  # the pipeline loads at start-up
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the review server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


def wait_for(driver, predicate, timeout: float = 60, message: str = ""):
    """Wait until ``predicate(driver)`` is truthy (Selenium's WebDriverWait)."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(predicate, message)


def highlighted_ids(driver) -> set[str]:
    """Ids of the directives whose action is highlighted in the page's text."""
    ids = driver.execute_script(
        "return [...document.querySelectorAll('#text .act')]"
        ".flatMap(e => e.dataset.act.split(' '))"
    )
    return set(ids)


def upload(driver, base_url: str, path: os.PathLike, reviewer: str = "Nguyễn Văn An") -> str:
    """Open the page, set the reviewer, upload a file; returns the document id."""
    from selenium.webdriver.common.by import By

    driver.get(base_url + "/")
    name = driver.find_element(By.ID, "reviewer")
    name.clear()
    name.send_keys(reviewer)
    driver.find_element(By.ID, "file").send_keys(os.fspath(Path(path).resolve()))
    driver.find_element(By.ID, "upload-btn").click()
    wait_for(driver, lambda d: "/documents/" in d.current_url
             and d.find_elements(By.CSS_SELECTOR, "#directives .card"),
             message="the directives did not appear")  # fmt: skip
    return driver.current_url.rstrip("/").rsplit("/", 1)[-1]


def default_sample() -> Optional[Path]:
    """The user's sample document, when the shared seeds sit beside the repository."""
    here = Path(__file__).resolve()
    for root in (Path.cwd(), *here.parents):
        candidate = root.parent / "shared" / "seeds" / "000_9aa80fb783193915.txt"
        if candidate.exists():
            return candidate
    return None


def review_screenshot(sample: Path, target: Path, workdir: Path, width: int = 1400,
                      height: int = 900) -> None:  # fmt: skip
    """The review page of ``sample`` after a few decisions, one directive selected."""
    from selenium.webdriver.common.by import By

    with live_server(workdir / f"review-{width}.sqlite3") as url:
        driver = chrome(workdir / f"chrome-review-{width}", width=width, height=height)
        try:
            upload(driver, url, sample)
            table = driver.find_element(By.ID, "mode-table").get_attribute("aria-pressed")
            _click(driver, driver.find_element(By.ID, "mode-cards"))
            cards = driver.find_elements(By.CSS_SELECTOR, "#directives .card")
            if len(cards) >= 1:
                _click(driver, cards[0].find_element(By.CSS_SELECTOR, "button.accept"))
                _settle(driver, "Đã chấp nhận")
            if len(cards) >= 2:
                cards = driver.find_elements(By.CSS_SELECTOR, "#directives .card")
                _click(driver, cards[1].find_element(By.CSS_SELECTOR, "button.reject"))
                _settle(driver, "Đã từ chối")
            if table == "true":
                _click(driver, driver.find_element(By.ID, "mode-table"))
            items = driver.find_elements(By.CSS_SELECTOR, "#table tbody tr" if table == "true"
                                         else "#directives .card header")  # fmt: skip
            if len(items) >= 3:
                _click(driver, items[2])
            # A phone shows the cards (the text is above them); a desktop the whole page.
            driver.execute_script("document.getElementById('message').textContent = '';"
                                  "if (arguments[0]) window.scrollTo(0, 0);"
                                  "else document.querySelector('.list-col').scrollIntoView();",
                                  table == "true")  # fmt: skip
            time.sleep(0.3)
            driver.save_screenshot(os.fspath(target))
        finally:
            driver.quit()


def report_screenshot(inputs: list[Path], target: Path, workdir: Path) -> None:
    """The HTML report over the extraction of ``inputs``, opened from disk."""
    from ..api import extract_file
    from .report import write_report

    out = workdir / "out"
    out.mkdir(parents=True, exist_ok=True)
    for path in inputs:
        doc = extract_file(path, with_text=True)
        (out / f"{path.stem}.json").write_text(doc.to_json(), encoding="utf-8")
    html = workdir / "report.html"
    write_report(out, html)
    driver = chrome(workdir / "chrome-report")
    try:
        driver.get(html.resolve().as_uri() + "#doc-1")  # a document, its text highlighted
        time.sleep(0.3)
        driver.save_screenshot(os.fspath(target))
    finally:
        driver.quit()


def shrink_png(path: Path) -> None:
    """Re-encode a screenshot with a 256-colour palette (a third of the size), when Pillow
    is there (pdfplumber brings it)."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def _click(driver, element) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def _settle(driver, text: str) -> None:
    from selenium.webdriver.common.by import By

    wait_for(driver, lambda d: text in d.find_element(By.ID, "message").text)


def main(argv: Optional[list[str]] = None) -> int:
    """Write review.png, review-phone.png and report.png into OUTDIR."""
    parser = argparse.ArgumentParser(prog="python -m extractor.web.screenshots",
                                     description=__doc__.splitlines()[0])  # fmt: skip
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--sample", type=Path, help="Document shown on the review page.")
    parser.add_argument("--batch", type=Path, nargs="*", default=None,
                        help="Documents of the report (default: the sample and the first "
                             "files of corpus/docs).")  # fmt: skip
    args = parser.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="extractor-shots-") as tmp:
        work = Path(tmp)
        sample = args.sample or default_sample()
        if sample is None:
            sample = work / "mau.txt"
            sample.write_text(FALLBACK_SAMPLE, encoding="utf-8")
        batch = args.batch
        if batch is None:
            corpus = Path.cwd() / "corpus" / "docs"
            batch = [sample, *sorted(corpus.glob("*.txt"))[:3]] if corpus.is_dir() else [sample]
        review_screenshot(sample, args.outdir / "review.png", work)
        review_screenshot(sample, args.outdir / "review-phone.png", work, 390, 844)
        report_screenshot(batch, args.outdir / "report.png", work)
    names = ("review.png", "review-phone.png", "report.png")
    for name in names:
        shrink_png(args.outdir / name)
    print(json.dumps({name: str(args.outdir / name) for name in names}))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
