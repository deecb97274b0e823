"""The `govreport` command line: a thin shell over pipeline.batch and pipeline.run."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from pipeline.batch import expand_inputs, gather, parse_many
from pipeline.run import ParseResult, parse_file
from pipeline.show import render
from pipeline.write import FORMATS, write_tables


@click.group()
@click.version_option(package_name="govreport")
def cli() -> None:
    """Turn 政府信息公开工作年度报告 (PDF, Word, text, HTML) into keyed tables."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder for documents / sections / records / findings.")
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv", "both"]), default="both", show_default=True,
              help="Which files to write.")
def parse(paths: tuple[Path, ...], out_dir: Path, fmt: str) -> None:
    """Parse reports (files or folders) into the four output tables.

    Example:

    \b
        govreport parse reports/ fixtures/sample.pdf -o output/
    """
    files = expand_inputs(paths)
    if not files:
        raise click.ClickException("no report files found in the given paths")
    failed: list[ParseResult] = []

    def progress(result: ParseResult) -> None:
        doc = result.document
        if not result.ok:
            failed.append(result)
        click.echo(f"{doc['status']:<12} {doc['source_path']}", err=True)

    tables = gather(parse_many(files, progress))
    formats = FORMATS if fmt == "both" else (fmt,)
    written = write_tables(out_dir, tables, formats)
    click.echo(f"{len(files)} file(s): {len(files) - len(failed)} parsed, {len(failed)} failed; "
               f"{tables['records'].num_rows} records → {out_dir}/ ({', '.join(p.name for p in written)})")
    for result in failed:
        click.echo(f"failed: {result.document['source_path']}: {result.document.get('error')}", err=True)
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("report", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def show(report: Path) -> None:
    """Print the recognized sections and tables of one report.

    Example:

    \b
        govreport show fixtures/sample.pdf
    """
    result = parse_file(report)
    click.echo(render(result))
    if not result.ok:
        sys.exit(1)


def main() -> None:
    """Entry point of the console script."""
    cli()
