"""The renderer's guard: drawing happens in a child process, and a crash, a hang or an error there is one RenderError."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import threading
import time

import pytest

from figures import images, render
from figures.exports import chart_spec
from figures.render import MESSAGE, Pool, Renderer, RenderError
from tests.test_charts import CATALOGUE

GOOD = CATALOGUE.figure("humvees-left")
SPEC = chart_spec(CATALOGUE, GOOD)
POISONED = chart_spec(CATALOGUE, dataclasses.replace(GOOD, title="ab\ufffecd"))
"""A title with a noncharacter: vl-convert panics and aborts whatever process draws it."""
HEAVY = ("altair", "pandas", "pint", "yaml", "streamlit", "click")


@pytest.fixture(scope="module")
def expected_png() -> bytes:
    return images.draw_png(SPEC)


def test_the_module_loads_nothing_heavy_and_neither_does_its_child():
    code = f"import sys, figures.render; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "", f"figures.render pulled in {done.stdout.strip()}"
    with Renderer() as renderer:
        loaded = renderer.call(eval, f"[m for m in {HEAVY!r} if m in __import__('sys').modules]")
        child = renderer.call(os.getpid)
    assert loaded == []
    assert child != os.getpid()


def test_a_crash_of_the_renderer_is_one_render_error_and_the_next_call_starts_a_fresh_child(expected_png, capfd):
    with Renderer() as renderer:
        first = renderer.call(os.getpid)

        with pytest.raises(RenderError) as caught:
            renderer.call(images.draw_png, POISONED)

        assert renderer.call(images.draw_png, SPEC) == expected_png
        assert renderer.call(os.getpid) != first
    assert str(caught.value) == MESSAGE  # safe for readers: no path, no traceback, no data
    assert caught.value.reason.startswith("the drawing process was killed by SIGABRT: ")
    assert "NonXmlChar" in caught.value.reason and "\n" not in caught.value.reason
    assert "panicked" not in capfd.readouterr().err


def test_a_hung_drawing_is_stopped_at_the_timeout_and_the_next_call_works():
    with Renderer(timeout=1) as renderer:
        hung = renderer.call(os.getpid)
        started = time.monotonic()

        with pytest.raises(RenderError, match=MESSAGE) as caught:
            renderer.call(time.sleep, 60)

        assert time.monotonic() - started < 10
        assert caught.value.reason == "the drawing took longer than 1 s and was stopped"
        assert renderer.call(len, "abc") == 3
    with pytest.raises(ProcessLookupError):
        os.kill(hung, 0)  # the hung child was killed, not left behind


@pytest.mark.parametrize(("function", "args", "reason"), [
    (images.draw_png, ({"mark": 3},), "ValueError: Vega-Lite to SVG conversion failed"),
    (images.accessible_svg, ("<html></html>", "x", "t", "d"), "ValueError: vl-convert returned something that does not start with <svg>"),
])
def test_an_exception_in_the_renderer_is_a_render_error_with_its_reason(function, args, reason):
    renderer = render.shared()
    child = renderer.call(os.getpid)

    with pytest.raises(RenderError, match=MESSAGE) as caught:
        renderer.call(function, *args)

    assert caught.value.reason.startswith(reason)
    assert renderer.call(os.getpid) == child  # an error the renderer raised costs no restart


def test_a_crash_among_concurrent_calls_fails_only_that_call(expected_png):
    renderer = render.shared()
    results: dict[int, object] = {}

    def draw(i: int) -> None:
        try:
            results[i] = renderer.call(images.draw_png, POISONED if i == 3 else SPEC)
        except RenderError as err:
            results[i] = err

    threads = [threading.Thread(target=draw, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert isinstance(results.pop(3), RenderError)
    assert results == {i: expected_png for i in (0, 1, 2, 4, 5)}


def test_a_pool_loses_only_the_call_that_crashed(expected_png):
    with Pool(2) as pool:
        with pytest.raises(RenderError):
            pool.call(images.draw_png, POISONED)
        assert [pool.call(images.draw_png, SPEC) for _ in range(3)] == [expected_png] * 3


@pytest.mark.parametrize(("value", "timeout"), [
    (None, render.DEFAULT_TIMEOUT), ("2.5", 2.5), ("0.01", 0.01), ("", render.DEFAULT_TIMEOUT), ("soon", render.DEFAULT_TIMEOUT),
    ("0", render.DEFAULT_TIMEOUT), ("-1", render.DEFAULT_TIMEOUT), ("nan", render.DEFAULT_TIMEOUT), ("inf", render.DEFAULT_TIMEOUT),
])
def test_the_timeout_comes_from_the_environment_when_it_is_a_positive_number(monkeypatch, value, timeout):
    if value is None:
        monkeypatch.delenv(render.TIMEOUT_ENV, raising=False)
    else:
        monkeypatch.setenv(render.TIMEOUT_ENV, value)

    assert render.default_timeout() == timeout
    assert Renderer().timeout == timeout
