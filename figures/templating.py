"""HTML from templates: one Jinja2 environment over ``figures/templates/``, autoescape on.

Every page this project writes (the standalone figure page, the static site's
figure pages, embed cards, withdrawn pages and index) extends one base
template, ``_page.html.j2``, which holds the shared ``<head>`` filled from a
:class:`Head`; so no catalogue string is ever pasted into markup by hand: a
value is escaped unless it is :class:`markupsafe.Markup` made here or in
:mod:`figures.site` and :mod:`figures.exports`, and JSON goes into a page
only through ``|script_json`` (:func:`script_json`: ``<``, ``>`` and ``&`` escaped), and only inside ``<script>``.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import json
from dataclasses import dataclass

import jinja2
import markupsafe

from figures import formatting
from figures.model import Confidence

GENERATOR = "figures"
"""The ``<meta name="generator">`` of every site page: how a build recognises its own pages in a folder."""


@dataclass(frozen=True)
class Head:
    """What a page's ``<head>`` says (``_page.html.j2``), each value escaped there.

    Parameters
    ----------
    title
        The ``<title>``.
    csp
        The Content-Security-Policy (:func:`content_security_policy`).
    description
        The ``<meta name="description">``, if any.
    canonical
        The ``<link rel="canonical">`` address, if known.
    robots
        The ``<meta name="robots">`` (``"noindex"``), if any.
    generator
        Whether the page carries ``<meta name="generator">`` (the site's pages do; the standalone export does not).
    """

    title: str
    csp: str
    description: str | None = None
    canonical: str | None = None
    robots: str | None = None
    generator: bool = True


def content_security_policy(*, style: str, img: str, script: str | None = None) -> str:
    """A page's Content-Security-Policy: nothing by default, no ``<base>``, no form; ``script``, ``style`` and ``img`` sources.

    Parameters
    ----------
    style, img
        The sources of ``style-src`` and ``img-src``.
    script
        The sources of ``script-src``; None for a page without script.
    """
    directives = ["default-src 'none'"]
    if script is not None:
        directives.append(f"script-src {script}")
    directives += [f"style-src {style}", f"img-src {img}", "base-uri 'none'", "form-action 'none'"]
    return "; ".join(directives)


def badge(confidence: Confidence) -> markupsafe.Markup:
    """The confidence badge: a symbol and the word, coloured, never colour alone."""
    label = formatting.CONFIDENCE_LABELS[confidence]
    return markupsafe.Markup('<span class="badge badge-{}">{} {}</span>').format(
        confidence.value, formatting.CONFIDENCE_ICONS[confidence], label)


_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def script_json(value: object) -> markupsafe.Markup:
    """The ``|script_json`` filter: JSON safe inside a ``<script>`` element, sorted keys, compact, UTF-8 text.

    ``<``, ``>`` and ``&`` are escaped, so nothing in it can end the element or open a comment, and
    U+2028 and U+2029, which a JavaScript file (``specs.js``) older than ES2019 may not hold in a string.
    Unlike Jinja's own filter it leaves ``'`` as it is: it cannot end a script element, and the
    published pages have always written it so (a change here would rewrite every archived version).
    Use it only inside ``<script>``, never in an attribute.
    """
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _SCRIPT_ESCAPES:
        text = text.replace(char, escape)
    return markupsafe.Markup(text)


@functools.cache
def environment() -> jinja2.Environment:
    """The one environment (built on first use): autoescape, undefined names an error, the :func:`badge` global."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("figures", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.globals["badge"] = badge
    env.globals["generator"] = GENERATOR
    env.filters["script_json"] = script_json  # a name of its own: Jinja's tojson stays, safe in attributes too
    return env


def render(template: str, **context: object) -> str:
    """A template of ``figures/templates/`` filled with ``context``."""
    return environment().get_template(template).render(**context)


def fingerprint() -> str:
    """A hash of every template's name and text: a page made from them changes only when this does."""
    digest = hashlib.sha256()
    folder = importlib.resources.files("figures").joinpath("templates")
    for template in sorted(folder.iterdir(), key=lambda p: p.name):
        digest.update(template.name.encode() + b"\0" + template.read_bytes() + b"\0")
    return digest.hexdigest()
