"""The only writers of financing data: pushes to banks and chamber batches.
Each action is atomic and audited.

Bad input raises django ValidationError naming the field (400 in the API, the form field on pages); a step the
current state does not allow raises FinancingError (qinqing.core.errors.Refused, 409). Nothing is changed then.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qinqing.core import audit

from ..choices import (
    BatchKind,
    Guarantee,
    ListState,
    Source,
    Stage,
)
from ..models import (
    FinancingNeed,
    NeedReferral,
    PushBatch,
    StageEvent,
)
from .common import (
    AMOUNT_MAX,
    RANK,
    FinancingError,
    _decimal,
    _notify_bank,
    answer_days,
    clean_need_fields,
    today,
)
from .needs import (
    _new_need,
)

# --- pushes to banks ------------------------------------------------------------------------------


def _referral(need, bank, batch, *, actor, on, previous=None, product=None) -> NeedReferral:
    if NeedReferral.objects.filter(need=need, bank=bank).exclude(stage=Stage.REFUSED).exists():
        raise FinancingError(
            _("需求 %(number)s 已推送给 %(bank)s 且正在办理") % {"number": need.number, "bank": bank.name}
        )
    referral = NeedReferral.objects.create(
        need=need,
        bank=bank,
        bank_path=bank.path,
        org_path=need.org_path,
        batch=batch,
        product=product,
        previous=previous,
        pushed_on=on,
        application_complete_on=on,
        answer_due=on + dt.timedelta(days=answer_days()),
        is_credit_loan=need.guarantee == Guarantee.CREDIT,
    )
    StageEvent.objects.create(referral=referral, stage=Stage.PUSHED, on=on, actor=actor)
    _refresh_need_stage(need)
    return referral


@transaction.atomic
def push_batch(*, actor, bank, needs: list[FinancingNeed], note: str = "", on=None) -> PushBatch:
    """Push recommended needs to one bank in a batch; the bank's officers are told."""
    if bank.kind != "bank":
        raise ValidationError({"bank": _("请选择金融机构")})
    if not needs:
        raise ValidationError({"needs": _("请选择要推送的需求")})
    for need in needs:
        if need.list_state != ListState.RECOMMENDED:
            raise FinancingError(_("需求 %(number)s 不在推荐清单中，不能推送") % {"number": need.number})
        if not need.org_path.startswith(actor.org.path):
            raise FinancingError(_("需求 %(number)s 不在您的管辖范围内") % {"number": need.number})
    on = on or today()
    batch = PushBatch.objects.create(
        bank=bank, fic=actor.org, org_path=actor.org.path, note=note, pushed_on=on, pushed_by=actor
    )
    for need in needs:
        _referral(need, bank, batch, actor=actor, on=on)
    audit.record(
        "financing.push_batch", obj=batch, actor=actor, after={"bank": bank.pk, "needs": [n.pk for n in needs]}
    )
    _notify_bank(bank, _("工商联推送了 %(n)s 笔融资需求") % {"n": len(needs)}, key=f"financing-batch-{batch.pk}")
    return batch


@transaction.atomic
def chamber_recommend(*, actor, bank, entries: list[dict], note: str = "", credit_line=None, on=None) -> PushBatch:
    """整会授信: a chamber secretary recommends member enterprises in one batch, with its screening notes.

    Each entry: enterprise, need fields (amount, term_months, purpose, guarantee…), chamber_note."""
    from qinqing.registry.models import Member

    if bank.kind != "bank":
        raise ValidationError({"bank": _("请选择金融机构")})
    if not entries:
        raise ValidationError({"entries": _("请至少推荐一家会员企业")})
    credit_line = _decimal(credit_line, "credit_line", _("整会授信额度（万元）"), low=Decimal("1"), high=AMOUNT_MAX,
                           required=False)  # fmt: skip
    chamber = actor.org
    members = set(
        Member.objects.filter(organization=chamber, enterprise__isnull=False, left_on__isnull=True).values_list(
            "enterprise_id", flat=True
        )
    )
    on = on or today()
    batch = PushBatch.objects.create(
        bank=bank,
        fic=chamber.fic(),
        org_path=chamber.path,
        kind=BatchKind.CHAMBER,
        chamber=chamber,
        credit_line=credit_line,
        note=note,
        pushed_on=on,
        pushed_by=actor,
    )
    for row, entry in enumerate(entries, start=1):
        enterprise = entry["enterprise"]
        if enterprise.pk not in members:
            raise FinancingError(
                _("第 %(row)s 家企业“%(name)s”不是本商会的会员企业") % {"row": row, "name": enterprise.name}
            )
        try:
            fields = clean_need_fields(entry)
        except ValidationError as exc:
            raise ValidationError(
                {
                    key: [_("第 %(row)s 家企业：%(msg)s") % {"row": row, "msg": m} for m in msgs]
                    for key, msgs in exc.message_dict.items()
                }
            ) from None
        need = _new_need(
            enterprise,
            fields,
            actor=actor,
            source=Source.CHAMBER,
            stated_on=on,
            chamber=chamber,
            chamber_note=(entry.get("chamber_note") or "").strip(),
            list_state=ListState.RECOMMENDED,
        )
        _referral(need, bank, batch, actor=actor, on=on)
    audit.record("financing.chamber_recommend", obj=batch, actor=actor, after={"count": len(entries)})
    _notify_bank(bank, _("商会推荐了 %(n)s 家会员企业（整会授信）") % {"n": len(entries)},
                 key=f"financing-batch-{batch.pk}")  # fmt: skip
    return batch


def _refresh_need_stage(need: FinancingNeed) -> None:
    stages = list(NeedReferral.objects.filter(need=need).values_list("stage", flat=True))
    need.stage = max(stages, key=lambda s: RANK[s]) if stages else ""
    need.save(update_fields=["stage", "updated_at"])
