"""Words for numbers: headlines as a journalist writes them, attribution lines, labels.

Everything here returns plain text. Callers that hand text to markdown must
escape it (see :func:`figures.ui.md_escape`); nothing here adds markup.
"""

from __future__ import annotations

import html
import math
from urllib.parse import quote

from figures.model import Catalogue, Claim, Confidence, Figure, Qualifier, Source
from figures.units import BUILTIN_PLURALS, CURRENCY_SYMBOLS, UnitInfo, unit_info

MINUS = "\u2212"
"""The minus sign every negative number and every fall is written with (``−3.2%``, ``−87%``), as the axes write it."""
SIGNIFICANT = 2
"""Significant digits kept for a number too small for its usual decimals, so no non-zero value reads as zero."""

QUALIFIER_WORDS = {
    Qualifier.EXACT: "",
    Qualifier.APPROXIMATELY: "about",
    Qualifier.MORE_THAN: "more than",
    Qualifier.AT_LEAST: "at least",
    Qualifier.LESS_THAN: "less than",
    Qualifier.AT_MOST: "as many as",
    Qualifier.JUST_UNDER: "almost",
    Qualifier.RANGE: "",
}
"""How each qualifier is written before a number."""

CHECKED_WORDS = {
    "story": "Quote checked against the text of the story as published",
    "source": "Quote checked against the text of the source as published",
}
"""What a reader is told of a claim whose quote was found word for word in an archived text (:mod:`figures.proof`)."""


def checked_line(claims) -> str | None:
    """One line saying the quotes were checked, when every claim's quote was; None otherwise."""
    kinds = [c.checked for c in claims]
    if not kinds or None in kinds:
        return None
    if len(set(kinds)) == 1:
        return CHECKED_WORDS[kinds[0]] + ("" if len(kinds) == 1 else " (every quote)")
    return "Every quote checked against the archived text it comes from, word for word"


QUALIFIER_LABELS = {
    Qualifier.EXACT: "Exact",
    Qualifier.APPROXIMATELY: "About",
    Qualifier.MORE_THAN: "More than",
    Qualifier.AT_LEAST: "At least",
    Qualifier.LESS_THAN: "Less than",
    Qualifier.AT_MOST: "As many as",
    Qualifier.JUST_UNDER: "Almost",
    Qualifier.RANGE: "Range",
}
"""Each qualifier in a reader's words, as tables and the ratings page name it (never the catalogue's code)."""

CHART_KEY = (
    ("A solid bar from zero", "the number as the source gives it (exact)."),
    ("A pale bar with a dashed outline and a dot", "about: the true value is near, on either side."),
    ("A solid bar, a dot and a dashed arrow running on", "more than (hollow dot) or at least (filled dot): "
     "the true value is higher, by an amount nobody gave."),
    ("A line ending at a cap", "as many as, up to or less than: a ceiling; the true value may be lower."),
    ("A pale dashed bar stopping at a cap", "almost, nearly or just under: the true value falls a little short of the cap."),
    ("A bar from one end to the other", "a range (\"two or three\"): the true value is somewhere between."),
    ("A line through dated points", "the same figure at different dates, with the change from the first to the last written on it; "
     "a hollow point is a hedged number (about, more than…), a filled one an exact number."),
    ("One row per source", "sources that disagree about the same figure, each with its rating."),
)
"""The marks of the charts and what each says: the key under "How to read these charts" (the app's How we rate)."""

QUALIFIER_MEANING = {
    Qualifier.EXACT: "The source gives this number without hedging.",
    Qualifier.APPROXIMATELY: "The source says about, around or roughly: the true value is near, on either side.",
    Qualifier.MORE_THAN: "The source says more than: the true value is above this, by an unknown amount.",
    Qualifier.AT_LEAST: "The source says at least: the true value is this or higher.",
    Qualifier.LESS_THAN: "The source says less than: the true value is below this.",
    Qualifier.AT_MOST: "The source says as many as or up to: this is a ceiling, the true value may be lower.",
    Qualifier.JUST_UNDER: "The source says almost, nearly or just under: the true value is a little below this.",
    Qualifier.RANGE: "The source gives two ends (\"two or three\"): the true value is somewhere between.",
}

CONFIDENCE_LABELS = {
    Confidence.CONFIRMED: "Confirmed",
    Confidence.REPORTED: "Reported",
    Confidence.CLAIMED: "Claimed",
    Confidence.UNVERIFIED: "Unverified",
}
CONFIDENCE_MEANING = {
    Confidence.CONFIRMED: "An official record, or two or more independent sources agree.",
    Confidence.REPORTED: "A credible outlet reporting documents or named officials.",
    Confidence.CLAIMED: "An assertion by an interested party (a government at war, a spokesperson) that nobody independent has checked.",
    Confidence.UNVERIFIED: "Anonymous or single unverifiable sources.",
}
CONFIDENCE_COLOURS = {
    Confidence.CONFIRMED: "blue",
    Confidence.REPORTED: "violet",
    Confidence.CLAIMED: "orange",
    Confidence.UNVERIFIED: "gray",
}
"""Badge colours (Streamlit's names); blue/orange stay apart for colour-blind readers, and the label always says it in words."""

CONFIDENCE_ICONS = {
    Confidence.CONFIRMED: "✔",
    Confidence.REPORTED: "●",
    Confidence.CLAIMED: "◐",
    Confidence.UNVERIFIED: "○",
}


def number(value: float, unit: str | UnitInfo, compact: bool = True) -> str:
    """Write one number with its unit: ``$7bn``, ``23,825 vehicles``, ``70%``, ``30 days``.

    Parameters
    ----------
    value : float
        The number in the figure's unit.
    unit : str
        The figure's unit string.
    compact : bool
        Money in bn/m when True ("$7bn"); in full when False ("$7,000,000,000").
    """
    info = unit_info(unit)
    if info.is_currency:
        code = info.name
        symbol = CURRENCY_SYMBOLS.get(code)
        digits = _compact(abs(value)) if compact else _plain(abs(value))
        sign = MINUS if value < 0 else ""
        return f"{sign}{symbol}{digits}" if symbol else f"{sign}{digits} {code}"
    if is_share(info):
        return f"{_plain(value)}%"
    return f"{_plain(value)} {_unit_word(info, value)}"


def bare(value: float, unit: str | UnitInfo) -> str:
    """A number with its currency symbol or percent sign but no count noun: ``$7bn``, ``900``."""
    info = unit_info(unit)
    if info.is_currency or is_share(info):
        return number(value, unit)
    return _plain(value)


def is_share(unit: str | UnitInfo) -> bool:
    """True when the unit is a share of a whole: percent, and nothing else.

    A share is written with ``%``, drawn against the whole hundred and changes
    by points. Other dimensionless units (count, radian, decibel) are not shares.

    Parameters
    ----------
    unit : str or UnitInfo
        A unit string of the catalogue, or what :func:`figures.units.unit_info` says of it.
    """
    info = unit if isinstance(unit, UnitInfo) else unit_info(unit)
    return info.name == "percent"


def change(start: float, end: float, unit: str | UnitInfo) -> str | None:
    """How a value moved from ``start`` to ``end``, as headlines and charts write it: ``−87%``, ``up 5.5 points``.

    A share moves by percentage points (``up 5.5 points``, ``down 1 point``,
    ``no change``), never by a percentage of itself. Any other unit moves by a
    percentage of the start (``+60%``, ``−87%``), which means something only
    from a positive start to an end that is not negative: from zero, from a
    negative start or across zero there is no change to write, and the two
    values speak for themselves. Computed from the exact values, then rounded
    like every number here (whole percents, or enough digits not to read zero).

    Parameters
    ----------
    start, end : float
        The first and the last value, in ``unit``.
    unit : str
        The figure's unit string.

    Returns
    -------
    str or None
        The change in words, or None where no change can honestly be written.
    """
    if is_share(unit):
        points = end - start
        if not points:
            return "no change"
        size = _plain(abs(points))
        return f"{'up' if points > 0 else 'down'} {size} {'point' if size == '1' else 'points'}"
    if not (start > 0 and end >= 0):
        return None
    pct = (end - start) / start * 100
    return f"{MINUS if pct < 0 else '+'}{_rounded(abs(pct), 0, grouped=False)}%"


def claim_value(claim: Claim, unit: str | UnitInfo) -> str:
    """One claim's value as a journalist writes it: ``more than $7bn``, ``2 to 3 strikes``."""
    if claim.qualifier is Qualifier.RANGE:
        return f"{bare(claim.low, unit)} to {number(claim.high, unit)}"
    words = QUALIFIER_WORDS[claim.qualifier]
    text = number(claim.value, unit)
    return f"{words} {text}" if words else text


def headline(figure: Figure) -> str:
    """The figure's headline: one claim as written, or a series as ``900 → 119 (−87%)``.

    Claims at different dates make a series (first to last, with the change);
    claims at the same date by different claimants are competing estimates.
    """
    claims = sorted(figure.claims, key=lambda c: c.as_of)
    if len(claims) == 1 or is_competing(figure):
        text = claim_value(claims[-1] if len(claims) == 1 else claims[0], figure.unit_info)
        return text if len(claims) == 1 else f"{text} (and {len(claims) - 1} other estimate{'s' if len(claims) > 2 else ''})"
    first, last = claims[0], claims[-1]
    moved = change(first.central, last.central, figure.unit_info)
    tail = f" ({moved})" if moved else ""
    return f"{_hedged(first, figure.unit_info, bare_number=True)} → {_hedged(last, figure.unit_info)}{tail}"


def _hedged(claim: Claim, unit: str | UnitInfo, bare_number: bool = False) -> str:
    if claim.qualifier is Qualifier.RANGE:
        return f"{bare(claim.low, unit)}–{bare(claim.high, unit) if bare_number else number(claim.high, unit)}"
    words = QUALIFIER_WORDS[claim.qualifier]
    text = bare(claim.value, unit) if bare_number else number(claim.value, unit)
    return f"{words} {text}" if words else text


def is_competing(figure: Figure) -> bool:
    """True when claims share a date but come from different claimants: a disagreement, not a series."""
    dates = [c.as_of for c in figure.claims]
    return len(figure.claims) > 1 and len(set(dates)) < len(dates)


def capitalised(text: str) -> str:
    """The text with its first letter upper-cased, for a claimant standing on its own.

    A claimant is written as it reads after "According to" (``officials familiar
    with a report``); a table cell or a chart row starts it with a capital. A
    first word that already has a capital in it is a name (``iStories``) and is
    left as written, as is a first letter with no one-letter capital (``ß``).
    """
    first = text.split(" ", 1)[0]
    if not text or any(ch.isupper() for ch in first) or len(text[0].upper()) != 1:
        return text
    return text[0].upper() + text[1:]


def source_label(source: Source) -> str:
    """``Foreign Policy, April 2022`` (the date only when the catalogue has one)."""
    return f"{source.name}, {source.published.label}" if source.published else source.name


def attribution(claim: Claim, catalogue: Catalogue) -> str:
    """The chain of custody in one line.

    ``Claimed by Government of Ukraine · via Firstpost, January 2023``; a claim
    rated reported or confirmed reads ``According to ...``; further hops are
    joined with arrows, source first: ``via General SVR → The Sun, January 2023``.
    """
    verb = "Claimed by" if claim.confidence in (Confidence.CLAIMED, Confidence.UNVERIFIED) else "According to"
    return f"{verb} {claim.claimant} · {via_line(claim, catalogue)}"


def via_line(claim: Claim, catalogue: Catalogue) -> str:
    """How the claim reached the story: ``via Firstpost, January 2023``, or ``via General SVR → The Sun, January 2023``."""
    hops = [claim.source, *claim.via]
    names = [catalogue.sources[h].name if h in catalogue.sources else h for h in hops]
    last = catalogue.sources.get(hops[-1])
    if last is not None and last.published:
        names[-1] = source_label(last)
    return f"via {' → '.join(names)}"


def source_line(figure: Figure, catalogue: Catalogue) -> str:
    """The line at the foot of a chart or image: every distinct attribution, then the story (unless every claim came through it)."""
    seen: list[str] = []
    for claim in figure.claims:
        line = attribution(claim, catalogue)
        if line not in seen:
            seen.append(line)
    story = catalogue.stories.get(figure.story)
    tail = ""
    if story:
        published = f"{story.publisher}, {story.published.label}"
        # "via Firstpost, January 2023 · Story: Firstpost, January 2023" would name the story twice.
        if not all(line.endswith(f"via {published}") or line.endswith(f"→ {published}") for line in seen):
            tail = f" · Story: {published}"
    return " | ".join(seen) + tail


def confidence_summary(figure: Figure) -> Confidence:
    """The weakest confidence among a figure's claims: what its card badge shows."""
    order = list(Confidence)
    return max((c.confidence for c in figure.claims), key=order.index)


def _plain(value: float) -> str:
    """``23,825``, ``2.5``, ``−3.2``: two decimals at most, more only where two would lose every digit (``0.004``)."""
    sign = MINUS if value < 0 else ""
    if float(value).is_integer():
        return f"{sign}{int(abs(value)):,}"
    return sign + _rounded(abs(value), 2)


def _rounded(magnitude: float, decimals: int, grouped: bool = True) -> str:
    """A non-negative number to ``decimals`` places, trailing zeros dropped.

    A number smaller than the last place (0.004 or 0.006 to two places) would
    lose every digit it has, reading ``0`` or ``0.01``: it keeps
    :data:`SIGNIFICANT` significant digits instead (``0.004``, ``0.006``).
    """
    places = decimals
    if 0 < magnitude < 10 ** -decimals:
        places = SIGNIFICANT - 1 - math.floor(math.log10(magnitude))
    text = f"{magnitude:{',' if grouped else ''}.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _compact(value: float) -> str:
    if abs(value) < 1e6:
        return _plain(value)
    for size, suffix in ((1e6, "m"), (1e9, "bn"), (1e12, "tn")):
        scaled = round(value / size, 2)
        if abs(scaled) < 1000 or suffix == "tn":  # after rounding: 999,999,999 is "$1bn", not "$1,000m"
            return f"{_plain(scaled)}{suffix}"
    raise AssertionError("unreachable")  # pragma: no cover


def _unit_word(info: UnitInfo, value: float) -> str:
    """The unit's name as a noun for ``value``: ``vehicles``, ``people``, ``aircraft``, ``kilometers per hour``."""
    head, slash, rest = info.name.partition(" / ")
    word = head.replace("_", " ")
    if value != 1:
        word = info.plural_of(head) or BUILTIN_PLURALS.get(head) or _plural(word)
    return f"{word} per {rest.replace('_', ' ')}" if slash else word


INVARIANT_PLURALS = frozenset({"aircraft", "ammunition", "equipment", "personnel", "materiel", "hardware", "sheep",
                               "deer", "fish", "series", "species", "offspring", "livestock"})
"""Nouns whose plural is the noun itself, for a declared unit that gives no ``plural:``."""


def _plural(word: str) -> str:
    """English plural rules for a unit with no plural in any table: the last word takes the ending."""
    last = word.rsplit(" ", 1)[-1]
    if last in INVARIANT_PLURALS or word.endswith("s"):
        return word
    if word.endswith(("ch", "sh", "x", "z")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return word[:-1] + "ies"
    return word + "s"


def figure_url(base_url: str, figure_id: str) -> str:
    """The permalink of a figure: ``<base>/?figure=<id>`` (the id is a slug, safe in a URL)."""
    return f"{base_url.rstrip('/')}/?figure={quote(figure_id, safe='')}"


def embed_url(base_url: str, figure_id: str) -> str:
    """The URL of a figure's embed view, for an iframe."""
    return figure_url(base_url, figure_id) + "&embed=true"


MIN_EMBED_HEIGHT, MAX_EMBED_HEIGHT = 120, 10_000
"""The heights the host script accepts from an embedded figure, in CSS pixels."""
HOST_SCRIPT = (
    "(function(){if(window.figuresEmbeds)return;window.figuresEmbeds=1;"
    "window.addEventListener('message',function(e){var d=e.data;"
    "if(!d||d.type!=='figures:height'||typeof d.height!=='number')return;"
    "var f=document.querySelectorAll('iframe[data-figures-embed]');"
    "for(var i=0;i<f.length;i++){if(f[i].contentWindow===e.source){"
    f"f[i].style.height=Math.max({MIN_EMBED_HEIGHT},Math.min({MAX_EMBED_HEIGHT},Math.ceil(d.height)))+'px';}}}}}});}})();"
)
"""The host page's few lines: set the height of the iframe whose figure posted ``{type: "figures:height", height}``.

Several embeds may share a page (the listener is added once); only the frame
that sent the message is resized, and only within the bounds above.
"""


def embed_snippet(src: str, figure: Figure, height: int) -> str:
    """What a journalist pastes: the iframe (``height`` until its figure says how tall it is) and :data:`HOST_SCRIPT`.

    The URL, title and id are HTML-escaped. A host that strips scripts keeps
    the iframe at ``height``; the figure still works there and scrolls if it must.
    """
    iframe = (f'<iframe src="{html.escape(src, quote=True)}" title="{html.escape(figure.title, quote=True)}" '
              f'data-figures-embed="{html.escape(figure.id, quote=True)}" width="100%" height="{int(height)}" '
              f'loading="lazy" style="width:100%;border:0;display:block"></iframe>')
    return iframe + f"\n<script>{HOST_SCRIPT}</script>"


def iframe_snippet(base_url: str, figure: Figure, height: int = 720) -> str:
    """The embed code of the app's embed view (:func:`embed_url`): :func:`embed_snippet`."""
    return embed_snippet(embed_url(base_url, figure.id), figure, height)


def corrections(figure: Figure) -> list[str]:
    """Every correction as readers see it, oldest first: ``"Corrected 1 February 2023: The count was entered as …"``."""
    return [f"Corrected {c.date.label}: {c.note}" for c in figure.corrections]


def last_updated(figure: Figure, catalogue: Catalogue) -> str | None:
    """``"Last updated 2 December 2026 (version 2)"`` from the published record, or None if never published."""
    published = catalogue.published.get(figure.id)
    if published is None:
        return None
    number, date = published
    return f"Last updated {date.label} (version {number})"


def citation(figure: Figure, catalogue: Catalogue, url: str, accessed: str, full: bool = False) -> str:
    """How to cite a figure, short or full: title, claimant, source, as of, the figure's URL, date accessed.

    Parameters
    ----------
    url : str
        The figure's permalink.
    accessed : str
        The date the reader looked at it, e.g. ``"25 November 2026"``.
    full : bool
        The short form names the first claim's chain; the full form every claim, the story and the rating.
    """
    claims = sorted(figure.claims, key=lambda c: c.as_of)
    if not full:
        last = claims[-1]
        return f"{figure.title}: {headline(figure)} ({attribution(last, catalogue)}, as of {last.as_of.label}). Figures, {url}, accessed {accessed}."
    parts = [f"{figure.title}: {headline(figure)}."]
    for claim in claims:
        rating = f"{CONFIDENCE_LABELS[claim.confidence].lower()} ({claim.confidence_note})"
        parts.append(f"{claim_value(claim, figure.unit_info)}, as of {claim.as_of.label}: {attribution(claim, catalogue)}; {rating}")
    story = catalogue.stories.get(figure.story)
    if story is not None:
        parts.append(f"In: {story.publisher}, \u201c{story.title}\u201d, {story.published.label}{', ' + story.url if story.url else ''}.")
    parts.append(f"Figures catalogue, {url}, accessed {accessed}.")
    return " ".join(parts)
