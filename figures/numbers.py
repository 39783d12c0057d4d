"""Numbers as newsrooms write them, found in running text.

:func:`mentions` finds every figure a text writes, with where it is, how it is
written and what it is worth: digits with separators (``23,825``), scale words
and abbreviations (``$7 billion``, ``$7bn``, ``£62billion``), number words
(``two or three``, ``nine hundred``, ``half a million``), percentages
(``70 per cent``, ``70%``) and compounds (``30-day war``). Dates and times
(``25 January``, ``August 2021``, ``10:30``) and digits that are part of a name
(``M1117``, ``C-130``, ``Su-25``, ``Covid-19``) are not figures and are left out.

Number words are read by text2num (``text_to_num.text2num``), a well-kept
parser with a strict grammar; the rest are this module's own rules, because
no library we tried (quantulum3, number-parser, text2num) reads ``$7bn``,
``£62billion`` or ``half a million`` right (README, "Checking claims against
their texts").

:func:`qualifier_words` reads the words just before a number: ``more than``,
``around``, ``almost``, ``as many as``...
"""

from __future__ import annotations

import bisect
import math
import re
from typing import NamedTuple

from text_to_num import text2num

SCALES = {
    "thousand": 1e3, "k": 1e3,
    "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9,
    "trillion": 1e12, "tn": 1e12, "trn": 1e12,
}
"""Scale words and their abbreviations, as in ``$7bn`` or ``48 million``."""

CURRENCY_SIGNS = {"$": "USD", "US$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "Rs": "INR", "₽": "RUB"}
"""Signs written before an amount and the currency each names (``$`` is taken as US dollars)."""

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
_MONTH = "|".join(MONTHS + ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"))

_UNITS_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
                "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SCALE_WORDS = ("hundred", "thousand", "million", "billion", "trillion")


def _trie(words: tuple[str, ...]) -> str:
    """One regex alternation of ``words`` shaped as a trie (``s(?:ix(?:teen|ty)?|even...)``): Python's re tries an
    alternation branch by branch at every position, so sharing prefixes makes the scan several times faster."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"{body}?" if "" in node and len(branches) == 1 and len(branches[0]) == 1 else (
            f"(?:{'|'.join(branches)})?" if "" in node else body)

    return emit(tree)


_WORD = _trie(_UNITS_WORDS + _TENS_WORDS + _SCALE_WORDS)
_WORD_NUMBER = rf"(?:(?:{_WORD})(?:[- ](?:and )?(?:{_WORD}))*)"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SIGN = r"(?:US\$|\$|£|€|¥|₹|₽|Rs\.? ?)"
_SCALE = r"(?:trillion|billion|million|thousand|bn|tn|trn|mn|mln|k|m|b)"
_PERCENT = r"(?:\s?%|\s?per ?cent\b|\s?percent\b)"
_AMOUNT = rf"(?P<sign@>{_SIGN})?(?P<num@>{_DIGITS})(?:\s?(?P<scale@>{_SCALE})(?![A-Za-z]))?"
_AMOUNT1, _AMOUNT2 = _AMOUNT.replace("@", "1"), _AMOUNT.replace("@", "2")

_NUMBER = re.compile(
    rf"(?<![\w.,$£€¥₹₽])(?:{_AMOUNT1}(?:\s?(?:-|–|to|or)\s?{_AMOUNT2})?)(?P<pct>{_PERCENT})?",
)
_FIGURE_START = re.compile(r"[\dUR$£€¥₹₽](?<![\w.,$£€¥₹₽].)")
"""Where a figure in digits can start: a digit or a sign's first character with no letter, digit, point or sign before it.
A pattern that opens with a character class lets the scan skip every other character in C, twice as fast as the
lookbehind that opens :data:`_NUMBER`; the full pattern is then tried only at these places."""
_WORDS = re.compile(
    rf"(?<![\w-])(?P<sign>{_SIGN})?(?P<half>half an? )?(?P<a>an? )?(?P<w1>{_WORD_NUMBER})(?: (?:or|to) (?P<w2>{_WORD_NUMBER}))?(?![\w])(?P<pct>{_PERCENT})?",
    re.IGNORECASE,
)
_DATES = re.compile(
    r"\b\d{4}-\d{2}(?:-\d{2})?\b"  # 2023-01-25
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH})\b"  # 25 January, 1st of May
    rf"|\b(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"  # January 25, Jan 25, 2023
    rf"|\b(?:{_MONTH})\s+\d{{4}}\b"  # August 2021
    r"|\b\d{1,2}[:.]\d{2}\s?(?:am|pm|a\.m\.|p\.m\.)?|\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w)"  # 10:30, 9pm
    r"|\b(?:1[5-9]|20)\d{2}s?\b(?![,.]\d)",  # 2021, the 1990s
)
_DATE_REACH = 24
"""How far around a number a date holding it can reach (``September 25th, 2023`` is 20 characters)."""
_WORDS_LOWER = re.compile(_WORDS.pattern)
_DIGIT_RUN = re.compile(r"\d+")
_WORD_START = re.compile(_WORD)
_WORD_START_ANY_CASE = re.compile(_WORD, re.IGNORECASE)
_SIGNS_BEFORE = ("US$", "Rs. ", "Rs.", "Rs ", "Rs", "$", "£", "€", "¥", "₹", "₽")
"""Currency signs written just before digits, longest first."""
_WORD_PREFIXES = tuple(f"{sign}{half}{a}" for sign in ("us$", "$", "£", "€", "")
                       for half in ("half a ", "half an ", "") for a in ("a ", "an ", "") if not (half and a))
"""What may stand before a number word (lower-cased): a sign, ``half a``, ``a``, longest first."""
_WORD_PREFIXES = tuple(sorted((p for p in _WORD_PREFIXES if p), key=len, reverse=True))


def _by_ending(prefixes: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """``prefixes`` by their last character, longest first: a candidate tries only those ending in the character before it."""
    return {end: tuple(p for p in prefixes if p[-1] == end) for end in {p[-1] for p in prefixes}}


_SIGNS_ENDING, _WORD_ENDING = _by_ending(_SIGNS_BEFORE), _by_ending(_WORD_PREFIXES)
_LEAD, _REACH = 14, 96
"""How far before a candidate a figure may start (``half an `` and a sign), and how far it may run (a range of amounts)."""
_FAR = 1 << 62
"""Past the end of any text: ``(at, _FAR)`` sorts after every span that starts at ``at``."""
_MONTH_NAME = re.compile(_trie(MONTHS + ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec")))
_NAME_AFTER = re.compile(r"[A-Za-z]")

QUALIFIER_PHRASES: dict[str, tuple[str, ...]] = {
    "just_under": ("just under", "just shy of", "almost", "nearly", "a little under", "slightly under", "close to"),
    "more_than": ("more than", "over", "above", "exceeding", "in excess of", "upwards of", "north of", "greater than"),
    "at_least": ("at least", "no fewer than", "no less than", "a minimum of", "a minimum"),
    "less_than": ("less than", "fewer than", "under", "below", "short of"),
    "at_most": ("as many as", "as much as", "up to", "at most", "no more than", "a maximum of", "as high as"),
    "approximately": ("about", "around", "some", "roughly", "approximately", "an estimated", "estimated", "circa", "an approximate",
                      "approx.", "c."),
}
"""The words before a number that say how exact it is, by the qualifier they call for (longest phrases are tried first)."""


def _by_last_word(phrases: dict[str, tuple[str, ...]]) -> dict[str, list[tuple[list[str], tuple[str, str]]]]:
    """The qualifier phrases by their last word, longest first, each as its words and ``(qualifier, phrase)``."""
    out: dict[str, list[tuple[list[str], tuple[str, str]]]] = {}
    for qualifier, written in phrases.items():
        for phrase in written:
            out.setdefault(phrase.split()[-1], []).append((phrase.split(), (qualifier, phrase)))
    return {last: sorted(found, key=lambda c: len(c[0]), reverse=True) for last, found in out.items()}


_ENDING_IN = _by_last_word(QUALIFIER_PHRASES)
_LONGEST = max(len(p.split()) for ps in QUALIFIER_PHRASES.values() for p in ps)
_SKIPPED = " \t\n“”\"'‘’([$£€¥₹₽"
"""What may stand between the qualifier's words and the number: spaces, quote marks, brackets, a currency sign."""


class Mention(NamedTuple):
    """One figure written in a text: where, how, and what it is worth.

    A named tuple rather than a frozen dataclass: a 10,000-figure check makes some 20,000 of them, and a
    frozen dataclass's ``__init__`` (one ``object.__setattr__`` a field) cost the check 2%.
    """

    start: int
    end: int
    written: str
    """The figure as written, ``$7 billion`` or ``two or three``."""
    values: tuple[float, ...]
    """Its value, or its two ends when it is a range (``two or three``, ``2-3``), each :func:`rounded`."""
    currency: str | None = None
    """The currency its sign names (``USD`` for ``$``), if it has one."""
    percent: bool = False

    @property
    def is_range(self) -> bool:
        return len(self.values) == 2


def mentions(text: str) -> list[Mention]:
    """Every figure ``text`` writes, in order; dates, times and names with digits are left out.

    Parameters
    ----------
    text : str
        Running text (an article, a quote).

    Returns
    -------
    list of Mention
        One per figure, ``30-day`` and ``$7bn`` included, ``2021`` and ``F-16`` not.
    """
    # Both passes find cheap candidates first (a place a figure in digits may start, :data:`_FIGURE_START`; a number
    # word, by a trie-shaped pattern) and run the full pattern only there or just before: Python's re would otherwise
    # try every branch at every character.
    found: list[Mention] = []
    months = [m.start() for m in _MONTH_NAME.finditer(text)]
    done = 0
    for start in _FIGURE_START.finditer(text):
        at = start.start()
        if at < done:
            continue  # inside the figure just read ("2-3", "1,200")
        match = _NUMBER.match(text, at)
        if match is None:
            continue
        done = match.end()
        groups = match.group("sign1", "num1", "scale1", "sign2", "num2", "scale2", "pct")  # one call for all seven
        at, end = match.span("num1")
        # A sign, a scale or a percent makes an amount ("3.45 million", "$2.50", "1.25bn"), never a clock or a date.
        amount = groups[0] or groups[2] or groups[6]
        if not (_is_name(text, at, groups[0], match.end()) or (not amount and _in_date(text, at, end, months))):
            found.append(_digits(match, groups))
    # Number words are searched in the lower-cased text; where lower-casing changes the length (a few letters such
    # as İ), positions would shift, so the case-blind pattern reads the text itself.
    lower = text.lower()
    same = len(lower) == len(text)
    haystack, pattern = (lower, _WORDS_LOWER) if same else (text, _WORDS)
    taken = [(m.start, m.end) for m in found]
    done = 0
    for word in (_WORD_START if same else _WORD_START_ANY_CASE).finditer(haystack):
        at = word.start()
        if at < done:
            continue
        i = bisect.bisect_right(taken, (at, _FAR))
        if i and taken[i - 1][1] > at:
            # The scale of a figure in digits ("$7 billion"): skipped, as far as the words run, without trying the
            # words that may stand before a number (they change where a match starts, never where it ends).
            match = pattern.match(haystack, at, at + _REACH)
            if match is not None and match.start("w1") == at:
                done = match.end()
            continue
        match = _match_at(pattern, haystack, at, _WORD_ENDING, max(done, at - _LEAD), "w1")
        if match is None:
            continue
        done = match.end()
        i = bisect.bisect_left(taken, (match.end(), 0))
        if i and taken[i - 1][1] > match.start():
            continue  # overlaps a figure written in digits
        mention = _words(match, text)
        if mention is not None:
            found.append(mention)
    return sorted(found, key=lambda m: m.start)


def _match_at(pattern: re.Pattern, text: str, at: int, prefixes: dict[str, tuple[str, ...]], earliest: int, group: str) -> re.Match | None:
    """``pattern`` matched where its ``group`` starts at ``at``: from the longest of ``prefixes`` (by their last character,
    :func:`_by_ending`) written just before, else at ``at``.

    One match attempt or two, where a search would try every position before ``at``.
    """
    for prefix in prefixes.get(text[at - 1:at], ()):
        if text.endswith(prefix, earliest, at):
            start = at - len(prefix)
            match = pattern.match(text, start, at + _REACH)
            if match is not None and match.start(group) == at:
                return match
    match = pattern.match(text, at, at + _REACH)
    return match if match is not None and match.start(group) == at else None


def _in_date(text: str, at: int, end: int, months: list[int]) -> bool:
    """True when the digits at ``text[at:end]`` are part of a date or a time (``25 January``, ``August 2021``, ``10:30``).

    ``months`` are where month names start in ``text``. Only digits near one, four digits (a year), or digits
    followed by a clock's ``:`` or an ``am``/``pm`` can be a date: the rest skip the full pattern.
    """
    if text[at - 1:at] == ":" and text[at - 2:at - 1].isdigit():
        return True  # the minutes of a clock ("10:30")
    near_month = False
    if months:
        i = bisect.bisect_left(months, at - _DATE_REACH)
        near_month = i < len(months) and months[i] < end + _DATE_REACH
    after = text[end:end + 5].lower()
    if not (near_month or end - at == 4 or after[:1] in ":." or "m" in after):
        return False
    lo = max(0, at - _DATE_REACH)
    for match in _DATES.finditer(text, lo, at + _DATE_REACH):
        if match.start() <= at < match.end():
            return True
    return False


def _is_name(text: str, at: int, sign: str | None, end: int) -> bool:
    """Digits at ``text[at:]`` glued to letters are a name (M1117, Su-25, 5G) or an ordinal (25th); a scale (7bn) is part
    of the figure, which ends at ``end``; ``sign`` is the currency sign written before it, if any."""
    before = text[max(0, at - 2):at]
    if sign is None and before and (before[-1].isalpha() or (before[-1] == "-" and before[:1].isalpha())):
        return True
    return bool(_NAME_AFTER.match(text, end))  # an ordinal (25th) is a rank or a date, never a figure


def rounded(number: float) -> float:
    """``number`` as a float of 9 significant digits, so ``1.1e9`` read from ``$1.1bn`` equals 1100000000 written out.

    A mention's values are rounded so when it is read, and a claim's numbers compare with them rounded alike.
    """
    number = float(number)
    if number.is_integer():
        return number
    return round(number, 8 - int(math.floor(math.log10(abs(number)))))


def _amount(number: str, scale: str | None) -> float:
    value = float(number.replace(",", ""))
    return rounded(value * SCALES[scale.lower()]) if scale else rounded(value)


def _currency(sign: str | None) -> str | None:
    if not sign:
        return None
    sign = sign.strip().rstrip(".")
    return CURRENCY_SIGNS.get(sign)


def _digits(match: re.Match, groups: tuple) -> Mention:
    """The figure of a :data:`_NUMBER` match; ``groups`` are its sign1, num1, scale1, sign2, num2, scale2 and pct."""
    sign1, num1, scale1, sign2, num2, scale2, pct = groups
    values: tuple[float, ...] = (_amount(num1, scale1),)
    if num2:
        second = _amount(num2, scale2)
        if scale2 and not scale1:  # "2-3 million": the scale is shared
            values = (_amount(num1, scale2), second)
        else:
            values = (values[0], second)
    return Mention(match.start(), match.end(), match.group(), values, _currency(sign1 or sign2), bool(pct))


def _word_value(words: str) -> float | None:
    try:
        return float(text2num(words.lower().replace("-", " ") if words.lower().startswith(_SCALE_WORDS) else words.lower(), "en"))
    except ValueError:
        return None


def _words(match: re.Match, text: str) -> Mention | None:
    first = match.group("w1")
    value = _word_value(first)
    if value is None:
        return None
    lead = first.lower().split()[0]
    if match.group("half"):
        if lead not in _SCALE_WORDS:
            return None
        value = value / 2
    elif match.group("a") and lead not in _SCALE_WORDS:
        return None  # "a one" is not a number a story writes
    values: tuple[float, ...] = (value,)
    if match.group("w2"):
        second = _word_value(match.group("w2"))
        if second is None:
            return None
        values = (value, second)
    elif value == 1 and not match.group("a") and not match.group("sign") and not match.group("pct"):
        return None  # a lone "one" is a pronoun far more often than a figure
    start = match.start("half") if match.group("half") else match.start("a") if match.group("a") else match.start()
    if match.group("sign"):
        start = match.start()
    sign = text[match.start("sign"):match.end("sign")] if match.group("sign") else None  # as written, not lower-cased
    return Mention(start, match.end(), text[start:match.end()], values, _currency(sign), bool(match.group("pct")))


def qualifier_words(text: str, start: int, lo: int = 0) -> tuple[str, str] | None:
    """The words just before ``text[start:]``, from ``text[lo:]`` on, that say how exact a number is: ``("more_than", "more than")``, or None.

    Quote marks and brackets between the words and the number are skipped:
    ``only enough for “two or three”`` reads the words before the opening quote. ``lo`` is where the passage read
    starts (a quote inside an archived text): words before it are not the quote's.
    """
    words = text[max(lo, start - 40):start].rstrip(_SKIPPED).lower().split()
    if not words:
        return None
    candidates = _ENDING_IN.get(words[-1])
    if candidates is None:
        return None  # most numbers follow no such words: one lookup of the last word
    words = words[-_LONGEST:]
    for phrase, found in candidates:
        if words[-len(phrase):] == phrase:
            return found
    return None
