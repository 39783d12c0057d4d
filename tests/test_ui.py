"""figures.ui's pure parts: escaping for Streamlit markdown, and search matches in bold."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from figures import ui

MARKDOWN = MarkdownIt("commonmark", {"html": True})
"""A CommonMark renderer with raw HTML on: any tag, link or emphasis the escaping let through shows in its output.
(Bare addresses, which Streamlit links itself, are covered by the word joiner and tests/browser/test_hostile.py.)"""


def rendered(text: str) -> str:
    return MARKDOWN.renderInline(text)


@pytest.mark.parametrize(("text", "query", "html"), [
    ("10000 troops", "0", "<strong>10000</strong> troops"),  # back-to-back matches: one bold run, never ****
    ("worth US$7bn", "$7bn", "worth <strong>US$7bn</strong>"),  # a match at punctuation inside a word: the whole word
    ("Taliban-held areas", "-held", "<strong>Taliban-held</strong> areas"),
    ("More than $7bn of US weapons", "us  WEAPONS", "More than $7bn of <strong>US weapons</strong>"),
    ("a (two or three) b", "three", "a (two or <strong>three)</strong> b"),
    ("nothing here", "absent", "nothing here"),
    ("x", "", "x"),
])
def test_search_matches_are_bold_whole_words(text, query, html):
    assert rendered(ui.highlighted(text, query)) == html


@pytest.mark.parametrize("text", [
    "<img src=x onerror=alert(1)>", "[click](javascript:alert(1))", "see https://evil.example/x now", "www.evil.example",
    "mail me@evil.example", ":red[alarm] $x^2$ **bold**", "<script>alert(1)</script>",
])
@pytest.mark.parametrize("query", ["", "evil", "alert(1)", "https://evil.example/x", "[", "*", "<", ":", "$"])
def test_no_text_or_query_becomes_markup_or_a_link(text, query):
    html = rendered(ui.highlighted(text, query))

    assert "<a " not in html and "<img" not in html and "<script" not in html and "<em>" not in html
    assert html.replace("<strong>", "").replace("</strong>", "").replace("\u2060", "").replace("&lt;", "<").replace(
        "&gt;", ">").replace("&amp;", "&").replace("&quot;", '"') == " ".join(text.split())


def test_md_escape_is_highlighting_nothing():
    text = "Claimed by *someone* · via [x](y) https://a.example"
    assert ui.md_escape(text) == ui.highlighted(text, "")
    assert rendered(ui.md_escape(text)).replace("\u2060", "") == "Claimed by *someone* · via [x](y) https://a.example"
