"""datapackage.json: a Frictionless Data Package that describes an output folder, made from the writers' schemas.

Every table written gets a resource with a Table Schema: each column's type and meaning (the
descriptions of pipeline.output.schema), the primary and foreign keys that join the tables, and the
enums of the key columns (statuses, table, row and column keys, severities, methods) taken from
the template's own definitions (pipeline.spec). Nothing here is kept by hand beside the schemas:
a new column or key appears in the package the moment the writers have it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline.bodies import LEVELS
from pipeline.checks.registry import SEVERITIES
from pipeline.output.schema import DESCRIBED, description
from pipeline.output.write import atomic
from pipeline.records import METHODS
from pipeline.spec import SECTION_KEYS, STANDARD_TABLES
from pipeline.version import PARSER_VERSION

FILE_NAME = "datapackage.json"
STATUSES = ("ok", "partial", "needs_review", "failed", "not_a_report", "needs_ocr")

# Rows one per document or per document and key, where the writer parsed each file's bytes once (a
# batch; a parse run given no file twice). documents has none: an input refused unread has no doc_id.
PRIMARY_KEYS: dict[str, list[str]] = {
    "sections": ["doc_id", "section"],
    "records": ["doc_id", "table", "row", "column"],
    "coverage": ["doc_id"],
    "metadata": ["doc_id"],
    "bodies": ["body_id"],
}
# Rows that may hold no doc_id: a failed input, an input refused unread, a report that is missing.
_UNREAD_DOCUMENTS = ("documents", "sources", "compliance")
# A person's layers (pipeline.decisions): kept when the folder is parsed again, so they may name documents
# the folder no longer holds (a decision carried over from an earlier run), and join nothing by force.
LAYERS = {"decisions": "decisions.csv", "corrections": "corrections.csv"}


def _enums() -> dict[tuple[str, str], list[str]]:
    """Return the allowed values of the key columns, by (table, column)."""
    tables = [t.key for t in STANDARD_TABLES]
    rows = sorted({r.key for t in STANDARD_TABLES for r in t.rows})
    columns = sorted({c.key for t in STANDARD_TABLES for c in t.columns})
    return {
        ("documents", "status"): list(STATUSES),
        ("documents", "template"): ["2019", "2021", "mixed"],
        ("sections", "section"): list(SECTION_KEYS),
        ("records", "table"): tables,
        ("records", "row"): rows,
        ("records", "column"): columns,
        ("records", "method"): list(METHODS),
        ("findings", "severity"): list(SEVERITIES),
        ("ocr_values", "table"): tables,
        ("metadata", "level"): list(LEVELS),
        ("bodies", "level"): list(LEVELS),
        ("compliance", "level"): list(LEVELS),
        ("compliance", "state"): ["published", "missing", "unknown", "ambiguous"],
        ("compliance", "date_source"): ["manifest", "web_page", "document"],
        ("metadata", "published_source"): ["web_page", "document"],
        ("decisions", "decision"): ["confirmed", "dismissed"],
        ("corrections", "table"): tables,
    }


def _type(kind: pa.DataType) -> str:
    """Return the Table Schema type of an Arrow type."""
    if pa.types.is_integer(kind):
        return "integer"
    if pa.types.is_floating(kind):
        return "number"
    if pa.types.is_boolean(kind):
        return "boolean"
    return "string"


def table_schema(name: str, keys: bool = True) -> dict[str, Any]:
    """Return the Table Schema of output table `name` (`keys`: declare its primary key)."""
    enums = _enums()
    fields = []
    for field in DESCRIBED[name]:
        entry: dict[str, Any] = {"name": field.name, "type": _type(field.type), "description": description(field)}
        allowed = enums.get((name, field.name))
        if allowed:
            entry["constraints"] = {"enum": allowed}
        if field.name == "doc_id" and name not in (*_UNREAD_DOCUMENTS, "decisions"):
            entry.setdefault("constraints", {})["required"] = True
        fields.append(entry)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if keys and name in PRIMARY_KEYS:
        schema["primaryKey"] = PRIMARY_KEYS[name]
    joins = []
    if name not in ("documents", "sources", "compliance", *LAYERS) and "doc_id" in DESCRIBED[name].names:
        joins.append({"fields": ["doc_id"], "reference": {"resource": "documents", "fields": ["doc_id"]}})
    if name in ("documents", "metadata"):  # every report's body is a row of bodies
        joins.append({"fields": ["body_id"], "reference": {"resource": "bodies", "fields": ["body_id"]}})
    if joins:
        schema["foreignKeys"] = joins
    return schema


def resource(name: str, path: str, file_format: str, table: str, keys: bool = True,
             joins: bool = True) -> dict[str, Any]:
    """Return the resource of one file of output table `table` (`joins`: declare its foreign keys)."""
    schema = table_schema(table, keys)
    if not joins:
        schema.pop("foreignKeys", None)
    if file_format == "parquet":
        # Readers of Parquet through pandas (frictionless among them) see a null integer as NaN.
        schema["missingValues"] = ["", "nan"]
    out: dict[str, Any] = {
        "name": name, "path": path, "profile": "tabular-data-resource", "format": file_format,
        "mediatype": "text/csv" if file_format == "csv" else "application/vnd.apache.parquet",
        "govreport_table": table, "schema": schema,
    }
    if file_format == "csv":
        out["encoding"] = "utf-8-sig"  # the BOM that lets Excel open the Chinese text
    return out


def descriptor(resources: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Return the Data Package of the given resources."""
    return {
        "profile": "tabular-data-package",
        "name": "govreport-output",
        "title": "政府信息公开工作年度报告 as data",
        "description": "Tables written by govreport: see the data contract for the keys and rules.",
        "version": PARSER_VERSION,
        "resources": list(resources),
    }


def write(folder: str | Path, resources: Sequence[dict[str, Any]]) -> Path:
    """Write FOLDER/datapackage.json describing `resources` (paths relative to the folder)."""
    text = json.dumps(descriptor(resources), ensure_ascii=False, indent=1) + "\n"
    return atomic(Path(folder) / FILE_NAME, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def add_resources(folder: str | Path, resources: Sequence[dict[str, Any]]) -> Path:
    """Add (or replace, by name) resources in FOLDER/datapackage.json, writing it anew if it is absent."""
    path = Path(folder) / FILE_NAME
    existing = json.loads(path.read_text(encoding="utf-8"))["resources"] if path.is_file() else []
    names = {r["name"] for r in resources}
    return write(folder, [r for r in existing if r["name"] not in names] + list(resources))


def describe_flat(folder: str | Path, tables: Mapping[str, pa.Table], formats: Sequence[str]) -> Path:
    """Write the datapackage.json of a `govreport parse` folder: its CSV files (the Parquet ones when no
    CSV was written), keys declared where no file of the run was parsed twice."""
    file_format = "csv" if "csv" in formats else "parquet"
    ids = [i for i in tables["documents"].column("doc_id").to_pylist() if i is not None]
    keys = len(ids) == len(set(ids))
    return write(folder, [resource(name, f"{name}.{file_format}", file_format, name, keys) for name in tables]
                 + layer_resources(folder))


def layer_resources(folder: str | Path) -> list[dict[str, Any]]:
    """Return the resources of the decisions and corrections files the folder holds (pipeline.decisions)."""
    return [resource(name, path, "csv", name, keys=False) for name, path in LAYERS.items()
            if (Path(folder) / path).is_file()]


def describe_dataset(root: str | Path, files: Mapping[str, Sequence[Path]], csv: Sequence[str] = ()) -> Path:
    """Write the datapackage.json of a `govreport batch` folder: every Parquet part as a resource of its own
    (a key or a join spans parts, so parts declare only their columns), and the CSV copies of the tables
    named in `csv`, keys and joins declared (a batch parses each file's bytes once)."""
    root = Path(root)
    out = [resource(f"{name}-{path.stem}", path.relative_to(root).as_posix(), "parquet", name, keys=False,
                    joins=False)
           for name, paths in files.items() for path in paths]
    out += [resource(name, f"{name}.csv", "csv", name) for name in csv]
    return write(root, out + layer_resources(root))
