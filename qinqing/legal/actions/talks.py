"""Legal talks and trainings (法律讲座/培训) with their attendance, recorded by FIC staff or the lawyer."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.roles import Role

from ..models import FirmLink, LegalTalk
from .common import LegalError, parse_date, text, today

FIELDS = [
    "date",
    "topic",
    "lawyer_id",
    "law_firm_id",
    "chamber_id",
    "organiser_id",
    "place",
    "attendees",
    "activity_id",
]
MAX_ATTENDEES = 100000


def _count(value) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({"attendees": _("参加人数应为整数")}) from None
    if number < 1 or number > MAX_ATTENDEES:
        raise ValidationError({"attendees": _("参加人数应在 1 至 %(n)s 之间") % {"n": MAX_ATTENDEES}})
    return number


def _activity(value, organiser, talk):
    """The activity this talk also is (a legal 讲座/培训 of the activities app in the organiser's subtree, not
    yet stood for by another talk), so it is counted once."""
    from qinqing.activities.models import Activity

    from .. import activity_talks

    pk = getattr(value, "pk", value)
    if pk in (None, ""):
        return None
    found = activity_talks.topic_q() & Q(pk=pk, org_path__startswith=organiser.path)
    activity = Activity.objects.filter(found).first()
    if activity is None:
        raise ValidationError({"activity": _("对应活动：请选择主办单位辖内、主题涉及法律的讲座或培训")})
    taken = LegalTalk.objects.filter(activity=activity)
    if talk is not None:
        taken = taken.exclude(pk=talk.pk)
    if taken.exists():
        raise ValidationError({"activity": _("对应活动：该活动已由另一条讲座记录关联")})
    return activity


def clean_talk(*, actor, data: dict, talk: LegalTalk | None = None) -> dict:
    from qinqing.accounts.models import User
    from qinqing.orgs.models import Organization
    from qinqing.registry.models import Enterprise

    day = parse_date(data.get("date"), "date", _("日期"))
    if day > today():
        raise ValidationError({"date": _("日期不能晚于今天（讲座举办后登记）")})
    topic = text(data.get("topic"), "topic", _("主题"), limit=200)
    chamber_id = data.get("chamber")
    chamber_id = getattr(chamber_id, "pk", chamber_id)
    chamber = (
        Organization.objects.filter(pk=chamber_id, kind="chamber").first() if chamber_id not in (None, "") else None
    )
    if chamber_id not in (None, "") and chamber is None:
        raise ValidationError({"chamber": _("商会：请选择一个商会")})
    if actor.role == Role.LAWYER:
        lawyer = actor
        linked = FirmLink.objects.filter(law_firm_id=actor.org_id, starts_on__lte=day, ends_on__gte=day)
        if chamber is None or not linked.filter(chamber=chamber).exists():
            raise ValidationError({"chamber": _("商会：请选择讲座当日与本所有联系（万所联万会）的商会")})
        organiser = chamber
    elif actor.role == Role.FIC_STAFF:
        lawyer_id = data.get("lawyer")
        lawyer_id = getattr(lawyer_id, "pk", lawyer_id)
        lawyer = None
        if lawyer_id not in (None, ""):
            lawyer = User.objects.filter(pk=lawyer_id, role=Role.LAWYER).first()
            if lawyer is None:
                raise ValidationError({"lawyer": _("主讲律师：请选择一名律师")})
        if chamber is not None and not chamber.path.startswith(actor.org.path):
            raise ValidationError({"chamber": _("商会：请选择您管辖范围内的商会")})
        organiser = chamber or actor.org
    else:
        raise LegalError(_("您的角色不能登记法律讲座"))
    attendees = _count(data.get("attendees"))
    codes = [c.strip().upper() for c in (data.get("enterprise_codes") or []) if c and c.strip()]
    enterprises = list(Enterprise.objects.filter(credit_code__in=codes))
    missing = sorted(set(codes) - {e.credit_code for e in enterprises})
    if missing:
        raise ValidationError({"enterprise_codes": _("参加企业：未找到统一社会信用代码 %(codes)s")
                               % {"codes": "、".join(missing[:5])}})  # fmt: skip
    if len(enterprises) > attendees:
        raise ValidationError({"attendees": _("参加人数不能少于参加企业数（%(n)s 家）") % {"n": len(enterprises)}})
    activity = _activity(data.get("activity"), organiser, talk)
    return {
        "activity": activity,
        "date": day, "topic": topic, "lawyer": lawyer, "law_firm_id": lawyer.org_id if lawyer else None,
        "chamber": chamber, "organiser": organiser, "org_path": organiser.path, "attendees": attendees,
        "place": text(data.get("place"), "place", _("地点"), limit=200, required=False), "enterprises": enterprises,
    }  # fmt: skip


@transaction.atomic
def save_talk(*, actor, data: dict, talk: LegalTalk | None = None) -> LegalTalk:
    if talk is not None and actor.role == Role.LAWYER and talk.lawyer_id != actor.pk:
        raise LegalError(_("只能修改本人主讲的讲座"))
    clean = clean_talk(actor=actor, data=data, talk=talk)
    enterprises = clean.pop("enterprises")
    before = audit.snapshot(talk, FIELDS) if talk else None
    talk = talk or LegalTalk(created_by=actor)
    for name, value in clean.items():
        setattr(talk, name, value)
    talk.save()
    talk.enterprises.set(enterprises)
    after = {**audit.snapshot(talk, FIELDS), "enterprises": [e.pk for e in enterprises]}
    audit.record("legal.save_talk", obj=talk, actor=actor, before=before, after=after)
    return talk
