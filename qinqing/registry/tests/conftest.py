"""Registry fixtures: valid credit codes, import files, a chamber with members."""

import csv
import datetime
from pathlib import Path

import pytest

from qinqing.registry.standards import uscc


def make_code(n: int, region: str = "430621") -> str:
    """A valid 统一社会信用代码 (enterprise, 91 prefix) numbered n."""
    body = f"91{region}{n:09d}"
    return body + uscc.check_char(body)


HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "法定代表人",
    "行政区划代码",
    "行业代码",
    "成立日期",
    "从业人员",
    "营业收入（万元）",
    "资产总额（万元）",
    "资质",
    "联系人手机",
    "年度",
    "纳税额（万元）",
]


def enterprise_row(n: int, region: str = "430621", **over) -> list[str]:
    row = {
        "统一社会信用代码": make_code(n, region),
        "企业名称": f"测试企业{n}有限公司",
        "法定代表人": "张三",
        "行政区划代码": region,
        "行业代码": "1391",
        "成立日期": "2015-06-18",
        "从业人员": str(50 + n % 100),
        "营业收入（万元）": str(1000 + n),
        "资产总额（万元）": "3000",
        "资质": "高新技术企业" if n % 2 else "",
        "联系人手机": "13800138000",
        "年度": "2025",
        "纳税额（万元）": "12.5",
    }
    row.update(over)
    return [row[h] for h in HEADERS]


def write_csv(path: Path, rows: list[list[str]], headers=HEADERS, encoding="utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


@pytest.fixture
def csv_file(tmp_path):
    def make(rows, name="ents.csv", **kw):
        return write_csv(tmp_path / name, rows, **kw)

    return make


@pytest.fixture
def chamber(tree, users):
    from qinqing.registry.chambers import actions as actions_chambers

    chamber = actions_chambers.register_chamber(tree.chamber_a, actor=users.county_staff, chamber_type="industry")
    actions_chambers.start_term(
        chamber,
        actor=users.county_staff,
        starts_on=datetime.date(2021, 6, 1),
        ends_on=datetime.date.today() + datetime.timedelta(days=30),
        president="王会长",
    )
    return chamber
