"""光彩事业: donations by enterprises (cash or in kind), their receipts, the 感谢信 and the ≥ 100 万元 reporting
list. Atomic and audited."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qinqing.core import audit, uploads

from ..choices import DonationForm
from ..models import Donation
from .common import ProgramsError, amount, choice, day, in_scope, text, today

MAJOR_AMOUNT = Decimal("100")  # 万元: ¥1,000,000 and more is reported upward
# A receipt is a scan or a PDF.
RECEIPTS = {ext: uploads.DOCUMENTS[ext] for ext in ("pdf", "jpg", "jpeg", "png")}
RECEIPT_MAX_BYTES = 10 * 1024 * 1024
FIELDS = ("enterprise_id", "form", "amount", "items", "recipient", "purpose", "donated_on", "major")


def check_receipt(receipt) -> None:
    if receipt is None:
        return
    try:
        uploads.check(receipt, label=_("捐赠票据"), allowed=RECEIPTS, max_bytes=RECEIPT_MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"receipt": exc.messages}) from None


def _number(on) -> str:
    prefix = f"GC{on:%Y}"
    last = Donation.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True)
    serial = int(last[0][len(prefix) :]) + 1 if last else 1
    return f"{prefix}{serial:05d}"


@transaction.atomic
def register_donation(*, actor, enterprise, data: dict, receipt=None) -> Donation:
    """A donation recorded by FIC staff for an enterprise of their subtree, or by the enterprise itself."""
    if enterprise is None:
        raise ValidationError({"enterprise": _("请填写捐赠企业")})
    if actor.enterprise_id:
        if enterprise.pk != actor.enterprise_id:
            raise ValidationError({"enterprise": _("只能登记本企业的捐赠")})
    elif not actor.org_id or not enterprise.org_path.startswith(actor.org.path):
        raise ValidationError({"enterprise": _("企业“%(name)s”不在您的管辖范围内") % {"name": enterprise.name}})
    form = choice(data, "form", _("捐赠形式"), DonationForm)
    value = amount(data, "amount", _("金额或折价（万元）"), positive=True)
    items = text(data, "items", _("物资明细"), max_length=300, required=form == DonationForm.IN_KIND)
    recipient = text(data, "recipient", _("受赠方"), max_length=100)
    purpose = text(data, "purpose", _("用途"), max_length=200)
    donated_on = day(data, "donated_on", _("捐赠日期"))
    check_receipt(receipt)
    donation = Donation(
        number=_number(donated_on), enterprise=enterprise, org_path=enterprise.org_path, form=form, amount=value,
        items=items, recipient=recipient, purpose=purpose, donated_on=donated_on, major=value >= MAJOR_AMOUNT,
        created_by=actor,
    )  # fmt: skip
    if receipt is not None:
        donation.receipt_name = str(receipt.name)[-200:]
        donation.receipt.save(receipt.name, receipt, save=False)
    donation.save()
    audit.record("programs.register_donation", obj=donation, actor=actor,
                 after={**audit.snapshot(donation, FIELDS), "receipt": donation.receipt_name})  # fmt: skip
    return donation


@transaction.atomic
def attach_receipt(donation: Donation, *, actor, receipt) -> Donation:
    """A receipt added after the donation was recorded (the old one, if any, is replaced)."""
    if actor.enterprise_id:
        if actor.enterprise_id != donation.enterprise_id:
            raise ProgramsError(_("只能为本企业的捐赠上传票据"))
    else:
        in_scope(actor, donation.org_path, _("该捐赠"))
    if receipt is None:
        raise ValidationError({"receipt": _("捐赠票据：请选择要上传的文件")})
    check_receipt(receipt)
    before = {"receipt": donation.receipt_name}
    donation.receipt_name = str(receipt.name)[-200:]
    donation.receipt.save(receipt.name, receipt, save=False)
    donation.save(update_fields=["receipt", "receipt_name", "updated_at"])
    audit.record("programs.attach_receipt", obj=donation, actor=actor, before=before,
                 after={"receipt": donation.receipt_name})  # fmt: skip
    return donation


@transaction.atomic
def mark_reported(donation: Donation, *, actor, on=None) -> Donation:
    """A ≥ 100 万元 donation reported upward (the reporting list shows those not yet reported)."""
    if actor.enterprise_id:
        raise ProgramsError(_("只有工作人员可以上报捐赠"))
    in_scope(actor, donation.org_path, _("该捐赠"))
    if not donation.major:
        raise ProgramsError(_("只有 100 万元及以上的捐赠需要上报"))
    if donation.reported_on is not None:
        raise ProgramsError(_("该捐赠已于 %(day)s 上报") % {"day": donation.reported_on})
    reported_on = day({"reported_on": on or today()}, "reported_on", _("上报日期"), not_before=donation.donated_on)
    donation.reported_on = reported_on
    donation.save(update_fields=["reported_on", "updated_at"])
    audit.record("programs.mark_reported", obj=donation, actor=actor, after={"reported_on": reported_on})
    return donation


@transaction.atomic
def issue_letter(donation: Donation, *, actor, base_url: str = "") -> bytes:
    """The 感谢信 as a PDF, signed by the FIC holding the donation; each issue is counted and audited."""
    from ..letters import letter_pdf

    pdf = letter_pdf(donation)
    Donation.objects.filter(pk=donation.pk).update(letters=donation.letters + 1)
    donation.letters += 1
    audit.record("programs.issue_letter", obj=donation, actor=actor, after={"letters": donation.letters})
    return pdf
