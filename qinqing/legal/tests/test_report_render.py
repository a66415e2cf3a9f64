"""The 法律风险评估报告 renders its Chinese: the PDF embeds a CJK font, and converted to PNG with pdftoppm the page is
not blank and different Chinese text draws differently (missing glyphs would draw the same boxes)."""

import shutil
import subprocess

import pytest

from qinqing.legal import exports

from .conftest import walk_to

pytestmark = pytest.mark.django_db


def _png(pdf: bytes, tmp_path, name: str) -> bytes:
    src = tmp_path / f"{name}.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(src), str(tmp_path / name)], check=True)
    return next(tmp_path.glob(f"{name}*.png")).read_bytes()


def test_given_a_report_when_rendered_to_pdf_then_chinese_glyphs_are_drawn(legal, tree, users, tmp_path):
    from io import BytesIO

    from pypdf import PdfReader

    checkup = walk_to("reported", tree, users)
    pdf = exports.pdf_bytes(checkup)
    reader = PdfReader(BytesIO(pdf))
    fonts = {
        str(f.get_object()["/BaseFont"]) for p in reader.pages for f in (p["/Resources"].get("/Font") or {}).values()
    }
    assert any("CJK" in f for f in fonts), fonts
    text = reader.pages[0].extract_text().replace(" ", "")
    assert "法律风险评估报告" in text and tree.ent_a.name in text and tree.lawfirm.name in text
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    from PIL import Image

    page = Image.open(BytesIO(_png(pdf, tmp_path, "full"))).convert("L")
    dark = sum(page.histogram()[:128])
    assert dark > 2000  # a blank page (or only boxes' outlines) has almost none

    tree.ent_a.name = "民营企业甲"
    tree.ent_a.save()
    checkup.refresh_from_db()
    other = exports.pdf_bytes(checkup)
    assert _png(other, tmp_path, "other") != _png(pdf, tmp_path, "again")
