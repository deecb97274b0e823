"""Consistent reports built in code, as output rows, for the rule tests: every rule passes on them.

A test copies a report, changes one cell or paragraph, and checks that exactly the rule
meant to catch it fires. Tables are {row: {column: value}}; a value None prints a blank cell,
a string prints that text (its number parsed as the pipeline would).
"""

from __future__ import annotations

import copy
from typing import Any

from pipeline.checks import DocView, views_from_rows
from pipeline.checks.view import number
from pipeline.textnorm import parse_number

APPLICANTS = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
              "legal_service_org", "other_org")
PAGES = {"active_disclosure": 2, "applications": 3, "review_litigation": 4}


def app_row(natural: float, commercial: float = 0) -> dict[str, Any]:
    """Return a table 三 row: two applicant columns, the other four 0, and their 总计."""
    row: dict[str, Any] = dict.fromkeys(APPLICANTS, 0)
    row.update(natural_person=natural, commercial_enterprise=commercial, total=natural + commercial)
    return row


def applications(carried_over: float = 1, carried_forward: float = 1) -> dict[str, dict[str, Any]]:
    """Return a balanced table 三 (2019 single （六） row): 12 new + `carried_over` = handled + forward."""
    handled = 12 + carried_over - carried_forward
    return {
        "new_received": app_row(10, 2),
        "carried_over": app_row(carried_over),
        "granted": app_row(handled - 7, 1),
        "partially_granted": app_row(2),
        "denied.state_secret": app_row(1),
        "unavailable.not_held": app_row(1, 1),
        "not_processed.duplicate": app_row(0),
        "other": app_row(1),
        "total": app_row(handled - 2, 2),
        "carried_forward": app_row(carried_forward),
    }


def review() -> dict[str, dict[str, Any]]:
    """Return a consistent table 四: 行政复议 5, 行政诉讼 1 + 0."""
    return {
        "administrative_review": {"maintained": 3, "corrected": 1, "other": 0, "pending": 1, "total": 5},
        "litigation_direct": {"maintained": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1},
        "litigation_after_review": {"maintained": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
    }


def active(regulations_in_force: float = 11, normative_in_force: float = 66) -> dict[str, dict[str, Any]]:
    """Return a 2021-template table 二."""
    return {
        "regulations": {"issued": 1, "repealed": 0, "in_force": regulations_in_force},
        "normative_documents": {"issued": 8, "repealed": 26, "in_force": normative_in_force},
        "administrative_licensing": {"decisions": 447228},
        "administrative_fees": {"amount_10k_yuan": 96171.6},
    }


# Two phrasings of every sentence, so that two years of one body need not repeat their prose.
_WORDINGS = (
    {"title": "本报告根据《条例》编制。", "period": "本报告中所列数据统计期限自{y}年1月1日起至{y}年12月31日止。",
     "contact": "如对本报告有任何疑问，请与区政府办公室联系（电话：0917-82356789）。",
     "intro": "{y}年，我区认真贯彻落实条例各项要求。",
     "figures": "全年共受理政府信息公开申请12件，上年结转1件，已办结12件，结转至下年度办理1件。",
     "cases": "全年因政府信息公开工作引发行政复议5件、行政诉讼1件。",
     "problems": "{y}年，我区政府信息公开工作还存在一些问题：一是政策解读形式不够丰富；二是基层公开标准化建设仍需深化。",
     "plans": "{n}年，我区将加强政策解读，深化基层公开。", "fee": "{y}年，我区未收取信息处理费。"},
    {"title": "依据《中华人民共和国政府信息公开条例》的规定，现公布本年度报告。",
     "period": "报告所列统计期限为{y}年1月1日至{y}年12月31日。",
     "contact": "联系地址：岫州市泓溪区泓溪大道28号，电子邮箱hxqgk@xiuzhou.gov.example。",
     "intro": "{y}年，我区持续深化决策、执行、管理、服务、结果公开，政务公开质量稳步提升。",
     "figures": "本年度新收到政府信息公开申请12件，另有上年结转1件，答复12件，结转下年度继续办理1件。",
     "cases": "因政府信息公开被申请行政复议5件，被提起行政诉讼1件。",
     "problems": "{y}年，我区对照新要求仍有差距，主要是公开的主动性和时效性有待提高。",
     "plans": "{n}年，我区将健全信息发布审核机制，提升答复质量。", "fee": "{y}年，我区严格执行信息处理费管理办法，未收费。"},
)


def prose(year: int, wording: int = 0) -> dict[str, str]:
    """Return the seven sections' text, stating the figures of `applications()` and `review()`."""
    w = {k: v.format(y=year, n=year + 1) for k, v in _WORDINGS[wording].items()}
    return {
        "preamble": f"岫州市泓溪区人民政府{year}年政府信息公开工作年度报告\n" + w["title"] + w["period"] + w["contact"],
        "overview": w["intro"] + w["figures"] + w["cases"],
        "active_disclosure": "第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        "applications": "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况",
        "review_litigation": "行政复议\t行政诉讼\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
        "problems_improvements": w["problems"] + w["plans"],
        "other_matters": w["fee"],
    }


def previous_year(doc_id: str = "hx2022", **kwargs: Any) -> dict[str, list[dict[str, Any]]]:
    """Return the 2022 report of the body of `report()`, consistent with it across the years."""
    tables = {"active_disclosure": active(10, 84), "applications": applications(), "review_litigation": review()}
    return report(doc_id, 2022, tables=tables, sections=prose(2022, wording=1), **kwargs)


def report(doc_id: str = "hx2023", year: int = 2023, *, agency: str = "岫州市泓溪区人民政府", template: str = "2021",
           fmt: str = "pdf", status: str = "ok", tables: dict[str, Any] | None = None,
           sections: dict[str, str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Return the output rows (documents, sections, records) of one consistent report."""
    tables = tables if tables is not None else {"active_disclosure": active(), "applications": applications(),
                                                "review_litigation": review()}
    sections = sections if sections is not None else prose(year)
    document = {"doc_id": doc_id, "source_path": f"/reports/{doc_id}.{fmt}", "format": fmt, "agency": agency,
                "year": year, "template": template, "status": status}
    section_rows = [{"doc_id": doc_id, "section": key, "heading": "" if key == "preamble" else key, "text": text,
                     "page_start": 1, "page_end": 1} for key, text in sections.items()]
    records = [_record(doc_id, table, row, column, value)
               for table, rows in tables.items() for row, columns in rows.items() for column, value in columns.items()]
    return {"documents": [document], "sections": section_rows, "records": records}


def _record(doc_id: str, table: str, row: str, column: str, value: Any) -> dict[str, Any]:
    raw = value if isinstance(value, str) else ("" if value is None else number(value))
    item = "20.1" if row in ("regulations", "normative_documents") else None
    return {"doc_id": doc_id, "table": table, "item": item, "row": row, "column": column, "value": parse_number(raw),
            "raw": raw, "page": PAGES[table]}


def view(rows: dict[str, list[dict[str, Any]]]) -> DocView:
    """Return the DocView of a one-report set of rows."""
    return views(rows)[0]


def merged(*reports: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Return the rows of several reports as one batch."""
    names = ("documents", "sections", "records", "ocr_values")
    return {name: [row for r in reports for row in r.get(name, ())] for name in names}


def views(rows: dict[str, list[dict[str, Any]]]) -> list[DocView]:
    """Return the DocViews of a batch of rows."""
    return views_from_rows(rows["documents"], rows["sections"], rows["records"], rows.get("ocr_values", ()))


def scanned(rows: dict[str, list[dict[str, Any]]], doc_id: str | None = None,
            confidence: dict[tuple[str, str, str], float] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Return a copy of `rows` as if the records of `doc_id` (every report by default) were read by OCR:
    0.99 for each, 0.0 for blank cells, unless `confidence` gives another by (table, row, column)."""
    out = copy.deepcopy(rows)
    out["ocr_values"] = [*out.get("ocr_values", ()), *(
        {"doc_id": r["doc_id"], "table": r["table"], "item": r["item"], "row": r["row"], "column": r["column"],
         "page": r["page"], "confidence": (confidence or {}).get((r["table"], r["row"], r["column"]),
                                                               0.0 if r["raw"] == "" else 0.99)}
        for r in out["records"] if doc_id in (None, r["doc_id"]))]
    return out


def with_cell(rows: dict[str, list[dict[str, Any]]], table: str, row: str, column: str, value: Any,
              doc_id: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Return a copy of `rows` with one cell printed as `value` (None: blank), in `doc_id` or the first report."""
    out = copy.deepcopy(rows)
    for record in out["records"]:
        if (record["table"], record["row"], record["column"]) == (table, row, column) \
                and doc_id in (None, record["doc_id"]):
            record.update(_record(record["doc_id"], table, row, column, value))
            return out
    raise KeyError((table, row, column))


def with_text(rows: dict[str, list[dict[str, Any]]], section: str, text: str | None,
              doc_id: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Return a copy of `rows` with one section's text replaced (None: the section is dropped)."""
    out = copy.deepcopy(rows)

    def ours(s: dict[str, Any]) -> bool:
        return s["section"] == section and doc_id in (None, s["doc_id"])

    out["sections"] = [s for s in out["sections"] if text is not None or not ours(s)]
    for s in out["sections"]:
        if ours(s):
            s["text"] = text
    return out


def without_table(rows: dict[str, list[dict[str, Any]]], table: str) -> dict[str, list[dict[str, Any]]]:
    """Return a copy of `rows` whose reports print no cell of `table`."""
    out = copy.deepcopy(rows)
    out["records"] = [r for r in out["records"] if r["table"] != table]
    return out


def with_document(rows: dict[str, list[dict[str, Any]]], doc_id: str | None = None,
                  **fields: Any) -> dict[str, list[dict[str, Any]]]:
    """Return a copy of `rows` with documents-row fields changed (in `doc_id`, or every report)."""
    out = copy.deepcopy(rows)
    for document in out["documents"]:
        if doc_id in (None, document["doc_id"]):
            document.update(fields)
    return out
