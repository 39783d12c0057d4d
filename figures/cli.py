"""The command line: ``python -m figures check|export|build ...`` (also the ``figures`` script).

Exit codes: 0 valid, 1 the catalogue has problems, 2 usage errors (no such
file, a directory, an unknown format or figure). ``build`` exits 0 when it
built at least one figure, even if others were skipped for problems (each
printed as ``skipped: PATH:LINE: ...``); 1 when no figure could be built, when
the images of a figure could not be drawn (each printed as ``not drawn: ID:
why``; the rest of the site is written), or with ``--strict`` when there was
any problem. ``export png|svg|html|vl.json FIGURE`` exits 1 with one line
naming the figure when its image cannot be drawn.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import time
from pathlib import Path

import click

from figures import exports, report, schema
from figures.loader import load
from figures.model import Catalogue
from figures.render import RenderError

DEFAULT_DATA = "data/figures.yaml"
SITE_URL_ENV = "FIGURES_SITE_URL"
"""Environment variable: the static site's public address, when `figures build` is not given `--base-url`."""


def data_path(path: str | None) -> Path:
    """The catalogue to use: the argument, else ``$FIGURES_DATA``, else ``data/figures.yaml``."""
    return Path(path or os.environ.get("FIGURES_DATA") or DEFAULT_DATA)


def _open(path: str | None) -> Catalogue:
    target = data_path(path)
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
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="text: PATH:LINE: message; json: one object with every problem (code, field, severity, path, line, message); "
                   "github: ::error and ::warning annotations that mark the lines of a pull request.")
@click.option("--strict", is_flag=True, help="Fail on warnings too: quotes, numbers and qualifiers against the archived texts, "
                                             "and figures of a text that no claim holds.")
def check(path: str | None, output_format: str, strict: bool) -> None:
    """Validate PATH: a catalogue file, or a folder of them (default $FIGURES_DATA or data/figures.yaml).

    Prints one line per problem as PATH:LINE: what is wrong; how to fix it, then
    PATH:LINE: warning: ... for each check against an archived text that failed
    (exit 1 only with --strict).
    """
    catalogue = _open(path)
    failed = report.failed(catalogue, strict)
    if output_format == "json":
        click.echo(json.dumps(report.as_json(catalogue, strict), indent=2, ensure_ascii=False))
        sys.exit(1 if failed else 0)
    if output_format == "github":
        for line in report.github_annotations(catalogue, strict):
            click.echo(line)
        sys.exit(1 if failed else 0)
    for line in report.as_text(catalogue):
        click.echo(line)
    if failed:
        counts = f"{len(catalogue.problems)} problem(s)"
        if catalogue.warnings:
            counts += f", {len(catalogue.warnings)} warning(s){' (--strict)' if strict else ''}"
        click.echo(f"{counts}; {len(catalogue.figures)} figure(s) are valid", err=True)
        sys.exit(1)
    checked = sum(1 for f in catalogue.figures for c in f.claims if c.checked)
    warned = f", {len(catalogue.warnings)} warning(s)" if catalogue.warnings else ""
    click.echo(
        f"{catalogue.path}: OK: {len(catalogue.figures)} figures, {catalogue.claim_count} claims "
        f"({checked} quotes checked against archived texts), {len(catalogue.sources)} sources, {len(catalogue.stories)} stories{warned}"
    )


@main.command("schema")
@click.option("--format", "output_format", type=click.Choice(["json", "markdown"]), default="json", show_default=True,
              help="json: the JSON Schema; markdown: the README's field tables, section by section.")
def schema_command(output_format: str) -> None:
    """Print the JSON Schema (draft 2020-12) of the catalogue format, for editors (see README, "Tooling for editors")."""
    if output_format == "markdown":
        click.echo("\n\n".join(f"### `{section}`\n\n{schema.markdown_table(section)}" for section in schema.SECTIONS))
        return
    click.echo(json.dumps(schema.json_schema(), indent=2, ensure_ascii=False))


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
    data = exports.EXPORTERS["csv"].render(catalogue, None)
    _emit(data, output, f"wrote {catalogue.claim_count} claims to {output}")


def _emit(data: bytes, output: str | None, note: str) -> None:
    """Write ``data`` to the file ``output`` (and ``note`` to standard error), else to standard output."""
    if output:
        try:
            Path(output).write_bytes(data)
        except OSError as err:
            raise click.UsageError(f"{output}: cannot be written ({err.strerror or err}); check that its folder exists and is writable") from None
        click.echo(note, err=True)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _figure_export(fmt: exports.Format) -> click.Command:
    """``figures export <format> FIGURE [PATH] [-o FILE]`` for one per-figure format of :data:`figures.exports.EXPORTERS`."""

    @click.argument("figure_id", metavar="FIGURE")
    @click.argument("path", required=False)
    @click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file instead of standard output.")
    def command(figure_id: str, path: str | None, output: str | None) -> None:
        catalogue = _open(path)
        for problem in catalogue.problems:
            click.echo(f"skipped: {problem}", err=True)
        figure = catalogue.figure(figure_id)
        if figure is None:
            if catalogue.problems:
                raise click.ClickException(f"{catalogue.path}: no valid figure {figure_id!r}; the problems above may concern it")
            raise click.UsageError(f"{catalogue.path}: no figure {figure_id!r}; give the id of one of its figures")
        try:
            data = fmt.render(catalogue, figure)
        except RenderError as err:
            raise click.ClickException(f"{figure.id}: its {fmt.name} file could not be drawn: {err.reason}") from None
        _emit(data, output, f"wrote the {fmt.name} file of {figure.id} to {output}")

    command.__doc__ = f"""Write one figure's {fmt.name} file ({fmt.label}): FIGURE is its id, PATH the catalogue."""
    return export.command(fmt.name)(command)


for _fmt in exports.EXPORTERS.values():
    if _fmt.needs_figure:
        _figure_export(_fmt)


@main.command()
@click.argument("path", required=False)
@click.option("--date", "on", metavar="YYYY-MM-DD", help="The day of publication (default: today, UTC).")
@click.option("--dry-run", is_flag=True, help="Say what would be published; write nothing.")
def publish(path: str | None, on: str | None, dry_run: bool) -> None:
    """Record PATH as published: a new version of every figure whose published content changed.

    The record is PATH's sibling file NAME.published.jsonl, one JSON object a
    line; commit it with the catalogue. Refuses (exit 1, every problem at its
    PATH:LINE) a changed value, range, qualifier, unit or as-of without a new
    correction, an edited or removed correction, a published figure gone
    without a withdrawn: entry, and a catalogue with any problem.
    """
    from figures import versions
    from figures.model import PartialDate

    catalogue = _open(path)
    record = versions.record_path(catalogue.path)
    if on is None:
        today = datetime.datetime.now(datetime.UTC).date()
        day = PartialDate(today.year, today.month, today.day)
    else:
        try:
            parsed = datetime.date.fromisoformat(on)
        except ValueError:
            raise click.UsageError(f"--date {on!r} is not a day; write it as 2023-02-01") from None
        day = PartialDate(parsed.year, parsed.month, parsed.day)
    published, record_problems = versions.read_record(record)
    problems = list(catalogue.problems) + record_problems
    if not problems:
        new, problems = versions.publish(catalogue, published, day, str(record))
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s): nothing was published; fix them and publish again", err=True)
        sys.exit(1)
    for version in new:
        what = "withdrawn" if version.withdrawn else f"version {version.number}"
        click.echo(f"{'would publish' if dry_run else 'published'}: {version.figure} {what} ({version.date.iso})", err=True)
    if not new:
        click.echo(f"nothing to publish: every figure is as in {record}", err=True)
    elif not dry_run:
        versions.append(record, new)
        click.echo(f"{len(new)} version(s) added to {record}; commit it with the catalogue", err=True)


@main.command()
@click.argument("path", required=False)
@click.option("-o", "--output", "output", required=True, type=click.Path(file_okay=False),
              help="The site's folder: replaced as a whole when the new site is complete (created if missing).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="the number of CPUs",
              help="Figures rendered in parallel.")
@click.option("--base-url", envvar=SITE_URL_ENV, metavar="URL",
              help=f"The site's public address (or ${SITE_URL_ENV}): canonical links, oEmbed, absolute URLs and the embed code.")
@click.option("--force", is_flag=True, help="Replace the output folder even if it holds files a build did not write.")
@click.option("--cache", "cache", type=click.Path(file_okay=False), metavar="DIR",
              help="The build cache (default: OUTPUT.cache beside the site).")
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on standard error.")
@click.option("--strict", is_flag=True, help="Exit 1 when the catalogue has any problem, even if figures were built (for CI).")
def build(path: str | None, output: str, jobs: int, base_url: str | None, force: bool, cache: str | None,
          progress: bool, strict: bool) -> None:
    """Publish PATH as a static site in a folder any web server or CDN can serve.

    Writes per figure OUTPUT/<id>/ (index.html with the chart drawn in,
    embed.html, chart.png, chart.svg, chart.vl.json, data.csv, and
    oembed.json with --base-url), OUTPUT/assets/ (Vega, once per site), and
    OUTPUT/index.html, figures.csv and datapackage.json. Only what changed is
    drawn again (the cache is OUTPUT.cache); the new site replaces the old
    one only when complete, so an interrupted build leaves the old one as it
    was. Figures with problems are skipped and each problem is printed on
    standard error; the exit code is 0 when at least one figure was built, 1
    when the images of a figure could not be drawn (the rest is published),
    2 when OUTPUT must not be replaced, 130 or 143 when interrupted.
    """
    from figures.build import BuildInterrupted, ImagesNotDrawn, build_site  # vl-convert and the charts load only when building
    from figures.outdir import UnsafeOutput
    from figures.versions import RecordError

    catalogue = _open(path)
    for problem in catalogue.problems:
        click.echo(f"skipped: {problem}", err=True)
    if not catalogue.figures:
        click.echo(f"{catalogue.path}: no valid figure to build", err=True)
        sys.exit(1)
    if base_url and exports.safe_url(base_url) is None:
        raise click.UsageError(f"--base-url {base_url!r} is not an http(s) address such as https://news.example/figures/")
    target = Path(output)
    started = time.perf_counter()
    failures: dict[str, str] = {}
    try:
        written = build_site(catalogue, target, jobs=jobs, progress=progress, base_url=base_url, force=force,
                             cache_dir=Path(cache) if cache else None, warn=lambda line: click.echo(line, err=True))
    except RecordError as err:
        for problem in err.problems:
            click.echo(str(problem), err=True)
        click.echo("the published record cannot be read whole: nothing was built", err=True)
        sys.exit(1)
    except ImagesNotDrawn as err:
        written, failures = err.written, err.failures
    except UnsafeOutput as err:
        raise click.UsageError(str(err)) from None
    except KeyboardInterrupt as err:
        click.echo(f"\ninterrupted: nothing was published; {target} is as it was", err=True)
        sys.exit(143 if isinstance(err, BuildInterrupted) else 130)
    except OSError as err:
        raise click.ClickException(f"{err.filename or target}: cannot be written ({err.strerror or err})") from None
    click.echo(f"built {len(catalogue.figures)} figures ({len(written)} files) in {target} in {time.perf_counter() - started:.1f} s", err=True)
    if not base_url:
        click.echo(f"no --base-url (or ${SITE_URL_ENV}): pages have no embed code, oEmbed or canonical links", err=True)
    for figure_id, why in failures.items():
        click.echo(f"not drawn: {figure_id}: {why}", err=True)
    if catalogue.problems:
        click.echo(f"{len(catalogue.problems)} problem(s): the figures they concern were left out", err=True)
    if failures:
        click.echo(f"{len(failures)} figure(s) have no images: the renderer failed on them; every other file was published", err=True)
        sys.exit(1)
    if catalogue.problems and strict:
        sys.exit(1)
