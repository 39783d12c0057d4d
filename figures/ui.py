"""Page pieces for the Streamlit app: cards, badges, tables, notices.

Every string that comes from the catalogue or the URL goes through
:func:`md_escape` before it reaches markdown, so data can never add links
(written ones or autolinked addresses), colours, LaTeX or HTML to the page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote

import pandas as pd
import streamlit as st

from figures import formatting, frames
from figures.model import Catalogue, Confidence, Figure
from figures.store import Snapshot, display_path

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|:$~&=^\"'])")
WORD_JOINER = "\u2060"
"""An invisible character that breaks no word; put inside an address, it stops the markdown renderer linking it."""
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(?=://)|(?<=www)(?=\.)|(?<=[-.\w+])(?=@)")
"""Where GitHub-flavoured markdown would start an autolink: ``https://``, ``www.`` and ``name@host``."""
_BADGE_ICONS = {
    Confidence.CONFIRMED: ":material/verified:",
    Confidence.REPORTED: ":material/article:",
    Confidence.CLAIMED: ":material/campaign:",
    Confidence.UNVERIFIED: ":material/help:",
}


EMBED_HEIGHT_SCRIPT = """<script>
(function () {
  if (window.parent === window || window.figuresHeight) return;
  window.figuresHeight = 1;
  var last = 0;
  function post() {
    var block = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!block) return;
    var style = getComputedStyle(block);
    var height = Math.ceil(block.getBoundingClientRect().bottom + window.scrollY);
    if (height === last) return;
    last = height;
    window.parent.postMessage({type: "figures:height", height: height}, "*");
  }
  new MutationObserver(post).observe(document.body, {childList: true, subtree: true, attributes: true});
  if (window.ResizeObserver) new ResizeObserver(post).observe(document.body);
  window.addEventListener("resize", post);
  post();
})();
</script>"""
"""The embed view's script (no data in it): inside an iframe, post the page's height to the host, as a figure card does.

The host's part is :data:`figures.formatting.HOST_SCRIPT`, in the embed code.
"""


def embed_height() -> None:
    """Run :data:`EMBED_HEIGHT_SCRIPT` on the page (the embed view only)."""
    st.html(EMBED_HEIGHT_SCRIPT, unsafe_allow_javascript=True)


def md_escape(text: object) -> str:
    """Escape text for Streamlit markdown: every markdown, directive and LaTeX character is literal.

    Newlines become spaces so data cannot start a new block. Backslash escapes
    do not stop autolinks (Streamlit finds bare ``https://…``, ``www.…`` and
    e-mail addresses in the text after escapes are read), so a
    :data:`WORD_JOINER` goes before ``://``, after ``www`` and before ``@``:
    the reader sees the same text, and no address becomes a link.
    """
    return highlighted(text, "")


def badge(confidence: Confidence, reason: str | None = None) -> None:
    """The confidence badge: a word and an icon, never colour alone; the reason on hover."""
    help_text = md_escape(reason) if reason else md_escape(formatting.CONFIDENCE_MEANING[confidence])
    st.badge(formatting.CONFIDENCE_LABELS[confidence], icon=_BADGE_ICONS[confidence], color=formatting.CONFIDENCE_COLOURS[confidence], help=help_text)


def figure_card(figure: Figure, snapshot: Snapshot, page: st.Page | None, *, quotes: bool = True) -> None:
    """One figure as a card: headline number, badge, reason, attribution, quote, chart.

    With ``page``, the card ends with a permalink to ``?figure=<id>`` on that page.
    """
    summary, reason = _summary_and_reason(figure)
    with st.container(border=True):
        # Each element costs the browser a component before the first chart can draw, so what
        # reads as one block is sent as one: title and number, the reasons and sources, the quotes.
        st.markdown(f"#### {md_escape(figure.title)}\n\n## {md_escape(formatting.headline(figure))}")
        badge(summary, reason)
        if figure.corrections:  # never silent: a corrected figure says so before anything else about it
            st.info("\n\n".join(_correction_lines(figure)), icon=":material/edit_note:")
        st.caption("\n\n".join(_reason_and_sources(figure, snapshot.catalogue, summary, reason) + _updated(figure, snapshot.catalogue)
                               + [CHART_KEY_LINK]))
        if quotes:
            st.markdown("\n\n".join(f"> {md_escape(quote)}" for quote in dict.fromkeys(c.quote for c in figure.claims)))
            checked = formatting.checked_line(figure.claims)
            if checked:
                st.caption(f":material/fact_check: {md_escape(checked)}")
        chart_with_data(figure, snapshot)
        if page is not None:
            permalink(page, figure)


RESULT_LINK = "Permalink, sources and downloads (opens in a new tab)"
CHART_KEY_HEADING = "How to read these charts"
"""The heading of the key to the charts' marks on How we rate; Streamlit anchors it as ``#how-to-read-these-charts``."""
CHART_KEY_LINK = f"[:material/help: How to read this chart](?view=ratings#{CHART_KEY_HEADING.lower().replace(' ', '-')})"
"""Each card's link to the key (a markdown link: Streamlit opens it in a new tab, so an embed's host page stays)."""


def results_list(figures: Sequence[Figure], catalogue: Catalogue, query: str = "") -> None:
    """Search results: what :func:`figure_card` says in words, without quote or chart, all in one markdown block.

    One element for the whole page of results keeps a rerun after a search
    short. Each result links to its figure's permalink page in a new tab, as
    Streamlit opens every markdown link, so the search stays where it was; the
    label says so.
    """
    blocks = [_result_markdown(figure, catalogue, query) for figure in figures]
    if blocks:
        st.markdown("\n\n---\n\n".join(blocks))


def highlighted(text: str, query: str) -> str:
    """``text`` escaped as :func:`md_escape` does, with the words holding a case-blind match of ``query`` in bold.

    A bold run always spans whole words (from a space to a space): markdown opens and closes ``**`` only
    at such edges (``US**$7bn**`` would show its asterisks), and no address can then be split between a
    bold piece and a plain one, so each piece is escaped, and its autolinks broken, on its own.
    """
    flat = " ".join(str(text).split())
    words = query.split()
    spans: list[list[int]] = []
    if words:
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
        for match in pattern.finditer(flat):
            start = flat.rfind(" ", 0, match.start()) + 1
            end = flat.find(" ", match.end())
            end = len(flat) if end < 0 else end
            if spans and start <= spans[-1][1] + 1:  # touching or overlapping: one bold run
                spans[-1][1] = max(spans[-1][1], end)
            else:
                spans.append([start, end])
    out, done = [], 0
    for start, end in spans:
        out += [_escaped(flat[done:start]), "**", _escaped(flat[start:end]), "**"]
        done = end
    return "".join(out) + _escaped(flat[done:])


def _escaped(piece: str) -> str:
    """One piece of flat text with its autolinks broken and every markdown character escaped."""
    return _MD_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, piece))


def _result_markdown(figure: Figure, catalogue: Catalogue, query: str = "") -> str:
    summary, reason = _summary_and_reason(figure)
    quoted = [m for q in dict.fromkeys(c.quote for c in figure.claims) if query and (m := highlighted(q, query)) != md_escape(q)]
    lines = [
        f"#### {highlighted(figure.title, query)}",
        f"**{md_escape(formatting.headline(figure))}** "
        f":{formatting.CONFIDENCE_COLOURS[summary]}-badge[{_BADGE_ICONS[summary]} {formatting.CONFIDENCE_LABELS[summary]}]",
        *_correction_lines(figure),
        *_reason_and_sources(figure, catalogue, summary, reason, query),
        *(f"> {m}" for m in quoted),  # the quote that matched, so the reader sees why the figure is here
        *_updated(figure, catalogue),
        f"[:material/open_in_new: {RESULT_LINK}](?figure={quote(figure.id)})",
    ]
    return "\n\n".join(lines)


def _correction_lines(figure: Figure) -> list[str]:
    """Markdown of each correction: the date in bold, the note as text."""
    return [f"**Corrected {md_escape(c.date.label)}:** {md_escape(c.note)}" for c in figure.corrections]


def _updated(figure: Figure, catalogue: Catalogue) -> list[str]:
    line = formatting.last_updated(figure, catalogue)
    return [] if line is None else [md_escape(line)]


def _summary_and_reason(figure: Figure) -> tuple[Confidence, str | None]:
    """The figure's confidence and the reason the first claim at that level gives, if any."""
    summary = formatting.confidence_summary(figure)
    return summary, next((c.confidence_note for c in figure.claims if c.confidence is summary), None)


def _reason_and_sources(figure: Figure, catalogue: Catalogue, summary: Confidence, reason: str | None, query: str = "") -> list[str]:
    """Markdown lines of a card and a search result: why we rate it so, then who claims it and through whom (``query`` in bold)."""
    why = [f"**Why {formatting.CONFIDENCE_LABELS[summary].lower()}:** {md_escape(reason)}"] if reason is not None else []
    return why + [highlighted(line, query) for line in _attributions(figure, catalogue)]


def permalink(page: st.Page, figure: Figure) -> None:
    """The link to a figure's own page: ``?figure=<id>``, with its sources and downloads."""
    st.page_link(page, label="Permalink, sources and downloads", icon=":material/link:", query_params={"figure": figure.id})


def chart_with_data(figure: Figure, snapshot: Snapshot) -> None:
    """The figure's chart (house theme, no Streamlit restyling) and its data one click away.

    The table is built only when the reader opens it: a data grid per card
    would delay every chart on the page.
    """
    st.vega_lite_chart(snapshot.figure_spec(figure.id), theme=None, width="stretch")
    data = st.expander("Show the data behind this chart", key=f"data-{figure.id}", on_change="rerun")
    if data.open:
        with data:
            table(snapshot.chart_table(figure.id))


def claims_table(figure: Figure, catalogue: Catalogue) -> None:
    """Every claim of a figure, each as a table of its fields (what it says down the left, as a record page does), then a
    link to each source that has one.

    A row a claim has nothing for is left out. Two columns read at 375 pixels as at 1280, where one row per
    claim would squeeze fourteen columns into the page's width.
    """
    frame = frames.reader_frame(figure, catalogue)
    for _, claim in frame.iterrows():
        fields = [(f"**{md_escape(column)}**", md_escape(value)) for column, value in claim.items() if value]
        st.table(pd.DataFrame(fields, columns=["Field", "Value"]), hide_index=True, hide_header=True)
    linked = dict.fromkeys(c.source for c in figure.claims if c.source in catalogue.sources and catalogue.sources[c.source].url)
    if linked:
        with st.container(horizontal=True):
            for source_id in linked:
                source = catalogue.sources[source_id]
                st.link_button(f"Open the source: {md_escape(source.name)}", source.url, icon=":material/open_in_new:")  # a label is markdown


def table(frame: pd.DataFrame) -> None:
    """A static table whose cells wrap (Streamlit's data grid clips long text); every cell escaped, as its cells are markdown."""
    st.table(frame.rename(columns=md_escape).map(md_escape), hide_index=True)


def problems_notice(catalogue: Catalogue) -> None:
    """A notice for editors listing every skipped entry with its file:line message."""
    if not catalogue.problems:
        return
    st.warning(
        f"{len(catalogue.problems)} problem(s) in the catalogue file: the entries they affect are not shown. "
        "Editors: fix them and save; the page updates on the next refresh.",
        icon=":material/edit_note:",
    )
    with st.expander("Problems for editors"):
        st.code("\n".join(f"{display_path(p.path)}:{p.line}: {p.message}" for p in catalogue.problems), language=None, wrap_lines=True)


def text_coverage(snapshot: Snapshot, story_id: str) -> None:
    """For editors: every figure the story's archived text writes, and the figure holding it or why it is left out."""
    rows = snapshot.text_coverage(story_id)
    if not rows:
        return
    missed = sum(1 for r in rows if not r.held_by and r.left_out is None)
    label = f"For editors: the {len(rows)} figures of the story's text" + (f", {missed} held by no claim" if missed else ", every one accounted for")
    with st.expander(label, icon=":material/fact_check:"):
        st.dataframe(pd.DataFrame([{
            "Line": r.line,
            "As written": r.written,
            "In the catalogue": "; ".join(r.held_by) if r.held_by else f"Left out: {r.left_out}" if r.left_out else "Held by no claim",
        } for r in rows]), hide_index=True, width="stretch")


def story_header(catalogue: Catalogue, story_id: str) -> None:
    """The story a set of figures comes from: title, publisher, date, link when known."""
    story = catalogue.stories.get(story_id)
    if story is None:
        return
    st.markdown(f"# {md_escape(story.title)}")
    st.caption(md_escape(f"{story.publisher} · {story.published.label}"))
    if story.note:
        st.caption(md_escape(story.note))
    if story.url:
        st.link_button("Read the story", story.url)


def _attributions(figure: Figure, catalogue: Catalogue) -> list[str]:
    return list(dict.fromkeys(formatting.attribution(c, catalogue) for c in figure.claims))
