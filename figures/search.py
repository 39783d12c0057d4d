"""Search, filters and pages of results, answered from an index built once per file version.

The index holds plain tuples, not a DataFrame: a reader's search is one
substring test per figure (about 4 ms for 10,000 figures, against 10 ms for
``Series.str.contains`` and a DataFrame copy per filter), and a rerun of the
catalogue view spends its time here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from figures import frames
from figures.model import Catalogue

T = TypeVar("T")

FACETS = ("topics", "claimants", "source_kinds")
"""The filters whose choices come from the catalogue, each a set of values per figure."""


@dataclass(frozen=True)
class Filters:
    """What a reader asked for: words to find and the facet values to keep (empty means all)."""

    text: str = ""
    stories: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    claimants: frozenset[str] = frozenset()
    source_kinds: frozenset[str] = frozenset()
    confidence: frozenset[str] = frozenset()
    corrected: bool = False
    """Keep only figures that carry a correction."""


class SearchIndex:
    """Every figure's search text and facets, in catalogue order.

    Parameters
    ----------
    catalogue
        The loaded catalogue; the text searched is :func:`figures.frames.figure_records`' ``search_text``.
    """

    def __init__(self, catalogue: Catalogue) -> None:
        records = frames.figure_records(catalogue)
        self.ids: tuple[str, ...] = tuple(r["figure_id"] for r in records)
        self._texts: tuple[str, ...] = tuple(r["search_text"] for r in records)
        self._stories: tuple[str, ...] = tuple(r["story"] for r in records)
        self._confidence: tuple[str, ...] = tuple(r["confidence"] for r in records)
        self._corrected: tuple[bool, ...] = tuple(bool(f.corrections) for f in catalogue.figures)
        self._sets = {name: tuple(frozenset(r[name]) for r in records) for name in FACETS}
        self.facets: dict[str, list[str]] = {name: sorted(set().union(*self._sets[name]), key=lambda s: (s.casefold(), s)) for name in FACETS}
        """The choices of each facet filter, sorted."""

    def __len__(self) -> int:
        return len(self.ids)

    def find(self, filters: Filters) -> list[str]:
        """Ids of the figures that match every filter, in catalogue order.

        The text matches case-insensitively anywhere in a figure's id, title,
        description, topics, claimants or quotes; a facet matches when the
        figure has any of the chosen values; ``corrected`` keeps figures with a correction.
        """
        rows: range | list[int] = range(len(self.ids))
        needle = " ".join(filters.text.split()).casefold()
        if needle:
            texts = self._texts
            rows = [i for i in rows if needle in texts[i]]
        for chosen, values in ((filters.stories, self._stories), (filters.confidence, self._confidence)):
            if chosen:
                rows = [i for i in rows if values[i] in chosen]
        if filters.corrected:
            rows = [i for i in rows if self._corrected[i]]
        for name in FACETS:
            chosen = getattr(filters, name)
            if chosen:
                sets = self._sets[name]
                rows = [i for i in rows if not chosen.isdisjoint(sets[i])]
        return [self.ids[i] for i in rows]


@dataclass(frozen=True)
class Pager:
    """Where one page sits in a paged list: page numbers from 1, items numbered from 1."""

    page: int
    pages: int
    total: int
    size: int

    @property
    def first(self) -> int:
        """Number of the first item on the page (0 when there are none)."""
        return min(self.total, (self.page - 1) * self.size + 1)

    @property
    def last(self) -> int:
        """Number of the last item on the page."""
        return min(self.total, self.page * self.size)

    def caption(self) -> str:
        """Where the page sits, in words: ``Figures 1–3 of 10 · page 1 of 4``; a page of one figure says ``Figure 10 of 10``."""
        shown = f"Figure {self.first:,}" if self.first == self.last else f"Figures {self.first:,}–{self.last:,}"
        return f"{shown} of {self.total:,} · page {self.page:,} of {self.pages:,}"


def page_of(items: Sequence[T], size: int, page: object = 1) -> tuple[Sequence[T], Pager]:
    """The items on one page and where that page sits.

    ``page`` may come from a URL: anything that is not a whole number from 1
    gives the first page, and a number past the end gives the last page.
    """
    pages = max(1, math.ceil(len(items) / size))
    try:
        number = int(str(page).strip()) if page is not None else 1
    except ValueError:
        number = 1
    number = min(max(number, 1), pages)
    return items[(number - 1) * size : number * size], Pager(number, pages, len(items), size)
