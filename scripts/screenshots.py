"""Refresh the README's screenshots in docs/: home, one figure, the compare view and the catalogue, at 1280 and 375 px.

    python scripts/screenshots.py            # starts the app on data/figures.yaml, writes docs/<view>-<width>.png

Needs Debian's Chromium at /usr/bin/chromium (or FIGURES_CHROMIUM), as the browser tests do.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, wait_for_app  # noqa: E402

VIEWS = (
    ("home", "/", 3),
    ("figure", "/?figure=russia-iskander-stock", 1),
    ("compare", "/?story=russia-taliban-us-weapons&view=compare", 2),
    ("catalogue", "/?view=catalogue&q=missiles", 0),
)
"""Each screenshot's name, the address it shows and the charts to wait for."""
WIDTHS = {1280: 2000, 375: 2600}
"""Each width and the window height it is shot at: Streamlit scrolls inside its own container, so a full-page shot is the window."""


def main() -> None:
    from playwright.sync_api import sync_playwright

    server = start_server(ROOT / "data" / "figures.yaml")
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for width, height in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
                page = context.new_page()
                for name, address, charts in VIEWS:
                    page.goto(server.url + address)
                    wait_for_app(page, charts)
                    page.wait_for_timeout(500)  # let Vega finish its transitions
                    path = docs / f"{name}-{width}.png"
                    page.screenshot(path=str(path), full_page=True)
                    print(f"wrote {path.relative_to(ROOT)}")
                context.close()
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
