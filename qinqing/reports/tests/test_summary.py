"""The annual summary: sentences from figures, empty sections say so, the command's JSON contract,
.docx and .pdf exports with Chinese that renders (not boxes)."""

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.management import call_command

from qinqing.registry.models import Member
from qinqing.registry.rollups import count_members
from qinqing.reports import exports, summary

YEAR = 2025


@pytest.fixture
def members(tree):
    rows = [
        Member(organization=tree.county_a, org_path=tree.county_a.path, kind="enterprise" if i % 2 else "individual",
               enterprise=tree.ent_a if i == 1 else None, person_name=f"会员{i}",
               joined_on=dt.date(YEAR, 3, 1 + i))
        for i in range(5)
    ] + [Member(organization=tree.county_a, org_path=tree.county_a.path, kind="individual", person_name="老会员",
                joined_on=dt.date(YEAR - 1, 5, 1))]  # fmt: skip
    Member.objects.bulk_create(rows)
    count_members(m.pk for m in rows)  # written without save(): into the figures' rollups


def test_given_members_when_drafting_then_fic_style_sentences_and_empty_sections_say_so(members, tree):
    doc = summary.document(tree.city, YEAR)
    text = {s["key"]: "".join(p["text"] for p in s["parts"]) for s in doc["sections"]}
    assert "全年新发展会员5个，同比增长400%。" in text["organisation"]
    assert "工商联会员6个" in text["organisation"]
    assert "暂无政治引领方面的记录" in text["politics"]
    assert "暂无参政议政方面的记录" in text["advisory"]
    assert [s["title"] for s in doc["sections"]] == [
        "政治引领", "参政议政", "服务经济", "组织建设", "社会服务", "自身建设", "存在问题", "下一年思路"
    ]  # fmt: skip


def test_given_command_json_then_every_figure_with_drilldown_whose_csv_adds_up(members, tree, users, client, tmp_path):
    out = tmp_path / "s.json"
    call_command("annual_summary", tree.city.code, str(YEAR), "--format", "json", "--out", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    from qinqing.core.figures import Figure, all_figures, public_figures

    # Every figure without a permission of its own; those with one (亲清日志's) never reach the summary.
    assert {f["key"] for f in data["figures"]} == {f.key for f in public_figures()}
    assert {f.key for f in all_figures() if f.permission} and not any(f.permission for f in public_figures())
    client.force_login(users.city_staff)
    kinds = {f.key: f for f in all_figures()}
    for row in data["figures"]:
        assert set(row) >= {"key", "section", "label", "value", "unit", "drilldown"}
        assert client.get(row["drilldown"]).status_code == 200
        figure = kinds[row["key"]]
        if isinstance(figure, Figure):
            body = client.get(row["drilldown"] + "&format=csv").content.decode("utf-8-sig")
            lines = list(csv.reader(io.StringIO(body)))[1:]
            if figure.measure.startswith("sum:"):
                i = [c.amount for c in figure.columns].index(True)
                assert sum(Decimal(r[i] or 0) for r in lines) == Decimal(str(row["value"]))
            else:
                assert len(lines) == row["value"], row["key"]
    assert next(f for f in data["figures"] if f["key"] == "registry.members_new")["value"] == 5


def test_given_docx_then_chinese_text_and_sources(members, tree, tmp_path):
    out = tmp_path / "s.docx"
    call_command("annual_summary", tree.city.code, str(YEAR), "--format", "docx", "--out", str(out))
    from docx import Document

    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "全年新发展会员5" in text and "数据来源" in text and "/reports/figures/registry.members_new/" in text


def _png(pdf: bytes, tmp_path, name: str) -> bytes:
    src = tmp_path / f"{name}.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(src), str(tmp_path / name)], check=True)
    return next(tmp_path.glob(f"{name}*.png")).read_bytes()


def test_given_pdf_then_cjk_font_embedded_and_different_characters_render_differently(members, tree, tmp_path):
    out = tmp_path / "s.pdf"
    call_command("annual_summary", tree.city.code, str(YEAR), "--format", "pdf", "--out", str(out))
    from pypdf import PdfReader

    reader = PdfReader(str(out))
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("CJK" in f for f in fonts), fonts
    assert "全年新发展会员" in reader.pages[0].extract_text().replace(" ", "")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    # Missing glyphs would draw the same box for every character: two different strings would look the same.
    doc_a = {"title": "工商联会", "sections": [], "cited": []}
    doc_b = {"title": "民营企业", "sections": [], "cited": []}
    png_a = _png(exports.pdf_bytes(doc_a), tmp_path, "a")
    png_b = _png(exports.pdf_bytes(doc_b), tmp_path, "b")
    assert png_a != png_b
    assert _png(out.read_bytes(), tmp_path, "full")


def test_given_unknown_org_then_chinese_error(db, tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="未找到工商联组织编码"):
        call_command("annual_summary", "000000", "2025", "--out", str(tmp_path / "x.json"))


def test_given_no_new_members_last_year_then_growth_clause_left_out(tree):
    Member.objects.create(organization=tree.county_a, org_path=tree.county_a.path, kind="individual",
                          person_name="甲", joined_on=dt.date(YEAR, 5, 1))  # fmt: skip
    text = summary.draft(tree.city, YEAR)["organisation"]
    assert "全年新发展会员{{registry.members_new}}个。" in text and "同比" not in text
