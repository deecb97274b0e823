"""The `govreport` command line: a thin shell over pipeline.batch.inprocess and pipeline.run."""

from __future__ import annotations

import logging
import sys
from collections import Counter
from pathlib import Path

import click

from pipeline.batch.inprocess import gather, parse_many
from pipeline.batch.inputs import expand_sources, missing_inputs
from pipeline.batch.lock import OutputLock, OutputLocked
from pipeline.batch.runner import BatchSettings, run_batch
from pipeline.batch.workers import Limits
from pipeline.checks import RULES, SEVERITIES, recheck
from pipeline.errors import PipelineError
from pipeline.output import datapackage
from pipeline.output.readback import read_rows, written_formats
from pipeline.output.write import FORMATS, to_arrow, write_tables
from pipeline.run import ParseResult, parse_file
from pipeline.show import render


@click.group()
@click.version_option(package_name="govreport")
def cli() -> None:
    """Turn 政府信息公开工作年度报告 (PDF, Word, text, HTML) into keyed tables."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder for documents / sections / records / findings / coverage.")
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv", "both"]), default="both", show_default=True,
              help="Which files to write.")
def parse(paths: tuple[str, ...], out_dir: Path, fmt: str) -> None:
    """Parse reports (files, folders, globs, .zip archives) into the output tables, checked, plus coverage.

    Example:

    \b
        govreport parse reports/ 'downloads/**/*.pdf' 2023.zip fixtures/sample.pdf -o output/
    """
    missing = missing_inputs(paths)
    if missing:
        raise click.ClickException(f"no such file, folder or match: {', '.join(missing)}")
    files = expand_sources(paths)
    if not files:
        raise click.ClickException("no report files found in the given paths")
    failed: list[ParseResult] = []

    def progress(result: ParseResult) -> None:
        doc = result.document
        if not result.ok:
            failed.append(result)
        click.echo(f"{doc['status']:<12} {doc['source_path']}", err=True)
        if doc["status"] == "needs_review":
            click.echo(f"{'':<12} {doc['error']}", err=True)

    formats = FORMATS if fmt == "both" else (fmt,)
    try:
        with OutputLock(out_dir):
            tables = gather(parse_many(files, progress))
            written = write_tables(out_dir, tables, formats)
            written.append(datapackage.describe_flat(out_dir, tables, formats))
    except OutputLocked as exc:
        raise click.ClickException(str(exc)) from exc
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
@click.option("--reviews", is_flag=True,
              help="Also write the review page of every report that is not plainly ok (review/<doc_id>/ beside the "
                   "HTML file), linked from its row; the reports' files must still be where they were read.")
def report(out_dir: Path, html_path: Path | None, reviews: bool) -> None:
    """Write the oversight report of parsed output: one HTML page and an Excel workbook.

    Example:

    \b
        govreport report output/ -o report.html
        govreport report output/ -o oversight/report.html --reviews
    """
    from pipeline.report import write_report  # openpyxl is only needed here

    try:
        page, workbook, data = write_report(out_dir, html_path or out_dir / "report.html", reviews=reviews)
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{len(data.views)} report(s), {len(data.findings)} finding(s) → {page}, {workbook}")


@cli.command()
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("fingerprint")
@click.option("--confirm", "decision", flag_value="confirmed", help="The finding stands.")
@click.option("--dismiss", "decision", flag_value="dismissed", help="The finding does not stand (a misread, …).")
@click.option("--reopen", "decision", flag_value="open", help="Remove the decision: the finding is open again.")
@click.option("--note", default="", help="Why, in your words.")
@click.option("--by", "by", required=True, help="Who decides (a name or initials).")
def decide(out_dir: Path, fingerprint: str, decision: str | None, note: str, by: str) -> None:
    """Confirm or dismiss a finding of parsed output: a row of OUT_DIR/decisions.csv.

    FINGERPRINT is the finding's fingerprint as the oversight report and workbook show it (a unique
    prefix of six or more digits will do). Decisions are kept when the folder is parsed again.

    Example:

    \b
        govreport decide output/ 3f9a0c1e5b7d2a44 --dismiss --note "OCR misread 8 as 3" --by wl
    """
    from pipeline import decisions

    if decision is None:
        raise click.UsageError("say --confirm, --dismiss or --reopen")
    try:
        row = decisions.decide(out_dir, fingerprint, None if decision == "open" else decision, by, note)
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc
    where = " ".join(str(row.get(k)) for k in ("doc_id", "rule", "table", "row", "column") if row.get(k))
    click.echo(f"{row['fingerprint']} {decision} {where} → {out_dir / decisions.DECISIONS_FILE}")


@cli.command()
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("doc_id")
@click.argument("table")
@click.argument("row")
@click.argument("column")
@click.argument("value")
@click.option("--note", default="", help="Why, in your words (what the printed page shows).")
@click.option("--by", "by", required=True, help="Who corrects (a name or initials).")
def correct(out_dir: Path, doc_id: str, table: str, row: str, column: str, value: str, note: str, by: str) -> None:
    """Record the value a person reads on the printed page for one cell: a row of OUT_DIR/corrections.csv.

    The parsed value in records is never changed; join the corrections on (doc_id, table, row,
    column) to use them (README: Decisions and corrections). VALUE is a number, or "blank".

    Example:

    \b
        govreport correct output/ 3f9a0c1e5b7d2a44 applications new_received total 128 --by wl --note "p.3"
    """
    from pipeline import decisions
    from pipeline.textnorm import parse_number

    number = None if value.strip().lower() == "blank" else parse_number(value)
    if number is None and value.strip().lower() != "blank":
        raise click.BadParameter(f"{value!r} is not a number (say blank for a blank cell)", param_hint="VALUE")
    try:
        done = decisions.correct(out_dir, (doc_id, table, row, column), number, by, note)
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc
    parsed = done["parsed_value"]
    click.echo(f"{doc_id} {table} {row} {column}: parsed {'blank' if parsed is None else f'{parsed:g}'}, "
               f"corrected to {value} → {out_dir / decisions.CORRECTIONS_FILE}")


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
    from pipeline.output.write import FORMATS, write_frame

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


@cli.command()
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--roster", "roster_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="CSV of the bodies expected to publish: name, and optionally adcode, level, parent.")
@click.option("--governments-under", "places", multiple=True,
              help="Also expect the government of every division directly under PLACE (淮安市: its counties).")
@click.option("--years", default=None, help="Report years expected, e.g. 2019-2025 (default: the years of OUT_DIR).")
@click.option("--manifest", "manifest_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="CSV of publication dates you know: file (or doc_id), published (YYYY-MM-DD).")
@click.option("-o", "--output", "target", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the table (FILE.parquet and FILE.csv); default OUT_DIR/compliance.parquet.")
def coverage(out_dir: Path, roster_path: Path | None, places: tuple[str, ...], years: str | None,
             manifest_path: Path | None, target: Path | None) -> None:
    """Compliance coverage: which roster bodies published each year's report, on time and complete.

    Roster names are matched to the reports by body identity (README: Coverage), never by exact text;
    a name that matches no body or two is reported and the command exits 1.

    Example:

    \b
        govreport coverage output/ --roster roster.csv --years 2019-2025
        govreport coverage output/ --governments-under 淮安市 --roster departments.csv
    """
    from pipeline import compliance

    try:
        rows = read_rows(out_dir, ("documents", "metadata", "coverage"))
        expected_years = compliance.parse_years(years) if years else None
        manifest = compliance.read_manifest(manifest_path) if manifest_path else None
        if roster_path is None and not places:
            raise compliance.RosterError("name the expected bodies: --roster ROSTER.csv and/or --governments-under")
        roster = [row for place in places for row in compliance.governments_under(place)]
        roster += compliance.read_roster(roster_path) if roster_path else []
        table = compliance.coverage_table(roster, rows, expected_years, manifest)
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc
    target = target or out_dir / "compliance.parquet"
    written = write_tables(target.parent, {target.stem: table}, FORMATS)
    written.append(datapackage.add_resources(target.parent, [
        datapackage.resource(target.stem, f"{target.stem}.csv", "csv", "compliance")]))
    states = Counter(table.column("state").to_pylist())
    late = sum(1 for value in table.column("on_time").to_pylist() if value is False)
    click.echo(f"{table.num_rows} body-year row(s): {states['published']} published ({late} late), "
               f"{states['missing']} missing → {', '.join(str(p) for p in written[:2])}")
    issues = compliance.problems(table)
    for line in issues:
        click.echo(f"roster: {line}", err=True)
    if issues:
        sys.exit(1)


_MAX_FAILURES_LISTED = 20


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Dataset folder: OUT/<table>/part-*.parquet; a rerun resumes it.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the number of CPUs).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: isolated worker processes here; dask: a Dask distributed cluster.")
@click.option("--scheduler", default=None, help="Dask scheduler address (tcp://host:8786); default a LocalCluster.")
@click.option("--csv", "write_csv", is_flag=True, help="Also write OUT/<table>.csv at the end.")
@click.option("--duckdb", "duckdb_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write a DuckDB database with every table.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=Limits.timeout, show_default=True,
              help="Seconds one document may take (on Dask, the worker running it past this is restarted).")
@click.option("--max-memory", type=click.IntRange(min=64), default=Limits.max_memory_mb, show_default=True,
              help="MB of memory a worker may add while parsing a document (Dask LocalCluster: per worker).")
@click.option("--max-pages", type=click.IntRange(min=1), default=Limits.max_pages, show_default=True,
              help="A PDF with more pages fails without being parsed.")
@click.option("--chunk-size", type=click.IntRange(min=1), default=BatchSettings.chunk_size, show_default=True,
              help="Documents committed together.")
@click.option("--retry-failed", is_flag=True,
              help="Parse again the documents among the inputs that an earlier run left failed.")
def batch(inputs: tuple[str, ...], out_dir: Path, workers: int | None, engine: str, scheduler: str | None,
          write_csv: bool, duckdb_path: Path | None, timeout: float, max_memory: int, max_pages: int,
          chunk_size: int, retry_failed: bool) -> None:
    """Convert an archive of reports (folders, globs, .zip files) into a resumable Parquet dataset.

    Each document is parsed in a worker process under a time and memory limit; a file that
    hangs, crashes or blows up becomes a failed documents row and the batch goes on. Chunks
    are committed as they finish: run the same command again to resume after an interruption.

    Example:

    \b
        govreport batch archive/ 2023/*.zip -o dataset/ --workers 4 --csv
        govreport batch archive/ -o dataset/ --engine dask --scheduler tcp://10.0.0.5:8786
        govreport batch archive/ -o dataset/ --timeout 300 --retry-failed   # the timed-out ones, with more time
    """
    missing = missing_inputs(inputs)
    if missing:
        raise click.ClickException(f"no such file, folder or match: {', '.join(missing)}")
    settings = BatchSettings(
        workers=workers or BatchSettings.workers, engine=engine, scheduler=scheduler, chunk_size=chunk_size,
        limits=Limits(timeout=timeout, max_memory_mb=max_memory, max_pages=max_pages),
        csv=write_csv, duckdb=duckdb_path, retry_failed=retry_failed)
    try:
        summary = run_batch(inputs, out_dir, settings)
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(summary.one_line(out_dir))
    for path, error in summary.failures[:_MAX_FAILURES_LISTED]:
        click.echo(f"failed: {path}: {error}", err=True)
    if len(summary.failures) > _MAX_FAILURES_LISTED:
        click.echo(f"… and {len(summary.failures) - _MAX_FAILURES_LISTED} more failed (see {out_dir}/documents)",
                   err=True)
    if summary.failures:
        sys.exit(1)


@cli.command()
@click.argument("report")
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for index.html and its assets/ (page pictures and crops).")
@click.option("--from", "from_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Take the report from this output folder (REPORT: its doc_id or file name) instead of parsing it.")
def review(report: str, out_dir: Path, from_dir: Path | None) -> None:
    """Write a review page of one report: its pages with every value read on its cell, and the findings.

    REPORT is a report file (parsed now), or with --from a doc_id or file name of parsed output.

    Example:

    \b
        govreport review reports/2023-scan.pdf -o review/
        govreport review 65d8c45e --from output/ -o review/
    """
    from pipeline import review as page

    try:
        rows = page.rows_in_folder(from_dir, report) if from_dir else page.rows_of_file(_existing(report))
        index = page.write_review(rows, out_dir)
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{rows['documents'][0].get('status')}: {len(rows['records'])} values read → {index}")


def _existing(path: str) -> Path:
    if not Path(path).is_file():
        raise click.ClickException(f"no such report file: {path} (a doc_id needs --from OUTPUT_FOLDER)")
    return Path(path)


def main() -> None:
    """Entry point of the console script."""
    cli()
