"""Attachments: downloaded through the policy's permissions, validated on upload, their text searchable."""

import io
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qinqing.core.models import AuditEntry
from qinqing.policies import search_index
from qinqing.policies.models import Policy, PolicyAttachment
from qinqing.policies.search import RankedResults

pytestmark = pytest.mark.django_db

TXT = "申报材料须附营业执照复印件。本细则所称链主企业，指在产业链中居主导地位的企业。".encode()


def _txt(name="申报指南.txt", data=TXT):
    return SimpleUploadedFile(name, data, content_type="text/plain")


def _docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf_bytes(text: str) -> bytes:
    """A one-page PDF whose text layer says ``text`` (ASCII: the base-14 fonts have no CJK glyphs)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode())
    page[NameObject("/Contents")] = writer._add_object(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _attach(policy, actor, upload, name=""):
    from qinqing.policies.actions import add_attachment

    return add_attachment(policy, actor=actor, name=name, file=upload)


def _found(word, *, engine: bool) -> list[str]:
    results = RankedResults(Policy.objects.all(), word, use_engine=engine)
    assert (results.engine is not None) == engine
    return [p.title for p in results[0:20]]


# --- download through permissions ---------------------------------------------------------------------------


def test_given_published_policy_attachment_when_downloaded_then_original_chinese_filename(
    login, users, firms, make_policy
):
    policy = make_policy()
    attachment = _attach(policy, users.city_staff, _txt())
    response = login(users.enterprise_b).get(reverse("policies:attachment", args=[policy.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TXT
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('申报指南.txt')}" in disposition


def test_given_draft_attachment_when_other_county_downloads_then_404_page_and_api(login, users, firms, make_policy):
    draft = make_policy(actor=users.county_staff, publish=False)
    attachment = _attach(draft, users.county_staff, _txt())
    client = login(users.county_b_staff)
    assert client.get(reverse("policies:attachment", args=[draft.pk, attachment.pk])).status_code == 404
    assert client.get(reverse("api-policy-attachment", args=[draft.pk, attachment.pk])).status_code == 404
    # the owner's county sees it
    own = login(users.county_staff)
    assert own.get(reverse("policies:attachment", args=[draft.pk, attachment.pk])).status_code == 200


def test_given_attachment_of_another_policy_when_requested_under_this_policy_then_404(login, users, firms, make_policy):
    draft = make_policy(actor=users.county_staff, publish=False, title="草稿")
    public = make_policy(title="已发布")
    hidden = _attach(draft, users.county_staff, _txt())
    client = login(users.county_b_staff)
    assert client.get(reverse("policies:attachment", args=[public.pk, hidden.pk])).status_code == 404


def test_given_api_detail_when_read_then_attachments_listed_with_download_url(login, users, firms, make_policy):
    policy = make_policy()
    attachment = _attach(policy, users.city_staff, _txt(), name="申报指南")
    data = login(users.enterprise).get(reverse("api-policy", args=[policy.pk])).json()
    assert data["attachments"] == [
        {
            "id": attachment.pk,
            "name": "申报指南",
            "filename": "申报指南.txt",
            "size": len(TXT),
            "download_url": reverse("api-policy-attachment", args=[policy.pk, attachment.pk]),
        }
    ]
    response = login(users.enterprise).get(data["attachments"][0]["download_url"])
    assert response.status_code == 200 and b"".join(response.streaming_content) == TXT


def test_given_detail_page_when_rendered_then_links_go_through_the_download_view(login, users, firms, make_policy):
    policy = make_policy()
    attachment = _attach(policy, users.city_staff, _txt())
    page = login(users.enterprise).get(reverse("policies:detail", args=[policy.pk])).content.decode()
    assert reverse("policies:attachment", args=[policy.pk, attachment.pk]) in page
    assert "/media/" not in page


# --- upload validation ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("setup.exe", b"MZ\x90\x00", content_type="application/octet-stream"), "只能上传"),
        (SimpleUploadedFile("通知.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"), "不符"),
    ],
)
def test_given_bad_upload_when_attached_then_chinese_error_naming_the_field_and_nothing_saved(
    login, users, firms, make_policy, upload, message
):
    policy = make_policy()
    response = login(users.city_staff).post(reverse("policies:attach", args=[policy.pk]), {"file": upload}, follow=True)
    text = response.content.decode()
    assert "附件文件" in text and message in text
    assert not PolicyAttachment.objects.exists()


def test_given_file_over_the_size_limit_when_attached_then_refused(login, users, firms, make_policy, settings):
    settings.POLICY_ATTACHMENT_MAX_BYTES = 1024
    policy = make_policy()
    response = login(users.city_staff).post(
        reverse("policies:attach", args=[policy.pk]), {"file": _txt(data=b"x" * 2048)}, follow=True
    )
    assert "附件文件：文件不能超过" in response.content.decode()
    assert not PolicyAttachment.objects.exists()


def test_given_upload_through_the_page_when_valid_then_stored_and_audited(login, users, firms, make_policy):
    policy = make_policy()
    response = login(users.city_staff).post(reverse("policies:attach", args=[policy.pk]), {"file": _txt()})
    assert response.status_code == 302
    attachment = PolicyAttachment.objects.get()
    assert attachment.filename == "申报指南.txt" and "链主企业" in attachment.text
    assert AuditEntry.objects.filter(action="policies.add_attachment", object_id=str(policy.pk)).exists()


# --- text extraction and search ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "data", "word"),
    [
        ("细则.txt", TXT, "链主企业"),
        ("细则.txt", "本细则所称链主企业".encode("gb18030"), "链主企业"),
        ("细则.docx", _docx_bytes("本细则所称链主企业，指居主导地位的企业。"), "链主企业"),
        ("notice.pdf", _pdf_bytes("Supplychain leader subsidy"), "supplychain"),
    ],
    ids=["txt-utf8", "txt-gb18030", "docx", "pdf"],
)
def test_given_word_only_in_attachment_when_searched_on_both_engines_then_found_until_deleted(
    users, firms, make_policy, filename, data, word
):
    from qinqing.policies.actions import delete_attachment

    policy = make_policy(title="产业链奖励办法", body="奖励办法见附件。")
    make_policy(title="别的政策", body="与此无关。")
    assert search_index.is_ready()
    assert _found(word, engine=True) == [] and _found(word, engine=False) == []

    attachment = _attach(policy, users.city_staff, SimpleUploadedFile(filename, data))
    assert _found(word, engine=True) == ["产业链奖励办法"]
    assert _found(word, engine=False) == ["产业链奖励办法"]

    delete_attachment(attachment, actor=users.city_staff)
    assert _found(word, engine=True) == []
    assert _found(word, engine=False) == []


def test_given_attachment_when_deleted_then_gone_audited_and_file_removed(
    login, users, firms, make_policy, django_capture_on_commit_callbacks
):
    policy = make_policy()
    attachment = _attach(policy, users.city_staff, _txt())
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    client = login(users.city_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("policies:attachment_delete", args=[policy.pk, attachment.pk]))
    assert response.status_code == 302
    assert not PolicyAttachment.objects.exists() and not storage.exists(name)
    entry = AuditEntry.objects.get(action="policies.delete_attachment")
    assert entry.before["filename"] == "申报指南.txt"
    assert client.get(reverse("policies:attachment", args=[policy.pk, attachment.pk])).status_code == 404


def test_given_other_county_staff_when_deleting_attachment_then_404_and_kept(login, users, firms, make_policy):
    policy = make_policy(actor=users.county_staff)
    attachment = _attach(policy, users.county_staff, _txt())
    client = login(users.county_b_staff)
    assert client.post(reverse("policies:attachment_delete", args=[policy.pk, attachment.pk])).status_code == 404
    assert client.delete(reverse("api-policy-attachment", args=[policy.pk, attachment.pk])).status_code == 404
    assert PolicyAttachment.objects.filter(pk=attachment.pk).exists()


def test_given_editor_when_uploading_through_the_api_then_201_and_downloadable(login, users, firms, make_policy):
    policy = make_policy()
    client = login(users.city_staff)
    response = client.post(reverse("api-policy-attachments", args=[policy.pk]), {"file": _txt(), "name": "申报指南"})
    assert response.status_code == 201
    data = response.json()
    assert data["filename"] == "申报指南.txt" and data["name"] == "申报指南"
    download = login(users.enterprise).get(data["download_url"])
    assert b"".join(download.streaming_content) == TXT


def test_given_bad_file_through_the_api_when_uploading_then_400_naming_the_field_and_nothing_saved(
    login, users, firms, make_policy
):
    policy = make_policy()
    upload = SimpleUploadedFile("setup.exe", b"MZ\x90\x00")
    response = login(users.city_staff).post(reverse("api-policy-attachments", args=[policy.pk]), {"file": upload})
    assert response.status_code == 400 and "附件文件" in response.content.decode()
    assert not PolicyAttachment.objects.exists()


def test_given_other_county_when_uploading_through_the_api_then_404(login, users, firms, make_policy):
    policy = make_policy(actor=users.county_staff, publish=False)
    response = login(users.county_b_staff).post(reverse("api-policy-attachments", args=[policy.pk]), {"file": _txt()})
    assert response.status_code == 404 and not PolicyAttachment.objects.exists()
