"""The 感谢信: a PDF with an embedded CJK font whose Chinese text renders (pdftoppm → PNG), issued by staff only,
counted and audited."""

import shutil
import subprocess

import pytest

from qinqing.core.models import AuditEntry
from qinqing.programs import letters
from qinqing.programs.models import Donation

pytestmark = pytest.mark.django_db


def _png(pdf: bytes, tmp_path, name: str) -> bytes:
    src = tmp_path / f"{name}.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(src), str(tmp_path / name)], check=True)
    return next(tmp_path.glob(f"{name}*.png")).read_bytes()


def test_given_a_donation_when_the_letter_is_downloaded_then_a_chinese_pdf_is_issued_counted_and_audited(
    prog, users, login, tmp_path
):
    from pypdf import PdfReader

    response = login(users.county_staff).get(f"/programs/donations/{prog.major.pk}/letter.pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "letter.pdf"
    path.write_bytes(response.content)
    reader = PdfReader(str(path))
    fonts = {str(f.get_object()["/BaseFont"]) for f in (reader.pages[0]["/Resources"].get("/Font") or {}).values()}
    assert any("CJK" in f for f in fonts), fonts
    text = reader.pages[0].extract_text().replace(" ", "").replace("\n", "")
    assert "感谢信" in text and "岳阳县洞庭食品有限公司" in text and "120.00万元" in text and "防汛救灾" in text
    assert "岳阳县工商联" in text
    assert Donation.objects.get(pk=prog.major.pk).letters == 1
    assert AuditEntry.objects.filter(action="programs.issue_letter", object_id=str(prog.major.pk)).exists()


def test_given_two_donors_whose_names_differ_when_rendered_then_the_pngs_differ(prog, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    # Missing glyphs would draw the same box for every character: two different names would look the same.
    donation = Donation.objects.select_related("enterprise").get(pk=prog.small.pk)
    donation.enterprise.name = "甲乙丙丁有限公司"
    png_a = _png(letters.letter_pdf(donation), tmp_path, "a")
    donation.enterprise.name = "戊己庚辛有限公司"
    png_b = _png(letters.letter_pdf(donation), tmp_path, "b")

    assert png_a != png_b


def test_given_an_in_kind_donation_when_rendered_then_the_items_and_their_value_are_named(tree, users):
    from qinqing.programs import actions

    from .conftest import donation_data

    data = donation_data(form="in_kind", items="大米、食用油", amount="8")
    donation = actions.register_donation(actor=users.county_staff, enterprise=tree.ent_a, data=data)

    html = letters.letter_html(donation)

    assert "捐赠大米、食用油（折价8.00万元）" in html


def test_given_an_enterprise_or_another_county_when_asking_for_the_letter_then_refused(prog, users, client):
    client.force_login(users.enterprise)
    assert client.get(f"/programs/donations/{prog.major.pk}/letter.pdf").status_code == 403
    client.force_login(users.county_b_staff)
    assert client.get(f"/programs/donations/{prog.major.pk}/letter.pdf").status_code == 404
    assert Donation.objects.get(pk=prog.major.pk).letters == 0
