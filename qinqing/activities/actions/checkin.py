"""Check-in: by a signed, expiring link (shown as a QR code, per registration or per session) or by staff.

A link carries what it checks in (a registration or a session) and the last day it is valid (the activity's
end), signed with the site's key (django.core.signing), so nobody can forge or extend one. The same target
always gives the same link, so a printed or displayed code stays valid until the activity ends. Opening it needs a
signed-in user: a session link checks in the user's own enterprise's registration; a registration link is
opened by its enterprise or scanned at the door by the organiser's staff.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.roles import Role

from ..choices import CheckinMethod, RegistrationStatus
from ..models import Activity, Attendance, Registration, Session
from .common import ActivityError, now, today

SALT = "qinqing.activities.checkin"


def make_token(target: Registration | Session) -> str:
    kind = "r" if isinstance(target, Registration) else "s"
    payload = {"k": kind, "id": target.pk, "x": target.activity.ends_on.toordinal()}
    return signing.Signer(salt=SALT).sign_object(payload, compress=True)


def checkin_path(target: Registration | Session) -> str:
    return reverse("activities:checkin", args=[make_token(target)])


def read_token(token: str) -> tuple[str, int]:
    """(kind, id) of a valid link; refused when forged, damaged or expired."""
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
        kind, pk, last = data["k"], int(data["id"]), int(data["x"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ValidationError({"token": _("签到码无效")}) from None
    if kind not in ("r", "s"):
        raise ValidationError({"token": _("签到码无效")})
    if today() > dt.date.fromordinal(last):
        raise ValidationError({"token": _("签到码已过期（有效期至 %(day)s）") % {"day": dt.date.fromordinal(last)}})
    return kind, pk


def _check_dates(activity: Activity) -> None:
    day = today()
    if not activity.starts_on <= day <= activity.ends_on:
        raise ValidationError(
            {"checked_in_at": _("签到日期 %(day)s 不在活动日期 %(start)s 至 %(end)s 之内")
             % {"day": day, "start": activity.starts_on, "end": activity.ends_on}}
        )  # fmt: skip


def _today_session(activity: Activity, registration: Registration) -> Session:
    sessions = list(activity.sessions.filter(date=today()))
    if not sessions:
        raise ValidationError({"session": _("今天（%(day)s）没有本活动的场次") % {"day": today()}})
    done = set(registration.attendances.values_list("session_id", flat=True))
    return next((s for s in sessions if s.pk not in done), sessions[0])


@transaction.atomic
def check_in(registration: Registration, session: Session, *, actor, method: str) -> Attendance:
    """Record the registration present at the session (once; a second check-in is refused)."""
    activity = registration.activity
    if session.activity_id != activity.pk:
        raise ValidationError({"session": _("场次不属于该活动")})
    _check_dates(activity)
    if session.date > today():
        raise ValidationError({"session": _("场次 %(s)s 尚未开始，不能签到") % {"s": session}})
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ActivityError(_("报名状态为“%(status)s”，不能签到") % {"status": registration.get_status_display()})
    if registration.attendances.filter(session=session).exists():
        raise ActivityError(_("%(name)s 已在场次 %(s)s 签到") % {"name": registration.attendee_name, "s": session})
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                registration=registration, session=session, org_path=registration.org_path, method=method,
                checked_in_at=now(), recorded_by=actor,
            )  # fmt: skip
    except IntegrityError:  # the same person scanned twice at once
        raise ActivityError(_("已签到")) from None
    audit.record("activities.check_in", obj=attendance, actor=actor,
                 after={"registration": registration.pk, "session": session.pk, "method": method})  # fmt: skip
    return attendance


def check_in_by_token(token: str, *, actor) -> Attendance:
    """What scanning a QR code does: a session code checks in the user's own registration; a registration code
    is opened by its enterprise or by the organiser's staff at the door."""
    from ..permissions import can_manage

    kind, pk = read_token(token)
    if kind == "s":
        session = Session.objects.select_related("activity").filter(pk=pk).first()
        if session is None:
            raise ValidationError({"token": _("签到码无效")})
        if actor.role != Role.ENTERPRISE or not actor.enterprise_id:
            raise ActivityError(_("场次签到码供参会企业人员扫码签到"))
        _check_dates(session.activity)
        registration = (
            Registration.objects.select_related("activity")
            .filter(activity=session.activity, enterprise_id=actor.enterprise_id, status=RegistrationStatus.CONFIRMED)
            .exclude(attendances__session=session)
            .order_by("registered_at", "pk")
            .first()
        )
        if registration is None:
            raise ActivityError(_("贵企业在本活动没有待签到的有效报名"))
        return check_in(registration, session, actor=actor, method=CheckinMethod.SESSION_QR)
    registration = Registration.objects.select_related("activity").filter(pk=pk).first()
    if registration is None:
        raise ValidationError({"token": _("签到码无效")})
    own = actor.role == Role.ENTERPRISE and actor.enterprise_id == registration.enterprise_id
    if not own and not can_manage(actor, registration.activity):
        raise ActivityError(_("只有报名企业本人或主办方工作人员可以使用此签到码"))
    _check_dates(registration.activity)
    session = _today_session(registration.activity, registration)
    return check_in(registration, session, actor=actor, method=CheckinMethod.REGISTRATION_QR)


def describe_token(token: str) -> dict:
    """For the confirmation page: what the link checks in (without checking in)."""
    kind, pk = read_token(token)
    model = Registration if kind == "r" else Session
    target = model.objects.select_related("activity").filter(pk=pk).first()
    if target is None:
        raise ValidationError({"token": _("签到码无效")})
    return {"kind": kind, "target": target, "activity": target.activity}
