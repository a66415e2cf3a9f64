"""Appeal attachments: checked by extension and content (core.uploads), downloaded only through the
authorised, audited view (attachment, nosniff); another county's attachment answers 404."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qinqing.appeals import actions
from qinqing.appeals.models import AppealAttachment
from qinqing.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _docx() -> bytes:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


REFUSED = [
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "不允许上传 .svg"),
    ("page.html", b"<html><script>alert(1)</script></html>", "不允许上传 .html"),
    ("scan.jpg", b"MZ\x90\x00 an executable", "不符"),
    ("contract.pdf", b"<html><body>not a pdf</body></html>", "不符"),
    ("notes.txt", b"<!DOCTYPE html><script>alert(1)</script>", "不符"),
    ("contract.docx", b"PK\x03\x04 a zip that is no Word document", "不符"),
    ("run.exe", b"MZ\x90\x00", "不允许上传"),
    ("bomb.docx", None, "压缩比异常"),  # a Word package whose document.xml expands 10 MB from a few KB
]


def _docx_bomb() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b"<w:t>" + b"a" * 10 * 1024 * 1024 + b"</w:t>")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_given_a_dangerous_or_renamed_file_when_registering_then_refused_and_nothing_saved(
    name, content, message, make_appeal
):
    with pytest.raises(actions.AppealError) as refused:
        make_appeal(files=[SimpleUploadedFile(name, content if content is not None else _docx_bomb())])

    assert message in str(refused.value) and name in str(refused.value)
    assert not AppealAttachment.objects.exists()


def test_given_a_dangerous_file_when_supplying_materials_then_refused(make_appeal, users):
    appeal = make_appeal(files=[SimpleUploadedFile("照片.png", PNG)])

    with pytest.raises(actions.AppealError, match="不允许上传"):
        actions.supply_materials(
            appeal, actor=users.enterprise, comment="补充", files=[SimpleUploadedFile("x.svg", b"<svg/>")]
        )


def test_given_an_svg_on_the_registration_page_then_the_form_says_why(users, login, kinds):
    response = login(users.enterprise).post(
        reverse("appeals:new"),
        {
            "appeal_type": kinds.consult.pk,
            "domain": kinds.finance.pk,
            "title": "贷款难",
            "description": "贷款申请三个月未审批",
            "contact_name": "张三",
            "contact_phone": "13800138000",
            "files": [SimpleUploadedFile("logo.svg", b"<svg/>")],
        },
    )

    assert response.status_code == 200
    assert "不允许上传 .svg" in response.content.decode()
    assert not AppealAttachment.objects.exists()


@pytest.fixture
def attached(make_appeal):
    appeal = make_appeal(files=[SimpleUploadedFile("现场照片.png", PNG), SimpleUploadedFile("合同.docx", _docx())])
    return appeal, appeal.attachments.get(name="现场照片.png")


def test_given_the_detail_page_then_attachment_links_lead_to_a_working_download(attached, users, login):
    appeal, attachment = attached
    client = login(users.county_staff)
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    url = reverse("appeals:attachment", args=[appeal.pk, attachment.pk])
    assert f'href="{url}"' in page

    response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    entry = AuditEntry.objects.get(action="appeals.download_attachment")
    assert entry.actor_id == users.county_staff.pk and entry.after["attachment"] == attachment.pk


@pytest.mark.parametrize("who", ["county_b_staff", "enterprise_b", "liaison_b"])
def test_given_another_countys_user_when_downloading_then_404_and_nothing_audited(who, attached, users, login):
    appeal, attachment = attached

    response = login(getattr(users, who)).get(reverse("appeals:attachment", args=[appeal.pk, attachment.pk]))

    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="appeals.download_attachment").exists()


def test_given_an_attachment_of_another_appeal_when_asked_under_this_appeal_then_404(
    attached, make_appeal, users, login
):
    _appeal, attachment = attached
    other = make_appeal(title="另一件诉求")

    response = login(users.county_staff).get(reverse("appeals:attachment", args=[other.pk, attachment.pk]))

    assert response.status_code == 404


def test_given_a_token_when_downloading_through_the_api_then_the_same_headers_audit_and_scope(attached, users):
    from django.test import Client

    from qinqing.accounts.actions import issue_api_token

    appeal, attachment = attached
    url = f"/api/v1/appeals/{appeal.pk}/attachments/{attachment.pk}/"

    def get(user):
        return Client().get(url, HTTP_AUTHORIZATION=f"Token {issue_api_token(user).key}")

    response = get(users.county_staff)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEntry.objects.filter(action="appeals.download_attachment").count() == 1
    assert get(users.county_b_staff).status_code == 404
    assert get(users.enterprise_b).status_code == 404
