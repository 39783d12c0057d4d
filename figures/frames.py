"""The catalogue as tidy rows: one per claim (the CSV), one per figure (search), and the app's tables.

The rows are the single source of every tabular view: the CSV export, the
app's tables (:func:`reader_frame`: "Every claim" and the data behind a chart)
and the static build all start from :func:`claim_row`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from figures import formatting
from figures.model import Catalogue, Claim, Figure

if TYPE_CHECKING:
    import pandas as pd

CSV_COLUMNS = (
    "figure_id", "figure_title", "story", "story_title", "topic", "tags",
    "value", "low", "high", "qualifier", "unit",
    "value_canonical", "low_canonical", "high_canonical", "unit_canonical",
    "as_of", "claimant", "source", "source_name", "source_kind", "source_published", "source_url",
    "via", "quote", "confidence", "confidence_note", "reliability", "credibility", "headline",
    "corrections", "version",
)
"""Columns of the tidy CSV, in order. ``via`` and ``tags`` are joined with ``"; "``, corrections one a line."""

NUMERIC_COLUMNS = ("value", "low", "high", "value_canonical", "low_canonical", "high_canonical", "credibility", "version")

COLUMN_DESCRIPTIONS = {
    "figure_id": "The figure's id (a slug); the permalink is ?figure=<id>.",
    "figure_title": "What the number counts.",
    "story": "Id of the story that uses the figure.",
    "story_title": "Title of that story.",
    "topic": "The figure's topic.",
    "tags": "The figure's tags, joined with '; '.",
    "value": "The number claimed, in `unit`; empty for a range.",
    "low": "Lower end of a range, in `unit`.",
    "high": "Upper end of a range, in `unit`.",
    "qualifier": "How exact the value is: exact, approximately, just_under, more_than, at_least, less_than, at_most or range.",
    "unit": "The unit as written in the catalogue.",
    "value_canonical": "`value` converted to `unit_canonical`.",
    "low_canonical": "`low` converted to `unit_canonical`.",
    "high_canonical": "`high` converted to `unit_canonical`.",
    "unit_canonical": "The unit every figure of this dimension is converted to for comparison.",
    "as_of": "When the value held: YYYY, YYYY-MM or YYYY-MM-DD, only as precise as the source.",
    "claimant": "Who asserts the value, as it reads after \"According to\" (a description starts in lower case).",
    "source": "Id of the source that published the claim.",
    "source_name": "Name of that source.",
    "source_kind": "Kind of source: news report, official document, ...",
    "source_published": "When the source was published, if known.",
    "source_url": "Link to the source, if the catalogue has one.",
    "via": "Ids of the sources the claim travelled through to reach the story, joined with '; '.",
    "quote": "The story's exact words.",
    "confidence": "confirmed, reported, claimed or unverified.",
    "confidence_note": "Why the claim has that rating.",
    "reliability": "Admiralty code source reliability (A-F), if graded.",
    "credibility": "Admiralty code information credibility (1-6), if graded.",
    "headline": "The value written as a journalist would, e.g. 'more than $7bn'.",
    "corrections": "Every correction of the figure, one a line, oldest first: 'YYYY-MM-DD: what was wrong and what changed'.",
    "version": "The published version of the figure this row belongs to (see its page's v<N>/ archive); empty if never published.",
}


def claim_row(figure: Figure, claim: Claim, catalogue: Catalogue) -> dict[str, object]:
    """One claim as a flat dict with the columns of :data:`CSV_COLUMNS` (the version from ``catalogue.published``)."""
    info = figure.unit_info
    source = catalogue.sources.get(claim.source)
    story = catalogue.stories.get(figure.story)
    return {
        "figure_id": figure.id,
        "figure_title": figure.title,
        "story": figure.story,
        "story_title": story.title if story else None,
        "topic": figure.topic,
        "tags": "; ".join(figure.tags) or None,
        "value": claim.value,
        "low": claim.low,
        "high": claim.high,
        "qualifier": claim.qualifier.value,
        "unit": figure.unit,
        "value_canonical": _scaled(claim.value, info.factor),
        "low_canonical": _scaled(claim.low, info.factor),
        "high_canonical": _scaled(claim.high, info.factor),
        "unit_canonical": info.canonical,
        "as_of": claim.as_of.iso,
        "claimant": claim.claimant,
        "source": claim.source,
        "source_name": source.name if source else None,
        "source_kind": source.kind if source else None,
        "source_published": source.published.iso if source and source.published else None,
        "source_url": source.url if source else None,
        "via": "; ".join(claim.via) or None,
        "quote": claim.quote,
        "confidence": claim.confidence.value,
        "confidence_note": claim.confidence_note,
        "reliability": claim.reliability,
        "credibility": claim.credibility,
        "headline": formatting.claim_value(claim, figure.unit_info),
        "corrections": "\n".join(f"{c.date.iso}: {c.note}" for c in figure.corrections) or None,
        "version": catalogue.published[figure.id][0] if figure.id in catalogue.published else None,
    }


def claim_rows(catalogue: Catalogue, figures: tuple[Figure, ...] | None = None) -> list[dict[str, object]]:
    """Every claim of the given figures (default: all) as rows, in catalogue order."""
    chosen = catalogue.figures if figures is None else figures
    return [claim_row(f, c, catalogue) for f in chosen for c in f.claims]


READER_COLUMNS = ("As written", "Number", "Low", "High", "Qualifier", "As of", "Claimant", "Source", "Via", "Quote",
                  "Quote checked", "Confidence", "Why")
"""The columns of the app's claim tables, in a reader's words (:func:`reader_frame`)."""
CHART_DATA_COLUMNS = ("As written", "Number", "Low", "High", "Qualifier", "As of", "Claimant", "Confidence", "Source")
"""The columns of "Show the data behind this chart": what the chart draws, one row per claim in date order."""


def reader_frame(figure: Figure, catalogue: Catalogue, columns: tuple[str, ...] = READER_COLUMNS) -> pd.DataFrame:
    """A figure's claims for readers, in date order: words for headers, qualifiers and ratings, a blank where there is nothing.

    Built from :func:`claim_row`, like the CSV, so the tables and the download say the same.
    Every cell is text: "As written" as the story words it, the numbers in full with their unit (``$7,000,000,000``).
    """
    import pandas as pd  # only the app's tables need it: the CSV and `figures check` do not

    info = figure.unit_info
    out = []
    for claim in sorted(figure.claims, key=lambda c: c.as_of):
        row = claim_row(figure, claim, catalogue)
        reader = {
            "As written": row["headline"],
            "Number": _written(row["value"], info),
            "Low": _written(row["low"], info),
            "High": _written(row["high"], info),
            "Qualifier": formatting.QUALIFIER_LABELS[claim.qualifier],
            "As of": claim.as_of.label,
            "Claimant": formatting.capitalised(claim.claimant),
            "Source": formatting.source_label(catalogue.sources[claim.source]) if claim.source in catalogue.sources else claim.source,
            "Via": ", ".join(catalogue.sources[v].name for v in claim.via if v in catalogue.sources),
            "Quote": claim.quote,
            "Quote checked": f"Against the {claim.checked}'s archived text" if claim.checked else "Not checked",
            "Confidence": formatting.CONFIDENCE_LABELS[claim.confidence],
            "Why": claim.confidence_note or "",
        }
        out.append({column: reader[column] for column in columns})
    return pd.DataFrame(out, columns=list(columns))


def _written(value: float | None, info) -> str:
    """A number in full with its unit (``23,825 vehicles``, ``$7,000,000,000``), or a blank."""
    return "" if value is None else formatting.number(value, info, compact=False)


def figure_records(catalogue: Catalogue) -> list[dict[str, object]]:
    """One record per figure, in catalogue order, for search and filters: the text to search and the facets."""
    records = []
    for index, figure in enumerate(catalogue.figures):
        source_kinds = sorted({catalogue.sources[c.source].kind for c in figure.claims if c.source in catalogue.sources})
        records.append({
            "order": index,
            "figure_id": figure.id,
            "title": figure.title,
            "story": figure.story,
            "topics": list(figure.topics),
            "claimants": sorted({c.claimant for c in figure.claims}),
            "source_kinds": source_kinds,
            "confidence": formatting.confidence_summary(figure).value,
            "headline": formatting.headline(figure),
            "search_text": " ".join([figure.id, figure.title, figure.description or "", *figure.topics,
                                     *(c.claimant for c in figure.claims), *(c.quote for c in figure.claims)]).casefold(),
        })
    return records


def _scaled(value: float | None, factor: float) -> float | None:
    if value is None:
        return None
    scaled = value * factor
    return int(scaled) if isinstance(value, int) and factor == 1 else scaled
