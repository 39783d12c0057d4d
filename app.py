"""The figures dashboard: load the catalogue, select a view from the URL, render it.

Run with ``streamlit run app.py``; the catalogue is ``$FIGURES_DATA`` or
``data/figures.yaml``. Views: home (``/``), one figure (``?figure=<id>``),
the catalogue (``?view=catalogue``) and how we rate (``?view=ratings``).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

import streamlit as st

from figures import exports, formatting, frames, ui
from figures.cli import DEFAULT_DATA, data_path
from figures.model import CREDIBILITY_GRADES, RELIABILITY_GRADES, Confidence, Qualifier
from figures.render import RenderError
from figures.search import Filters, Pager, page_of
from figures.store import CatalogueStore

# Full cards (each with a chart) per page of a story. The browser mounts every element and
# compiles every chart of a page before it draws the first chart, so each card delays the first
# one a reader sees; three cards are about three screens (bench/RESULTS.md has the measurements).
STORY_PAGE_SIZE = 3
CATALOGUE_PAGE_SIZE = 10  # search results per page of the catalogue view
NOT_FOUND = "We could not find that figure. It may have been renamed or removed."
NOT_FOUND_STORY = "We could not find that story. Here is the latest one."
MORE_STORIES = 10
# URL parameters bound to the catalogue view's widgets: they set the widgets, and the widgets keep them up to date.
# (A comment, not a docstring: Streamlit's magic writes a bare string of the script onto the page.)
BOUND_PARAMS = frozenset({"q", "stories", "topics", "claimants", "kinds", "confidence", "corrected", "results_page"})

# The icon is served by the app itself: a ":material/...:" icon makes every reader's browser
# fetch it from a third-party font host.
ICON = Path(__file__).with_name("figures") / "static" / "icon.png"  # the static site's favicon too
st.set_page_config(page_title="Figures", page_icon=str(ICON), layout="centered")


# -- load -------------------------------------------------------------------------------
@st.cache_resource
def _store(path: str) -> CatalogueStore:
    return CatalogueStore(path)


def _catalogue_path() -> Path:
    """``$FIGURES_DATA`` (relative to where the server was started), else the project's own ``data/figures.yaml``,
    wherever ``streamlit run path/to/app.py`` is started from."""
    return data_path(None) if os.environ.get("FIGURES_DATA") else Path(__file__).parent / DEFAULT_DATA


CATALOGUE_PATH = _catalogue_path()
status = _store(str(CATALOGUE_PATH)).status()
if status.notice and status.snapshot is not None:  # with nothing to serve, readers get the one line below
    st.warning(ui.md_escape(status.notice), icon=":material/report:")
if status.snapshot is None:
    # Readers get a calm line; the operator's log says which file and why.
    logging.getLogger("figures.app").error("no catalogue to serve from %s: %s", CATALOGUE_PATH.resolve(), status.notice or "it has no figures")
    st.error("No figures can be shown right now. Please try again later.")
    st.stop()
snapshot = status.snapshot
catalogue = snapshot.catalogue


# -- select -----------------------------------------------------------------------------
def _param(name: str) -> str | None:
    values = st.query_params.get_all(name)
    return values[0] if len(values) == 1 else ("" if values else None)


def _public_base() -> str:
    """The public address of the app: FIGURES_PUBLIC_URL if it is a safe http(s) address, else what the browser used."""
    configured = os.environ.get("FIGURES_PUBLIC_URL", "").strip()
    if configured:
        if exports.safe_url(configured):
            return configured.rstrip("/")
        logging.getLogger("figures.app").warning("FIGURES_PUBLIC_URL is not an http(s) address with a host; using the browser's")
    parts = urlsplit(st.context.url or "http://localhost:8501/")
    fallback = f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")
    return fallback if exports.safe_url(fallback) else "http://localhost:8501"


figure_id = _param("figure")
story_param = _param("story")
view = _param("view")
embedded = bool(st.context.is_embedded)
base_url = _public_base()


# -- render -----------------------------------------------------------------------------
def nav() -> None:
    # One row of links side by side at their own width: columns would spread three short links across a desktop page.
    with st.container(horizontal=True, gap="small"):
        st.page_link(PAGE, label="Home", icon=":material/home:", width="content")
        st.page_link(PAGE, label="Catalogue", icon=":material/search:", query_params={"view": "catalogue"}, width="content")
        st.page_link(PAGE, label="How we rate", icon=":material/rule:", query_params={"view": "ratings"}, width="content")


def csv_download(label: str, data, name: str, key: str) -> None:
    st.download_button(label, data=data, file_name=name, mime="text/csv", on_click="ignore", icon=":material/download:", key=key)


def home(story_id: str | None) -> None:
    ui.problems_notice(catalogue)
    story_id = story_or_newest(story_id)
    if story_id is None:
        return
    ui.story_header(catalogue, story_id)
    story_figures = snapshot.figures_by_story[story_id]
    comparisons = snapshot.comparison_specs(story_id)
    if comparisons:
        label = f"{len(comparisons)} chart{'s' if len(comparisons) > 1 else ''} comparing these figures side by side"
        st.page_link(PAGE, label=label, icon=":material/compare_arrows:", query_params={"story": story_id, "view": "compare"})
    shown, pager = page_of(story_figures, STORY_PAGE_SIZE, _param("page"))
    for figure in shown:
        ui.figure_card(figure, snapshot, PAGE)
    pager_links(pager, {"story": story_id})
    ui.text_coverage(snapshot, story_id)
    more_stories(story_id)
    csv_download("Download all figures (CSV)", lambda: snapshot.csv, "figures.csv", "csv-all")


def compare_view(story_id: str | None) -> None:
    story_id = story_or_newest(story_id)
    if story_id is None:
        return
    ui.story_header(catalogue, story_id)
    st.markdown("### Side by side")
    st.caption("Figures that count the same kind of thing, converted to one unit. Money is never drawn against counts, "
               "nor one currency against another, nor equipment against people or events.")
    comparisons = snapshot.comparison_specs(story_id)
    for spec in comparisons:
        st.vega_lite_chart(spec, theme=None, width="stretch")
    if not comparisons:
        st.info("No two figures of this story count the same kind of thing, so there is nothing to draw side by side.")
    st.page_link(PAGE, label="Back to the story", icon=":material/arrow_back:", query_params={"story": story_id})


def story_or_newest(story_id: str | None) -> str | None:
    """The story the URL asks for, else the newest one (with a calm notice when the URL named an unknown story)."""
    stories = snapshot.stories_newest_first
    if not stories:
        st.info("There are no figures in the catalogue yet.")
        return None
    if story_id not in snapshot.figures_by_story:
        if story_id is not None:
            st.info(NOT_FOUND_STORY, icon=":material/search_off:")
        story_id = stories[0]
    return story_id


def more_stories(story_id: str) -> None:
    stories = snapshot.stories_newest_first
    others = [s for s in stories if s != story_id][:MORE_STORIES]
    if others:
        st.markdown("### More stories")
        for other in others:
            st.page_link(PAGE, label=ui.md_escape(catalogue.stories[other].title), query_params={"story": other})
        if len(stories) > MORE_STORIES + 1:
            st.page_link(PAGE, label=f"All {len(stories)} stories in the catalogue", query_params={"view": "catalogue"})


def pager_links(pager: Pager, params: dict[str, str]) -> None:
    """Previous and next links that keep the page number in the URL, so every page is a permalink."""
    if pager.pages == 1:
        return
    st.caption(pager.caption())
    with st.container(horizontal=True):
        if pager.page > 1:
            st.page_link(PAGE, label="Previous", icon=":material/arrow_back:", query_params={**params, "page": str(pager.page - 1)})
        if pager.page < pager.pages:
            st.page_link(PAGE, label="Next", icon=":material/arrow_forward:", query_params={**params, "page": str(pager.page + 1)})


def paginate(items, size: int, key: str):
    """The slice of ``items`` on the page picked in a number box (shown only when there is more than one page)."""
    pages = page_of(items, size)[1].pages
    number = st.number_input("Page", min_value=1, max_value=pages, value=1, step=1, key=key, bind="query-params") if pages > 1 else 1
    shown, pager = page_of(items, size, number)
    if pager.pages > 1:
        st.caption(f"Page {pager.page} of {pager.pages} · {pager.total} figures")
    return shown


def figure_view(figure_id: str) -> None:
    figure = catalogue.figure(figure_id)
    if figure is None:
        st.info(NOT_FOUND, icon=":material/search_off:")
        st.page_link(PAGE, label="Back to all figures", icon=":material/arrow_back:")
        return
    if embedded:
        ui.figure_card(figure, snapshot, None, quotes=False)
        st.page_link(formatting.figure_url(base_url, figure.id), label="Full figure, sources and data", icon=":material/open_in_new:")
        ui.embed_height()
        return
    ui.story_header(catalogue, figure.story)
    ui.figure_card(figure, snapshot, None)
    st.markdown("### Every claim")
    ui.claims_table(figure, catalogue)
    journalist_tools(figure)
    st.page_link(PAGE, label="All figures", icon=":material/arrow_back:")


def journalist_tools(figure) -> None:
    st.markdown("### Use this figure")
    url = formatting.figure_url(base_url, figure.id)
    today = dt.date.today()
    accessed = f"{today.day} {today:%B %Y}"
    st.markdown("**Permalink**")
    st.code(url, language=None)
    st.markdown("**Embed** (paste into your article; the figure keeps its source line and badge)")
    st.code(formatting.iframe_snippet(base_url, figure), language="html", wrap_lines=True)
    st.markdown("**How to cite**")
    st.code(formatting.citation(figure, catalogue, url, accessed), language=None, wrap_lines=True)
    with st.expander("Full citation"):
        st.code(formatting.citation(figure, catalogue, url, accessed, full=True), language=None, wrap_lines=True)
    st.markdown("**Download**")
    with st.container(horizontal=True):
        for name, fmt in exports.EXPORTERS.items():
            st.download_button(
                fmt.label,
                data=lambda fmt=fmt: _render(fmt, figure),
                file_name=fmt.filename(figure),
                mime=fmt.media_type,
                on_click="ignore",
                icon=":material/download:",
                key=f"download-{name}",
            )


def _render(fmt, figure) -> bytes:
    """One download's bytes. The image formats draw in a guarded child process: a drawing that fails is one
    failed download (Streamlit tells the reader "Failed to generate file for download"), its reason goes to the log."""
    try:
        return fmt.render(catalogue, figure)
    except RenderError as err:
        logging.getLogger("figures.app").warning("the %s of %s could not be drawn: %s", fmt.name, figure.id, err.reason)
        raise


def catalogue_view() -> None:
    st.markdown("# Catalogue")
    ui.problems_notice(catalogue)
    index = snapshot.search
    # Every filter is bound to the URL (Streamlit's bind="query-params", the key naming the parameter: BOUND_PARAMS), so a
    # search is a permalink, ?view=catalogue&q=iskander&confidence=Claimed, as every Datasette view is.
    query = st.text_input("Search figures", placeholder="title, claimant, quote…", key="q", bind="query-params")
    cols = st.columns(2)
    stories = cols[0].multiselect("Story", sorted(catalogue.stories), format_func=lambda s: catalogue.stories[s].title,
                                  key="stories", bind="query-params")
    topics = cols[1].multiselect("Topic", index.facets["topics"], key="topics", bind="query-params")
    claimants = cols[0].multiselect("Claimant", index.facets["claimants"], format_func=formatting.capitalised, key="claimants",
                                    bind="query-params")
    kinds = cols[1].multiselect("Kind of source", index.facets["source_kinds"], key="kinds", bind="query-params")
    levels = st.multiselect("Confidence", [c.value for c in Confidence], format_func=lambda c: formatting.CONFIDENCE_LABELS[Confidence(c)],
                            key="confidence", bind="query-params")
    corrected = st.toggle("Only corrected figures", help="Figures whose published numbers were corrected; each says when and why.",
                          key="corrected", bind="query-params")
    filters = Filters(" ".join((query or "").split()), frozenset(stories), frozenset(topics), frozenset(claimants), frozenset(kinds), frozenset(levels),
                      corrected=corrected)
    found = index.find(filters)
    st.caption(f"{len(found)} of {len(index)} figures")
    shown = [catalogue.figure(i) for i in paginate(found, CATALOGUE_PAGE_SIZE, key="results_page")]
    ui.results_list(shown, catalogue, filters.text)
    if found and filters != Filters():
        chosen = tuple(catalogue.figure(i) for i in found)
        csv_download("Download this figure (CSV)" if len(found) == 1 else f"Download these {len(found):,} figures (CSV)",
                     lambda: exports.rows_to_csv(frames.claim_rows(catalogue, chosen)), "figures-selection.csv", "csv-found")
    csv_download("Download all figures (CSV)", lambda: snapshot.csv, "figures.csv", "csv-all")


def ratings_view() -> None:
    st.markdown("# How we rate")
    st.markdown("Every value carries one of four confidence levels, with a sentence that says why.")
    for level in Confidence:
        ui.badge(level)
        st.markdown(ui.md_escape(formatting.CONFIDENCE_MEANING[level]))
    st.markdown("## How to read the numbers")
    st.markdown("\n\n".join(f"**{formatting.QUALIFIER_LABELS[q]}:** {ui.md_escape(formatting.QUALIFIER_MEANING[q])}" for q in Qualifier))
    st.markdown(f"## {ui.CHART_KEY_HEADING}")
    st.markdown("\n".join(f"- **{mark}:** {ui.md_escape(meaning)}" for mark, meaning in formatting.CHART_KEY))
    st.markdown("## Intelligence grades (Admiralty code)")
    st.markdown("Some claims also carry a grade such as B2: a letter for how reliable the source has been, a number for how credible this piece of information is.")
    cols = st.columns(2)
    cols[0].dataframe({"Reliability": list(RELIABILITY_GRADES), "Meaning": list(RELIABILITY_GRADES.values())}, hide_index=True)
    cols[1].dataframe({"Credibility": list(CREDIBILITY_GRADES), "Meaning": list(CREDIBILITY_GRADES.values())}, hide_index=True)


def render() -> None:
    if not embedded:
        # A page link to this same page reruns it with new parameters but leaves the address bar as it
        # was; writing the parameters back puts them in the address bar, so every view stays a permalink.
        # The catalogue's filters are bound to their widgets, which keep them in the address bar themselves; update()
        # sends the address once even when no other parameter is left (after "Home"), where a loop would send nothing.
        st.query_params.update({k: st.query_params.get_all(k) for k in st.query_params if k not in BOUND_PARAMS})
        nav()
    if figure_id is not None:
        figure_view(figure_id)
    elif view == "catalogue":
        catalogue_view()
    elif view == "ratings":
        ratings_view()
    elif view == "compare":
        compare_view(story_param)
    else:
        home(story_param)


# One page whose views are chosen by the URL, so every view is a permalink.
PAGE = st.Page(render, title="Figures", icon=":material/bar_chart:", default=True)
st.navigation([PAGE], position="hidden").run()
