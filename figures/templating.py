"""HTML from templates: one Jinja2 environment over ``figures/templates/``, autoescape on.

Every page this project writes (the standalone figure page, the static site's
figure pages, embed cards and index) comes from these templates, so no
catalogue string is ever pasted into markup by hand: a value is escaped
unless it is :class:`markupsafe.Markup` made here or in :mod:`figures.site`.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources

import jinja2
import markupsafe

from figures import formatting
from figures.model import Confidence

GENERATOR = "figures"
"""The ``<meta name="generator">`` of every page: how a build recognises its own pages in a folder."""


def badge(confidence: Confidence) -> markupsafe.Markup:
    """The confidence badge: a symbol and the word, coloured, never colour alone."""
    label = formatting.CONFIDENCE_LABELS[confidence]
    return markupsafe.Markup('<span class="badge badge-{}">{} {}</span>').format(
        confidence.value, formatting.CONFIDENCE_ICONS[confidence], label)


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
