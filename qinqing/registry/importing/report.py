"""What an import found and did; serialisable into Job.result for the preview page."""

from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

MAX_LISTED_ERRORS = 2000  # the page and the job result list this many; the errors file has all


@dataclass
class RowIssue:
    row: int  # the spreadsheet row number (header is row 1)
    column: str
    value: str
    reason: str

    def as_list(self) -> list:
        """Row, column, value (an ID or mobile number masked) and reason: what errors.csv and the job
        result hold. Both outlive the request (a file on disk, a database row), so they carry no full
        personal number, whoever reads them (issue 11 §3)."""
        return [self.row, self.column, masked_value(self.column, self.value), self.reason]


def masked_value(column: str, value: str) -> str:
    from ..masking import masked_id, masked_mobile
    from .columns import ENTERPRISE_COLUMNS, MEMBER_COLUMNS

    kind = {c.label: c.pii for c in (*ENTERPRISE_COLUMNS, *MEMBER_COLUMNS) if c.pii}.get(column)
    if not kind or not value:
        return value
    return masked_id(value) if kind == "id" else masked_mobile(value)


class RowChecks:
    """Collects parsed columns of a row-wise engine and turns (index, reason) problems into RowIssues."""

    def __init__(self, raw: dict[str, list[str]], labels: dict[str, str], values: dict, errors: list[RowIssue]):
        self.raw, self.labels, self.values, self.errors = raw, labels, values, errors
        self.bad: set[int] = set()

    def take(self, key: str, parsed: tuple[list, list[tuple[int, str]]]) -> None:
        values, problems = parsed
        self.values[key] = values
        for i, reason in problems:
            self.bad.add(i)
            self.errors.append(RowIssue(i + 2, self.labels[key], self.raw[key][i], reason))

    def reject(self, i: int, key: str, reason: str) -> None:
        self.bad.add(i)
        self.errors.append(RowIssue(i + 2, self.labels[key], self.raw[key][i], reason))

    def good(self, n: int) -> list[int]:
        """The clean row indices; the errors sorted by row."""
        self.errors.sort(key=lambda e: e.row)
        return [i for i in range(n) if i not in self.bad]

    def credit_codes(self, notes: list[RowIssue]) -> list[str]:
        from .parse import credit_codes

        codes, problems, code_notes = credit_codes(self.raw["credit_code"])
        label = self.labels["credit_code"]
        notes.extend(RowIssue(i + 2, label, self.raw["credit_code"][i], note) for i, note in code_notes)
        self.take("credit_code", (codes, problems))
        return codes


@dataclass
class ImportReport:
    kind: str = "enterprises"
    total_rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowIssue] = field(default_factory=list)
    notes: list[RowIssue] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    fatal: str = ""  # the whole file cannot be imported (unreadable, required column missing)
    encoding: str = ""
    dry_run: bool = True
    committed: bool = False
    refused: bool = False

    @property
    def bad_rows(self) -> int:
        return len({issue.row for issue in self.errors})

    @property
    def good_rows(self) -> int:
        return self.new + self.updated + self.unchanged

    def as_dict(self, limit: int = MAX_LISTED_ERRORS) -> dict:
        data = asdict(self)
        data["errors"] = [e.as_list() for e in self.errors[:limit]]
        data["notes"] = [n.as_list() for n in self.notes[:limit]]
        data["error_count"] = len(self.errors)
        data["note_count"] = len(self.notes)
        data["bad_rows"] = self.bad_rows
        return data

    def summary(self) -> str:
        if self.fatal:
            return _("无法导入：%(reason)s") % {"reason": self.fatal}
        counts = {
            "total": self.total_rows,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "bad": self.bad_rows,
        }
        if self.dry_run:
            text = _("预检：共%(total)s行，新增%(new)s，更新%(updated)s，未变%(unchanged)s，错误行%(bad)s") % counts
        elif self.committed:
            text = _("已导入：共%(total)s行，新增%(new)s，更新%(updated)s，未变%(unchanged)s，错误行%(bad)s") % counts
        else:
            text = _("未导入：共%(total)s行，新增%(new)s，更新%(updated)s，未变%(unchanged)s，错误行%(bad)s") % counts
        parts = [text]
        if self.unknown_columns:
            parts.append(_("未识别的列：%(columns)s") % {"columns": "、".join(self.unknown_columns)})
        if self.refused:
            parts.append(_("存在错误行，已拒绝整个文件"))
        return "；".join(parts)
