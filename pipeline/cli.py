"""The `govreport` command line: a thin shell over pipeline.batch and pipeline.run."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from pipeline.batch import expand_inputs, gather, parse_many
from pipeline.checks import RULES, SEVERITIES, recheck
from pipeline.errors import PipelineError
from pipeline.output import read_rows, written_formats
from pipeline.run import ParseResult, parse_file
from pipeline.show import render
from pipeline.write import FORMATS, to_arrow, write_tables


@click.group()
@click.version_option(package_name="govreport")
def cli() -> None:
    """Turn 政府信息公开工作年度报告 (PDF, Word, text, HTML) into keyed tables."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder for documents / sections / records / findings / coverage.")
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv", "both"]), default="both", show_default=True,
              help="Which files to write.")
def parse(paths: tuple[Path, ...], out_dir: Path, fmt: str) -> None:
    """Parse reports (files or folders) into the four output tables, checked, plus coverage.

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


@cli.command()
def rules() -> None:
    """List every check: its id, severity and what it checks.

    Example:

    \b
        govreport rules
    """
    ordered = sorted(RULES.values(), key=lambda r: (SEVERITIES.index(r.severity), r.id))
    width = max(len(r.id) for r in ordered)
    for registered in ordered:
        click.echo(f"{registered.id:<{width}}  {registered.severity:<8} {registered.description}")


@cli.command()
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
def check(out_dir: Path) -> None:
    """Re-run the checks on parsed output and rewrite its findings and coverage tables.

    Example:

    \b
        govreport check output/
    """
    try:
        rows = read_rows(out_dir)
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc
    fresh = recheck(rows)
    tables = {name: to_arrow(name, table_rows) for name, table_rows in fresh.items()}
    write_tables(out_dir, tables, written_formats(out_dir))
    counts = {s: sum(1 for f in fresh["findings"] if f["severity"] == s) for s in SEVERITIES}
    flagged = len({f["doc_id"] for f in fresh["findings"] if f["severity"] == "error"})
    click.echo(f"{len(rows['documents'])} document(s) checked: {counts['error']} error(s) in {flagged} document(s), "
               f"{counts['warning']} warning(s), {counts['info']} info(s) → {out_dir}/findings, coverage")


@cli.command()
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", "html_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The HTML file to write (default OUT_DIR/report.html); the workbook goes beside it (.xlsx).")
def report(out_dir: Path, html_path: Path | None) -> None:
    """Write the oversight report of parsed output: one HTML page and an Excel workbook.

    Example:

    \b
        govreport report output/ -o report.html
    """
    from pipeline.report import write_report  # openpyxl is only needed here

    try:
        page, workbook, data = write_report(out_dir, html_path or out_dir / "report.html")
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{len(data.views)} report(s), {len(data.findings)} finding(s) → {page}, {workbook}")


@cli.command()
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--agency", default=None, help="Only this body (as in documents.agency); default every body.")
def compare(out_dir: Path, agency: str | None) -> None:
    """Compare each body's consecutive report years: table cells, indicators, repeated prose.

    Writes OUT_DIR/compare.parquet and OUT_DIR/compare.csv.

    Example:

    \b
        govreport compare output/ --agency 淮安市人民政府
    """
    from pipeline.api import load
    from pipeline.compare import compare as year_over_year
    from pipeline.write import FORMATS, write_frame

    try:
        changes = year_over_year(load(out_dir), agency)
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc
    write_frame(out_dir, "compare", changes, FORMATS)
    pairs = changes[["agency", "year_from", "year_to"]].drop_duplicates()
    prose = changes[(changes["kind"] == "prose") & (changes["row"] == "all")]
    click.echo(f"{len(pairs)} pair(s) of consecutive report years, {len(changes)} rows → {out_dir}/compare.parquet")
    for row in prose.itertuples():
        click.echo(f"  {row.agency} {row.year_from}→{row.year_to}: {row.value_to:.0%} of sentences repeated")


def main() -> None:
    """Entry point of the console script."""
    cli()
