"""Read 国务院办公厅关于YYYY年部分节假日安排的通知 as pasted by an administrator (pure: no ORM).

``parse_notice(text)`` returns a :class:`Notice`: the year, every date inside an announced 放假 range
(``off``) and every announced 上班 date (``on``), each with its festival's name, and ``warnings`` for
things a person must look at (a weekday in brackets that does not match its date, a "共N天" that does not
match the range). A text it cannot read fully raises :class:`NoticeError` naming the line.

What it reads, with full-width or half-width punctuation and digits (NFKC-normalised first)::

    国务院办公厅关于2026年部分节假日安排的通知          <- the year (or "现将2026年…" in the preamble)
    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
    一、元旦：1月1日（周三）放假1天，不调休。
    五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。     <- a range crossing a month
    六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。

An item line is one that starts with "一、" … or with a festival name and a colon. Every sentence of an
item must be a 放假 range or a list of 上班 dates; anything else refuses the whole text. A line outside the
items that names a date together with 放假 or 上班 is refused too (it would otherwise be silently
dropped). Dates may carry an explicit year ("2017年12月30日至2018年1月1日"); a date without a month takes
the month of the previous date in the same item.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
WEEKDAY_NAMES = "一二三四五六日"

_DATE = r"(?:(?P<{p}y>\d{{4}})年)?(?:(?P<{p}m>\d{{1,2}})月)?(?P<{p}d>\d{{1,2}})日(?:\((?P<{p}note>[^)]*)\))?"
DATE_RE = re.compile(_DATE.format(p=""))
ITEM_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.])?\s*(?P<names>[\u4e00-\u9fff、]{2,30}?)\s*:(?P<body>.+)$")
NUMBERED_RE = re.compile(r"^[一二三四五六七八九十]+[、.]")
OFF_RE = re.compile(
    "^" + _DATE.format(p="s") + "(?:至" + _DATE.format(p="e") + ")?"
    r"放假(?P<swap>调休)?(?:(?P<n1>\d+)天)?(?P<tail>(?:,(?:不调休|调休|共\d+天))*)$"
)
ON_RE = re.compile("^(?P<dates>" + _DATE.format(p="a") + "(?:[、,]" + _DATE.format(p="b") + ")*)上班$")
YEAR_RES = [
    re.compile(r"关于(\d{4})年[^\n]{0,20}节假日"),
    re.compile(r"现将(\d{4})年"),
]
HAS_DATE_RE = re.compile(r"\d{1,2}月\d{1,2}日")


def tidy_festival_name(name: str) -> str:
    """The ``holidays`` package's zh_CN names as the notices write them: 农历除夕 is part of 春节, "（补假）"
    becomes 补假, and two festivals on one day ("中秋节; 国庆节") are joined with 、."""
    return name.replace("（补假）", "补假").replace("农历除夕", "春节").replace("; ", "、")


class NoticeError(ValueError):
    """The notice cannot be read fully; ``line`` is the offending line (1-based ``line_no``)."""

    def __init__(self, message: str, line: str = "", line_no: int = 0):
        self.line, self.line_no = line, line_no
        super().__init__(message)


@dataclass
class Notice:
    year: int
    off: dict[dt.date, str] = field(default_factory=dict)  # every date inside an announced 放假 range
    on: dict[dt.date, str] = field(default_factory=dict)  # every announced 上班 date
    warnings: list[str] = field(default_factory=list)
    title: str = ""
    items: list[dict] = field(default_factory=list)  # per festival: name, off dates, on dates (for previews)

    def as_json(self) -> dict:
        """The ``--json`` contract: ``{"year": 2026, "off": ["2026-01-01", …], "on": ["2026-01-04", …]}``."""
        return {
            "year": self.year,
            "off": [d.isoformat() for d in sorted(self.off)],
            "on": [d.isoformat() for d in sorted(self.on)],
        }


def normalise(text: str) -> str:
    """Full-width digits and punctuation to half-width (、 and 。 stay), spaces inside a line removed."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("～", "至").replace("~", "至").replace("—", "至").replace("–", "至")
    return "\n".join(re.sub(r"[ \t\u3000\u00a0]+", "", line) for line in text.split("\n"))


class _Reader:
    def __init__(self, year: int, line: str, line_no: int, warnings: list[str]):
        self.year, self.line, self.line_no, self.warnings = year, line, line_no, warnings
        self.month: int | None = None

    def fail(self, message: str) -> NoticeError:
        return NoticeError(
            _("第%(no)s行无法识别（%(why)s）：%(line)s") % {"no": self.line_no, "why": message, "line": self.line},
            self.line,
            self.line_no,
        )

    def date(self, y: str | None, m: str | None, d: str, note: str | None) -> dt.date:
        month = int(m) if m else self.month
        if month is None:
            raise self.fail(_("日期“%(d)s日”缺少月份") % {"d": d})
        year = int(y) if y else self.year
        try:
            value = dt.date(year, month, int(d))
        except ValueError:
            raise self.fail(_("日期%(m)s月%(d)s日不存在") % {"m": month, "d": d}) from None
        self.month = month
        found = re.search(r"(?:周|星期)([一二三四五六日天])", note or "")
        if found and WEEKDAYS[found.group(1)] != value.weekday():
            self.warnings.append(
                _("第%(no)s行：%(date)s 实为星期%(real)s，通知写的是“%(said)s”，请核对")
                % {
                    "no": self.line_no,
                    "date": value.isoformat(),
                    "real": WEEKDAY_NAMES[value.weekday()],
                    "said": found.group(0),
                }
            )
        return value


def _find_year(lines: list[str]) -> int:
    for pattern in YEAR_RES:
        for line in lines:
            found = pattern.search(line)
            if found:
                return int(found.group(1))
    raise NoticeError(_("找不到通知所属年份：请连同标题“国务院办公厅关于××××年部分节假日安排的通知”一起粘贴"))


def parse_notice(text: str) -> Notice:
    """Read the whole notice or raise :class:`NoticeError` (nothing partial is ever returned)."""
    lines = normalise(text or "").split("\n")
    if not any(line for line in lines):
        raise NoticeError(_("通知内容为空"))
    year = _find_year(lines)
    notice = Notice(year=year)
    notice.title = next((line for line in lines if "节假日安排" in line and "关于" in line), "")[:200]
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        item = ITEM_RE.match(line)
        numbered = bool(NUMBERED_RE.match(line))
        if item is None or not HAS_DATE_RE.search(item.group("body")):
            if (numbered and HAS_DATE_RE.search(line)) or (
                HAS_DATE_RE.search(line) and ("放假" in line or "上班" in line)
            ):
                raise _Reader(year, line, number, []).fail(_("不是“节日：日期放假……”的格式"))
            continue  # title, salutation, preamble, closing paragraph, signature
        _read_item(notice, item.group("names"), item.group("body"), _Reader(year, line, number, notice.warnings))
    if not notice.off:
        raise NoticeError(_("没有读到任何放假安排：请粘贴通知正文（“一、元旦：……”等各条）"))
    return notice


def _read_item(notice: Notice, names: str, body: str, reader: _Reader) -> None:
    name = names.strip("、")
    entry = {"name": name, "off": [], "on": [], "line": reader.line_no}
    sentences = [s.strip(",") for s in body.split("。")]
    for sentence in filter(None, sentences):
        off, on = OFF_RE.match(sentence), ON_RE.match(sentence)
        if off:
            start = reader.date(off["sy"], off["sm"], off["sd"], off["snote"])
            end = reader.date(off["ey"], off["em"], off["ed"], off["enote"]) if off["ed"] else start
            if end < start:
                raise reader.fail(_("放假结束日期早于开始日期"))
            if (end - start).days > 31:
                raise reader.fail(_("放假区间超过一个月"))
            days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
            stated = [int(n) for n in re.findall(r"共(\d+)天", off["tail"] or "")]
            if off["n1"]:
                stated.append(int(off["n1"]))
            for n in stated:
                if n != len(days):
                    notice.warnings.append(
                        _("第%(no)s行：%(name)s写“共%(n)s天”，但%(start)s至%(end)s是%(real)s天，请核对")
                        % {
                            "no": reader.line_no,
                            "name": name,
                            "n": n,
                            "start": start.isoformat(),
                            "end": end.isoformat(),
                            "real": len(days),
                        }
                    )
            for d in days:
                if d in notice.on:
                    raise reader.fail(_("%(date)s 既放假又上班") % {"date": d.isoformat()})
                notice.off.setdefault(d, name)
                entry["off"].append(d)
        elif on:
            for found in DATE_RE.finditer(on["dates"]):
                d = reader.date(found["y"], found["m"], found["d"], found["note"])
                if d in notice.off:
                    raise reader.fail(_("%(date)s 既放假又上班") % {"date": d.isoformat()})
                notice.on[d] = name
                entry["on"].append(d)
        else:
            raise reader.fail(_("读不懂“%(sentence)s”") % {"sentence": sentence})
    if not entry["off"]:
        raise reader.fail(_("这一条没有放假日期"))
    notice.items.append(entry)
