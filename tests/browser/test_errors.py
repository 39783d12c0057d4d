"""A script error in a real browser: readers see no traceback, no exception text and no server path.

The app's own ``.streamlit/config.toml`` is copied beside a script that
raises, so this tests the configuration the app ships with. A control run of
the same script under the legacy setting ``showErrorDetails = false`` (which
Streamlit 1.67 reads as "stacktrace") proves the detector sees a traceback
when there is one.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import READY, ROOT, start_server

pytestmark = pytest.mark.browser

RAISING = '''
import streamlit as st
st.markdown("Before the error")
raise RuntimeError("boom-marker raised in " + __file__)
'''


def serve_raising_script(folder, config: str):
    (folder / ".streamlit").mkdir()
    (folder / ".streamlit" / "config.toml").write_text(config, encoding="utf-8")
    script = folder / "raising.py"
    script.write_text(RAISING, encoding="utf-8")
    return start_server(script=script, log_dir=folder)


def reader_sees(page, server) -> str:
    pg = page.page
    pg.goto(server.url + "/")
    pg.get_by_text("Before the error").first.wait_for(timeout=60_000)
    pg.locator(READY).wait_for(timeout=60_000)
    pg.wait_for_timeout(500)
    return pg.inner_text("body")


@pytest.mark.parametrize(("setting", "shows_details"), [(None, False), ("false", True)], ids=["shipped-config", "control-legacy-false"])
def test_a_script_error_shows_readers_no_traceback_and_no_path(tmp_path, page, setting, shows_details):
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    if setting is not None:
        config, count = re.subn(r"(?m)^showErrorDetails = .*$", f"showErrorDetails = {setting}", config)
        assert count == 1
    server = serve_raising_script(tmp_path, config)
    try:
        body = reader_sees(page, server)
    finally:
        server.stop()
    leaked = [marker for marker in ("Traceback", "RuntimeError", "boom-marker", str(tmp_path), "raising.py") if marker in body]
    if shows_details:
        assert leaked, "the detector is blind: the legacy setting should show the traceback"
    else:
        assert leaked == [], f"a reader sees {leaked}"
