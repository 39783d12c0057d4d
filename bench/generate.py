"""Synthetic figures catalogues for the benchmark, at newsroom scale.

``generate(n_figures, seed)`` returns the YAML text of a valid catalogue
(``python -m figures check`` passes) with the mix a real newsroom file has:

* about 100 stories per 1,000 figures (at most 500), each figure in one story,
  figures listed story by story as editors add them;
* 50 sources of every kind, some with a date and a link;
* units USD, GBP, vehicle, missile, piece, percent and day;
* every qualifier (exact, approximately, more_than, at_least, less_than,
  at_most, range), dates as precise as year, month or day;
* single claims, series (2 to 5 claims over time) and competing claims (one
  date, different claimants);
* quotes of 80 to 450 characters with curly quotes and apostrophes, ``via``
  chains, every confidence level with its reason, some Admiralty grades;
* lists written both in flow style (``[a, b]``) and as block lists.

The same seed gives the same text, byte for byte.

Command line::

    python bench/generate.py 10000 -o /tmp/figures-10k.yaml [--seed 0]
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
import re
import sys
from pathlib import Path

SOURCE_KINDS = ("official document", "news report", "social media", "statement", "interview", "press release", "dataset", "research")
OUTLETS = (
    "Reuters", "Associated Press", "Agence France-Presse", "BBC News", "The Guardian", "The New York Times", "The Washington Post",
    "Foreign Policy", "CNN", "Al Jazeera", "Financial Times", "The Economist", "Politico", "Der Spiegel", "Le Monde", "Kyiv Independent",
    "Meduza", "TOLOnews", "Dawn", "The Hindu", "Firstpost", "Bloomberg", "Wall Street Journal", "The Sun", "Daily Telegraph",
)
BODIES = (
    "US Department of Defense", "UK Ministry of Defence", "Ministry of Defence of Ukraine", "Ministry of Defence of Russia",
    "Special Inspector General for Afghanistan Reconstruction", "US Government Accountability Office", "NATO", "United Nations",
    "International Institute for Strategic Studies", "Stockholm International Peace Research Institute", "Kiel Institute for the World Economy",
    "Oryx", "Institute for the Study of War", "World Bank", "International Monetary Fund", "Office of the UN High Commissioner for Human Rights",
    "Royal United Services Institute", "Conflict Armament Research", "Taliban spokesperson", "Kremlin press office",
    "General Staff of the Armed Forces of Ukraine", "Pentagon press secretary", "House Armed Services Committee", "European Commission",
    "Ukrainian Air Force",
)
CLAIMANTS = (
    "Government of Ukraine", "Government of Russia", "US Department of Defense", "UK Ministry of Defence", "NATO officials",
    "the Taliban", "officials familiar with a US Department of Defense report", "a senior US official", "Ukrainian military intelligence",
    "Russian state media", "independent analysts", "Oryx researchers", "the Kiel Institute", "SIPRI researchers", "the United Nations",
    "a European diplomat", "the World Bank", "former Afghan officials", "the Pentagon's inspector general", "US lawmakers",
    "local officials", "human rights monitors", "the IISS", "an anonymous defence source", "the General Staff of Ukraine",
    "the Kremlin", "satellite imagery analysts", "the European Commission", "a NATO spokesperson", "aid agencies",
)
PLACES = ("Afghanistan", "Ukraine", "Crimea", "the Donbas", "Kabul", "Kherson", "Bakhmut", "the Black Sea", "Kharkiv", "Zaporizhzhia",
          "Pakistan", "Iran", "Syria", "Belarus", "Poland", "the Baltic states", "Moldova", "Georgia", "Kazakhstan", "Turkey")
TOPICS = ("US weapons in Afghanistan", "Russian arms stocks", "Western aid to Ukraine", "Casualties", "Refugees and displacement",
          "Energy infrastructure", "Military spending", "Sanctions", "Drone warfare", "Air defence", "Grain exports", "Reconstruction",
          "Taliban finances", "Arms trade", "Missile strikes", "Equipment losses", "Training and troops", "Humanitarian aid")
TAGS = ("vehicles", "equipment counts", "missiles", "money", "aid", "losses", "drones", "artillery", "air defence", "shares",
        "durations", "sanctions", "stocks", "estimates", "official figures", "munitions", "training", "reconstruction")
UNITS = (("vehicle", 20), ("missile", 15), ("piece", 10), ("USD", 20), ("GBP", 8), ("percent", 15), ("day", 12))
QUALIFIERS = ("exact", "approximately", "more_than", "at_least", "less_than", "at_most", "range")
QUALIFIER_WEIGHTS = (30, 20, 15, 10, 7, 10, 8)
CONFIDENCE = ("confirmed", "reported", "claimed", "unverified")
CONFIDENCE_NOTES = {
    "confirmed": ("An official record we have read ourselves.", "Two independent sources give the same number.",
                  "Published in the government's audited accounts, which we checked against the original."),
    "reported": ("A major outlet reporting an official report it has seen; the report itself is not public.",
                 "A credible outlet citing named officials; we have not seen the documents.",
                 "Reported by a wire service from a briefing by officials who gave their names."),
    "claimed": ("An estimate of the enemy's arsenal by a government at war; nobody independent has checked it.",
                "An interested party's figure that no independent source confirms.",
                "A spokesperson's statement; the number cannot be checked from outside."),
    "unverified": ("A single anonymous source; nobody else gives the number.",
                   "A post on social media that no outlet has confirmed.",
                   "An unnamed official quoted once; the number has not been repeated."),
}
THINGS = {
    "vehicle": ("Humvees", "combat vehicles", "armoured vehicles", "tanks", "trucks", "mine-resistant vehicles", "infantry fighting vehicles"),
    "missile": ("Iskander missiles", "cruise missiles", "Kalibr missiles", "Patriot interceptors", "anti-tank missiles", "Shahed drones"),
    "piece": ("pieces of night vision equipment", "rifles", "radios", "artillery pieces", "pieces of equipment", "machine guns"),
    "USD": ("military aid", "equipment left behind", "reconstruction spending", "frozen reserves", "weapons sales", "humanitarian aid"),
    "GBP": ("British military aid", "training costs", "sanctioned assets", "defence contracts", "aid pledges"),
    "percent": ("American weapons left behind", "energy capacity destroyed", "grain exports through the Black Sea", "stocks used",
                "aid delivered on time", "territory held"),
    "day": ("the evacuation", "the siege", "the blackout", "the training course", "the grain corridor pause", "the offensive"),
}
VERBS = ("left in", "sent to", "destroyed in", "delivered to", "used in", "counted in", "lost in", "pledged for")
_SLUG = re.compile(r"[^a-z0-9]+")
_PLAIN_SAFE = re.compile(r"[A-Za-z][A-Za-z0-9 ,.()’'/-]*\Z")


def generate(n_figures: int, seed: int = 0) -> str:
    """Return the YAML text of a valid synthetic catalogue with ``n_figures`` figures.

    Parameters
    ----------
    n_figures : int
        How many figures (at least 1). Claims average about 1.7 per figure.
    seed : int
        The random seed; the same seed gives the same text.

    Returns
    -------
    str
        The catalogue, ready to write to a ``.yaml`` file.
    """
    if n_figures < 1:
        raise ValueError("n_figures must be at least 1")
    rng = random.Random(seed)
    out: list[str] = [f"# Synthetic catalogue for the benchmark: {n_figures} figures, seed {seed}. Generated by bench/generate.py.\n"]
    sources = _sources(rng, out)
    stories = _stories(rng, out, max(1, min(500, round(n_figures / 10))))
    out.append("\nfigures:\n")
    for index in range(n_figures):
        story = stories[index * len(stories) // n_figures]  # story by story, as editors add them
        _figure(rng, out, index, story, sources)
    return "".join(out)


# -- sections -----------------------------------------------------------------------------------

def _sources(rng: random.Random, out: list[str]) -> list[str]:
    out.append("sources:\n")
    names = list(OUTLETS) + list(BODIES)
    ids = []
    for name in names:
        source_id = _slug(name)
        ids.append(source_id)
        kind = "news report" if name in OUTLETS else rng.choice(SOURCE_KINDS)
        out.append(f"  {source_id}:\n    name: {_scalar(name)}\n    kind: {kind}\n")
        if rng.random() < 0.3:
            out.append(f"    publisher: {_scalar(name + ' Group')}\n")
        if rng.random() < 0.6:
            out.append(f"    published: {_date(rng, 2021, 2024)}\n")
        if rng.random() < 0.5:
            out.append(f"    url: https://example.org/{source_id}/{rng.randrange(10**6)}\n")
        if rng.random() < 0.3:
            out.append(f"    accessed: {_date(rng, 2024, 2024, precision='day')}\n")
    return ids


def _stories(rng: random.Random, out: list[str], count: int) -> list[str]:
    out.append("\nstories:\n")
    ids = []
    for index in range(count):
        place = rng.choice(PLACES)
        topic = rng.choice(TOPICS)
        title = rng.choice((
            f"{topic} in {place}: what the numbers say",
            f"How {place} became the centre of {topic.lower()}",
            f"Is {place} running out of {rng.choice(THINGS['missile'])}?",
            f"The hidden cost of {topic.lower()} in {place}",
            f"{topic}: a year on in {place}",
        ))
        story_id = f"{_slug(title)[:60].strip('-')}-{index}"
        ids.append(story_id)
        # Month precision for every story: PartialDate cannot order 2023 against 2023-05 yet (TypeError), and the home
        # page sorts stories by date. Mix precisions here once figures.model.PartialDate orders mixed precisions.
        out.append(f"  {story_id}:\n    title: {_scalar(title)}\n    publisher: {_scalar(rng.choice(OUTLETS))}\n"
                   f"    published: {_date(rng, 2021, 2024, precision='month')}\n")
        if rng.random() < 0.5:
            out.append(f"    url: https://news.example.com/{story_id}\n")
        if rng.random() < 0.1:
            out.append("    note: The text we hold carries no headline; the title is the story's own first sentence.\n")
    return ids


def _figure(rng: random.Random, out: list[str], index: int, story: str, sources: list[str]) -> None:
    unit = rng.choices([u for u, _ in UNITS], weights=[w for _, w in UNITS])[0]
    thing = rng.choice(THINGS[unit])
    place = rng.choice(PLACES)
    title = _title(unit, thing, place, rng)
    figure_id = f"{_slug(title)[:60].strip('-')}-{index}"
    out.append(f"\n  - id: {figure_id}\n    title: {_scalar(title)}\n    unit: {unit}\n    story: {story}\n")
    style = rng.random()
    if style < 0.6:
        out.append(f"    topic: {_scalar(rng.choice(TOPICS))}\n")
    else:
        tags = rng.sample(TAGS, rng.randint(1, 3))
        out.append(_list("tags", tags, indent=4, flow=style < 0.85))
    if rng.random() < 0.2:
        out.append(f"    description: {_scalar(f'The story counts {thing} apart from other equipment; the sources give the number for {place} only.')}\n")
    out.append("    claims:\n")
    shape = rng.random()
    scale = _scale(unit, rng)
    if shape < 0.6:  # one claim
        _claim(rng, out, unit, thing, place, scale, _date(rng, 2019, 2024), rng.choice(CLAIMANTS), sources)
    elif shape < 0.85:  # a series: 2 to 5 claims at distinct dates
        count = rng.randint(2, 5)
        year = rng.randint(2019, 2023)
        months = sorted(rng.sample(range(1, 13), min(count, 12)))
        claimant = rng.choice(CLAIMANTS)
        for month in months:
            scale *= rng.uniform(0.5, 1.6)
            _claim(rng, out, unit, thing, place, scale, f"{year}-{month:02d}", claimant if rng.random() < 0.7 else rng.choice(CLAIMANTS), sources)
    else:  # competing estimates: one date, different claimants
        when = _date(rng, 2019, 2024)
        for claimant in rng.sample(CLAIMANTS, rng.randint(2, 4)):
            _claim(rng, out, unit, thing, place, scale * rng.uniform(0.6, 1.5), when, claimant, sources)


def _claim(rng: random.Random, out: list[str], unit: str, thing: str, place: str, scale: float, as_of: str, claimant: str, sources: list[str]) -> None:
    qualifier = rng.choices(QUALIFIERS, weights=QUALIFIER_WEIGHTS)[0]
    pad = "      "
    if qualifier == "range":
        low = _round(scale, unit, rng)
        high = _round(scale * rng.uniform(1.2, 2.0), unit, rng)
        if high <= low:
            high = low + 1
        out.append(f"{pad}- low: {_number(low, rng)}\n{pad}  high: {_number(high, rng)}\n")
        words = f"{_words(low, unit)} to {_words(high, unit)}"
    else:
        value = _round(scale, unit, rng)
        out.append(f"{pad}- value: {_number(value, rng)}\n")
        words = f"{_HEDGES[qualifier]}{_words(value, unit)}"
    source = rng.choice(sources)
    out.append(f"{pad}  qualifier: {qualifier}\n{pad}  as_of: {as_of}\n{pad}  claimant: {_scalar(claimant)}\n{pad}  source: {source}\n")
    if rng.random() < 0.2:
        via = rng.sample([s for s in sources if s != source], rng.randint(1, 2))
        out.append(_list("via", via, indent=8, flow=rng.random() < 0.6))
    out.append(f"{pad}  quote: {json.dumps(_quote(rng, claimant, words, thing, place), ensure_ascii=False)}\n")
    confidence = rng.choices(CONFIDENCE, weights=(15, 45, 30, 10))[0]
    out.append(f"{pad}  confidence: {confidence}\n{pad}  confidence_note: {_scalar(rng.choice(CONFIDENCE_NOTES[confidence]))}\n")
    if rng.random() < 0.15:
        out.append(f"{pad}  reliability: {rng.choice('ABCDEF')}\n{pad}  credibility: {rng.randint(1, 6)}\n")


# -- words and numbers --------------------------------------------------------------------------

_HEDGES = {"exact": "", "approximately": "around ", "more_than": "more than ", "at_least": "at least ",
           "less_than": "fewer than ", "at_most": "as many as "}


def _title(unit: str, thing: str, place: str, rng: random.Random) -> str:
    if unit in ("USD", "GBP"):
        return f"Value of {thing} for {place}"
    if unit == "percent":
        return f"Share of {thing} in {place}"
    if unit == "day":
        return f"Length of {thing} in {place}"
    return f"{thing[0].upper()}{thing[1:]} {rng.choice(VERBS)} {place}"


def _scale(unit: str, rng: random.Random) -> float:
    if unit in ("USD", "GBP"):
        return 10 ** rng.uniform(6, 10.5)
    if unit == "percent":
        return rng.uniform(2, 60)
    if unit == "day":
        return rng.uniform(3, 300)
    return 10 ** rng.uniform(0.5, 4.8)


def _round(value: float, unit: str, rng: random.Random) -> int | float:
    if unit == "percent" and rng.random() < 0.4:
        return round(value, 1)
    if unit in ("USD", "GBP"):  # to the precision _words writes it, as a catalogue holds what its quote says
        return int(round(value, -8)) if value >= 999_500_000 else int(round(value, -6)) or 1_000_000
    return max(1, int(round(value)))


def _number(value: int | float, rng: random.Random) -> str:
    """Plain digits; now and then with underscores (7_000_000_000), as the format allows."""
    if isinstance(value, int) and value >= 1_000_000 and rng.random() < 0.2:
        return f"{value:_}"
    return str(value)


def _words(value: int | float, unit: str) -> str:
    if unit == "USD":
        return f"${value / 1e9:.1f} billion" if value >= 1e9 else f"${value / 1e6:.0f} million"
    if unit == "GBP":
        return f"£{value / 1e9:.1f} billion" if value >= 1e9 else f"£{value / 1e6:.0f} million"
    if unit == "percent":
        return f"{value} per cent"
    if unit == "day":
        return f"{value:,} days"
    return f"{value:,}"


def _quote(rng: random.Random, claimant: str, words: str, thing: str, place: str) -> str:
    who = claimant[0].lower() + claimant[1:] if claimant.startswith(("The ", "A ", "An ")) else claimant
    sentence = rng.choice((
        f"According to {who}, {words} {thing} were counted in {place} by the end of the period.",
        f"“We have recorded {words} {thing},” {who} said, adding that the figure for {place} was still being checked.",
        f"{claimant} said {words} {thing} had been {rng.choice(VERBS)} {place}, a number that could not be independently verified.",
        f"The report, which {who} shared with reporters, puts the figure at {words} {thing} in {place}.",
    ))
    extra = (
        f" It’s the first time the number for {place} has been made public.",
        " Officials did not say how the figure was reached.",
        f" The estimate is higher than last year’s, when analysts counted far fewer {thing}.",
        " Critics said the count left out equipment that had been moved or sold, and that the real number could be higher still.",
        "",
    )
    quote = sentence
    while len(quote) < 80 or (len(quote) < 450 and rng.random() < 0.45):
        quote += rng.choice(extra) or " The figure was repeated in later briefings."
    return quote[:4000]


# -- YAML writing -------------------------------------------------------------------------------

def _scalar(text: str) -> str:
    """A plain scalar when it is safely text, else a double-quoted one (JSON strings are valid YAML)."""
    if _PLAIN_SAFE.match(text) and ": " not in text and " #" not in text and not text.endswith(":"):
        return text
    return json.dumps(text, ensure_ascii=False)


def _list(key: str, items: list[str], indent: int, flow: bool) -> str:
    pad = " " * indent
    if flow:
        return f"{pad}{key}: [{', '.join(_scalar(i) for i in items)}]\n"
    return f"{pad}{key}:\n" + "".join(f"{pad}  - {_scalar(i)}\n" for i in items)


def _date(rng: random.Random, first: int, last: int, precision: str | None = None) -> str:
    year = rng.randint(first, last)
    precision = precision or rng.choices(("year", "month", "day"), weights=(15, 55, 30))[0]
    if precision == "year":
        return str(year)
    month = rng.randint(1, 12)
    if precision == "month":
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, calendar.monthrange(year, month)[1]):02d}"


def _slug(text: str) -> str:
    return _SLUG.sub("-", text.lower().replace("’", "").replace("'", "")).strip("-")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic figures catalogue of N figures.")
    parser.add_argument("n", type=int, help="number of figures")
    parser.add_argument("-o", "--output", help="file to write (default: standard output)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    text = generate(args.n, args.seed)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
