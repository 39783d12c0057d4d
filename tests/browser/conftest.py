"""Real Streamlit servers driven by Debian's Chromium through Playwright.

Every test here starts (or shares) a real ``streamlit run app.py`` on a free
loopback port and loads it in headless Chromium; ``start_server`` also starts
the benchmark's bare pages. Screenshots go to
``test-artifacts/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import STORY_PAGE_SIZE as STORY_PAGE_SIZE  # figures on one page of a story, read from app.py (its one definition)

ROOT = Path(__file__).parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("FIGURES_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
CHART_DRAWN = '[data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] canvas'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running ``streamlit run`` of the app (or of a bare benchmark page)."""

    url: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_server(data: Path | str | None = None, extra_env: dict[str, str] | None = None,
                 script: Path = ROOT / "app.py", log_dir: Path = ARTIFACTS) -> Server:
    """Start a Streamlit script (the app unless told) on a free port and wait until its health check answers.

    The script runs in its own folder, so it reads that folder's ``.streamlit/config.toml``;
    ``bench/run.py`` starts its bare floor pages with this too.
    """
    port = free_port()
    env = {**os.environ, **(extra_env or {})}
    if data is not None:
        env["FIGURES_DATA"] = str(data)
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"streamlit-{port}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=script.parent, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return Server(url, process, log)
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"streamlit did not become healthy within 60 s: {log.read_text()[-2000:]}")


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """The app on data/figures.yaml, shared by the session."""
    srv = start_server(ROOT / "data" / "figures.yaml")
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium; fails (not skips) when it is missing, since CI installs it."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: install Debian's chromium (bash scripts/test.sh does)"
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watched:
    """A page with its JavaScript errors and console errors collected."""

    page: object
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    """The URL of every request the page made (documents, scripts, icons, fonts, data)."""

    def foreign_requests(self) -> list[str]:
        """Requests to any host but the loopback servers of the test: a reader's browser must ask no one else."""
        return [url for url in self.requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")
                and urlsplit(url).hostname not in ("127.0.0.1", "localhost")]


@pytest.fixture
def page(browser) -> Iterator[Watched]:
    """A fresh browser context and page, 1280x900, with errors and dialogs recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    watched = Watched(pg)
    pg.on("pageerror", lambda exc: watched.errors.append(str(exc)))
    pg.on("dialog", lambda d: (watched.dialogs.append(d.message), d.dismiss()))
    pg.on("request", lambda request: watched.requests.append(request.url))
    yield watched
    context.close()


def wait_for_app(pg, charts: int, timeout: float = 60_000) -> int:
    """Wait until the script has finished, at least ``charts`` charts exist and every chart has drawn.

    Returns the number of charts drawn.
    """
    pg.wait_for_function(
        """(n) => {
            const app = document.querySelector('[data-testid="stApp"]');
            const boxes = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
            const drawn = boxes.filter(b => b.querySelector('svg, canvas'));
            return app && app.dataset.testScriptState === 'notRunning'
                && document.querySelector('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]')
                && boxes.length >= n && drawn.length === boxes.length;
        }""",
        arg=charts, timeout=timeout,
    )
    return pg.locator(CHART_DRAWN).count()


def screenshot(pg, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path
