"""The national template as typed data: section headings, table rows and columns, with their labels.

This is the one place that knows the wording of 国办公开办函〔2019〕60号 and 〔2021〕30号.
Keys are those of the data contract (../shared/spec/data-contract.md) and never change meaning.
Labels are listed as printed in the templates plus the variants real reports use; matching is
by normalized meaning (pipeline.labels), so typos and stray spaces need no entry here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SectionSpec:
    """A standard section: its key, its number in the heading, the titles it is printed with, and its
    concept: the words a numbered heading of this section names ("整改措施" and "下一步工作打算" both
    speak of 五's improvements), any one of which suffices under the right number."""

    key: str
    number: str  # 一 … 六
    titles: tuple[str, ...]
    concept: tuple[str, ...] = ()


SECTION_SPECS: tuple[SectionSpec, ...] = (
    SectionSpec("overview", "一", (
        "总体情况", "概述", "基本情况", "总体工作情况", "工作概述", "工作概况", "政府信息公开工作总体情况",
        "政府信息公开工作概述",
    ), ("总体情况", "概述", "概况", "基本情况", "总体工作", "工作情况")),
    SectionSpec("active_disclosure", "二", (
        "主动公开政府信息情况", "主动公开政府信息的情况", "主动公开情况", "主动公开政府信息",
    ), ("主动公开",)),
    SectionSpec("applications", "三", (
        "收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请的情况", "收到和处理政府信息公开申请",
        "依申请公开政府信息情况", "依申请公开情况", "依申请公开政府信息办理情况",
    ), ("申请",)),
    SectionSpec("review_litigation", "四", (
        "政府信息公开行政复议、行政诉讼情况",
        "政府信息公开行政复议行政诉讼情况",
        "政府信息公开行政复议和行政诉讼情况",
        "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
        "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
        "因政府信息公开申请行政复议、提起行政诉讼的情况",
        "政府信息公开被申请行政复议、提起行政诉讼情况",
        "行政复议和行政诉讼情况",
        "行政复议、行政诉讼情况",
    ), ("复议", "诉讼")),
    SectionSpec("problems_improvements", "五", (
        "存在的主要问题及改进情况",
        "政府信息公开工作存在的主要问题及改进情况",
        "存在的主要问题和改进情况",
        "工作存在的主要问题及改进情况",
        "存在的问题及改进情况",
        "存在的主要问题及整改措施",
        "存在的主要问题及改进措施",
        "存在的主要问题和改进措施",
        "主要问题和改进措施",
        "存在的问题和改进措施",
        "存在的不足和改进措施",
        "存在的问题和不足",
        "存在的主要问题及下一步工作打算",
        "下一步工作打算",
        "下一步工作计划",
        "改进措施",
        "整改措施",
        "改进情况",
    ), ("问题", "不足", "改进", "整改", "下一步", "打算", "努力方向")),
    SectionSpec("other_matters", "六", (
        "其他需要报告的事项", "其他需要报告的情况", "其他需要报告事项", "其他需报告的事项", "其他事项",
    ), ("其他",)),
)
SECTION_KEYS: tuple[str, ...] = ("preamble", *(s.key for s in SECTION_SPECS))


@dataclass(frozen=True, slots=True)
class RowSpec:
    """A table row: its key, the labels it is printed with, and the 第二十条 item where it has one."""

    key: str
    labels: tuple[str, ...]
    item: str | None = None
    parent: tuple[str, ...] = ()  # labels of the group cell a sub-row sits under (（三）不予公开 …)


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    key: str
    labels: tuple[str, ...]


# --- Table 二: 主动公开 (第二十条) -------------------------------------------------------------

ACTIVE_ROWS: tuple[RowSpec, ...] = (
    RowSpec("regulations", ("规章",), "20.1"),
    RowSpec("normative_documents", ("行政规范性文件", "规范性文件"), "20.1"),
    RowSpec("administrative_licensing", ("行政许可",), "20.5"),
    RowSpec("other_external_services", ("其他对外管理服务事项",), "20.5"),
    RowSpec("administrative_penalty", ("行政处罚",), "20.6"),
    RowSpec("administrative_coercion", ("行政强制",), "20.6"),
    RowSpec("administrative_fees", ("行政事业性收费",), "20.8"),
    RowSpec("government_procurement", ("政府集中采购",), "20.9"),
)

ACTIVE_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("issued", ("本年制发件数", "本年制发数量")),
    ColumnSpec("repealed", ("本年废止件数", "本年废止数量")),
    ColumnSpec("in_force", ("现行有效件数", "现行有效数量")),
    ColumnSpec("new_made", ("本年新制作数量", "本年新制作")),
    ColumnSpec("new_published", ("本年新公开数量", "本年新公开")),
    ColumnSpec("total_published", ("对外公开总量", "对外公开总数量")),
    ColumnSpec("previous_year_items", ("上一年项目数量", "上年项目数量")),
    ColumnSpec("change", ("本年增/减", "本年增减", "本年增加/减少")),
    ColumnSpec("decisions", ("本年处理决定数量", "处理决定数量", "本年处理决定件数")),
    ColumnSpec("amount_10k_yuan", ("本年收费金额(单位:万元)", "本年收费金额", "收费金额(万元)")),
    ColumnSpec("procurement_items", ("采购项目数量",)),
    ColumnSpec("procurement_amount", ("采购总金额",)),
)

# Columns that only the 2019 template prints (the rest of table 二 is 2021 wording).
ACTIVE_2019_COLUMNS = frozenset({"new_made", "new_published", "total_published", "previous_year_items", "change",
                                 "procurement_items", "procurement_amount"})
ACTIVE_2019_ROWS = frozenset({"other_external_services", "government_procurement"})
ITEM_MARKERS: dict[str, str] = {"一": "20.1", "五": "20.5", "六": "20.6", "八": "20.8", "九": "20.9"}

# --- Table 三: 收到和处理政府信息公开申请 -------------------------------------------------------------

APPLICATION_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("natural_person", ("自然人",)),
    ColumnSpec("commercial_enterprise", ("商业企业",)),
    ColumnSpec("research_institution", ("科研机构",)),
    ColumnSpec("social_welfare_org", ("社会公益组织",)),
    ColumnSpec("legal_service_org", ("法律服务机构",)),
    ColumnSpec("other_org", ("其他",)),
    ColumnSpec("total", ("总计", "合计")),
)

_DENIED = ("不予公开",)
_UNAVAILABLE = ("无法提供",)
_NOT_PROCESSED = ("不予处理",)
_OTHER = ("其他处理",)

APPLICATION_ROWS: tuple[RowSpec, ...] = (
    RowSpec("new_received", ("一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量")),
    RowSpec("carried_over", ("二、上年结转政府信息公开申请数量", "上年结转政府信息公开申请数量")),
    RowSpec("granted", ("（一）予以公开", "予以公开")),
    RowSpec("partially_granted", ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开")),
    RowSpec("denied.state_secret", ("1.属于国家秘密",), parent=_DENIED),
    RowSpec("denied.prohibited_by_law", ("2.其他法律行政法规禁止公开",), parent=_DENIED),
    RowSpec("denied.security_stability", ("3.危及“三安全一稳定”",), parent=_DENIED),
    RowSpec("denied.third_party_rights", ("4.保护第三方合法权益",), parent=_DENIED),
    RowSpec("denied.internal_affairs", ("5.属于三类内部事务信息",), parent=_DENIED),
    RowSpec("denied.process_information", ("6.属于四类过程性信息",), parent=_DENIED),
    RowSpec("denied.enforcement_files", ("7.属于行政执法案卷",), parent=_DENIED),
    RowSpec("denied.administrative_inquiry", ("8.属于行政查询事项",), parent=_DENIED),
    RowSpec("unavailable.not_held", ("1.本机关不掌握相关政府信息",), parent=_UNAVAILABLE),
    RowSpec("unavailable.needs_creation", ("2.没有现成信息需要另行制作",), parent=_UNAVAILABLE),
    RowSpec("unavailable.still_unclear", ("3.补正后申请内容仍不明确",), parent=_UNAVAILABLE),
    RowSpec("not_processed.petition_complaint", ("1.信访举报投诉类申请",), parent=_NOT_PROCESSED),
    RowSpec("not_processed.duplicate", ("2.重复申请",), parent=_NOT_PROCESSED),
    RowSpec("not_processed.publication", ("3.要求提供公开出版物",), parent=_NOT_PROCESSED),
    RowSpec("not_processed.excessive", ("4.无正当理由大量反复申请",), parent=_NOT_PROCESSED),
    RowSpec("not_processed.confirm_or_reissue", ("5.要求行政机关确认或重新出具已获取信息",), parent=_NOT_PROCESSED),
    RowSpec("other", ("（六）其他处理", "其他处理")),
    RowSpec("other.no_correction", ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",), parent=_OTHER),
    RowSpec("other.unpaid_fee", ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",),
            parent=_OTHER),
    RowSpec("other.misc", ("3.其他",), parent=_OTHER),
    RowSpec("total", ("（七）总计", "总计")),
    RowSpec("carried_forward", ("四、结转下年度继续办理", "结转下年度继续办理")),
)
APPLICATION_GROUPS: dict[str, tuple[str, ...]] = {
    "denied": _DENIED, "unavailable": _UNAVAILABLE, "not_processed": _NOT_PROCESSED, "other": _OTHER,
}

# --- Table 四: 行政复议 / 行政诉讼 ------------------------------------------------------------

REVIEW_ROWS: tuple[RowSpec, ...] = (
    RowSpec("administrative_review", ("行政复议",)),
    RowSpec("litigation_direct", ("未经复议直接起诉",)),
    RowSpec("litigation_after_review", ("复议后起诉",)),
)
REVIEW_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("maintained", ("结果维持",)),
    ColumnSpec("corrected", ("结果纠正",)),
    ColumnSpec("other", ("其他结果",)),
    ColumnSpec("pending", ("尚未审结",)),
    ColumnSpec("total", ("总计", "合计")),
)

# --- The three tables as data ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableSpec:
    """A standard table: its key, how people name it, the section it is printed in, the header words it
    prints even with no data row, and its rows and columns (columns in the contract's order)."""

    key: str
    label: str  # as messages and reports name it
    section: str  # the key of the section that prints it
    anchor: str  # header words every printing of the table carries
    rows: tuple[RowSpec, ...]
    columns: tuple[ColumnSpec, ...]

    def row_keys(self) -> tuple[str, ...]:
        """Return the row keys in the template's order."""
        return tuple(r.key for r in self.rows)

    def column_keys(self) -> tuple[str, ...]:
        """Return the column keys in the contract's order."""
        return tuple(c.key for c in self.columns)


STANDARD_TABLES: tuple[TableSpec, ...] = (
    TableSpec("active_disclosure", "表二 主动公开", "active_disclosure", "信息内容", ACTIVE_ROWS, ACTIVE_COLUMNS),
    TableSpec("applications", "表三 依申请公开", "applications", "申请人情况", APPLICATION_ROWS, APPLICATION_COLUMNS),
    TableSpec("review_litigation", "表四 行政复议、行政诉讼", "review_litigation", "尚未审结", REVIEW_ROWS,
              REVIEW_COLUMNS),
)
TABLE_SPECS: dict[str, TableSpec] = {t.key: t for t in STANDARD_TABLES}
TABLE_KEYS: tuple[str, ...] = tuple(TABLE_SPECS)
