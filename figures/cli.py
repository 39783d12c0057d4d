"""The command line: ``python -m figures check|export ...`` (also the ``figures`` script).

Exit codes: 0 valid, 1 the catalogue has problems, 2 usage errors (no such
file, a directory, an unknown format).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from figures import exports
from figures.loader import load
from figures.model import Catalogue

DEFAULT_DATA = "data/figures.yaml"


def data_path(path: str | None) -> Path:
    """The catalogue to use: the argument, else ``$FIGURES_DATA``, else ``data/figures.yaml``."""
    return Path(path or os.environ.get("FIGURES_DATA") or DEFAULT_DATA)


def _open(path: str | None) -> Catalogue:
    target = data_path(path)
    if target.is_dir():
        raise click.UsageError(f"{target} is a directory; give the path of a .yaml catalogue file")
    if not target.exists():
        raise click.UsageError(f"{target}: no such file; give the path of a catalogue, or set FIGURES_DATA")
    try:
        return load(target)
    except OSError as err:
        raise click.UsageError(f"{target}: cannot be read ({err.strerror or err})") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Check, export and publish a figures catalogue."""


@main.command()
@click.argument("path", required=False)
def check(path: str | None) -> None:
    """Validate PATH (default $FIGURES_DATA or data/figures.yaml).

    Prints one line per problem as PATH:LINE: what is wrong; how to fix it.
    """
    catalogue = _open(path)
    if catalogue.problems:
        for problem in catalogue.problems:
            click.echo(str(problem))
        click.echo(f"{len(catalogue.problems)} problem(s); {len(catalogue.figures)} figure(s) are valid", err=True)
        sys.exit(1)
    click.echo(
        f"{catalogue.path}: OK: {len(catalogue.figures)} figures, {catalogue.claim_count} claims, "
        f"{len(catalogue.sources)} sources, {len(catalogue.stories)} stories"
    )


@main.group()
def export() -> None:
    """Export the catalogue in a data format."""


@export.command("csv")
@click.argument("path", required=False)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file instead of standard output.")
def export_csv(path: str | None, output: str | None) -> None:
    """Write the tidy CSV (one row per claim) of PATH.

    Figures with problems are left out and the problems are listed on standard error.
    """
    catalogue = _open(path)
    for problem in catalogue.problems:
        click.echo(f"skipped: {problem}", err=True)
    data = exports.EXPORTERS["csv"](catalogue, None)
    if output:
        try:
            Path(output).write_bytes(data)
        except OSError as err:
            raise click.UsageError(f"{output}: cannot be written ({err.strerror or err}); check that its folder exists and is writable") from None
        click.echo(f"wrote {catalogue.claim_count} claims to {output}", err=True)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
