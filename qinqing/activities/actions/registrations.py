"""Registration, cancellation and the waitlist.

Every step that changes who holds a place locks the activity row first (select_for_update), so two
registrations for the last place, or two cancellations promoting from the waitlist, are serialised: the
count of confirmed places is read and changed inside the same lock, and a freed place is given to the first
on the waitlist in the same transaction as the cancellation that freed it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qinqing.core import audit

from .. import audience
from ..choices import RegistrationStatus
from ..models import Activity, Registration
from .common import ActivityError, enterprise_users, notify, now, today

ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


def _locked(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().select_related("organiser").get(pk=activity.pk)


def _confirmed(activity: Activity) -> int:
    return activity.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def _check_member(activity: Activity, enterprise) -> None:
    """A chamber's activity is for the chamber's own members (the enterprise portal shows it to them only), so
    nobody registers a non-member for it — staff above the chamber included."""
    if activity.organiser.kind != "chamber":
        return
    from qinqing.registry.members.models import Member
    from qinqing.registry.membership import active_q

    members = Member.objects.filter(active_q(today()), organization_id=activity.organiser_id, enterprise=enterprise)
    if not members.exists():
        raise ValidationError(
            {"enterprise": _("企业“%(name)s”不是%(chamber)s的在册会员，不能报名本商会的活动")
             % {"name": enterprise.name, "chamber": activity.organiser.name}}
        )  # fmt: skip


def _check_audience(activity: Activity, enterprise) -> None:
    explanation = audience.explain(activity, enterprise)
    if explanation is None or explanation.eligible:
        return
    unmet = [leaf.text for leaf in explanation.leaves if leaf.status != "met"]
    raise ValidationError(
        {"enterprise": _("企业“%(name)s”不符合本活动的目标对象条件：%(unmet)s")
         % {"name": enterprise.name, "unmet": "；".join(unmet)}}
    )  # fmt: skip


@transaction.atomic
def register(activity: Activity, *, actor, enterprise, attendee_name: str, attendee_phone: str = "") -> Registration:
    """Register one attendee of an enterprise: a place while there is one, else the waitlist (if the activity
    keeps one), else refused."""
    activity = _locked(activity)
    name = (attendee_name or "").strip()
    phone = (attendee_phone or "").strip()
    if not name:
        raise ValidationError({"attendee_name": _("请填写参加人姓名")})
    if len(name) > 50:
        raise ValidationError({"attendee_name": _("参加人姓名不能超过 50 个字")})
    if phone and (len(phone) > 30 or not phone.replace("-", "").replace(" ", "").isdigit()):
        raise ValidationError({"attendee_phone": _("联系电话只能包含数字、空格和短横线")})
    if not activity.registration_open:
        raise ActivityError(_("本活动未开放报名"))
    if activity.ends_on < today():
        raise ActivityError(_("活动已结束，不能报名"))
    _check_member(activity, enterprise)
    _check_audience(activity, enterprise)
    same = [r for r in activity.registrations.filter(enterprise=enterprise, status__in=ACTIVE)
            if r.attendee_name == name and r.attendee_phone == phone]  # fmt: skip
    if same:
        raise ValidationError({"attendee_name": _("%(name)s 已报名本活动") % {"name": name}})
    if _confirmed(activity) < activity.capacity:
        status = RegistrationStatus.CONFIRMED
    elif activity.waitlist:
        status = RegistrationStatus.WAITLISTED
    else:
        raise ValidationError(
            {"capacity": _("名额已满（限 %(n)s 人），本活动不设候补，不能再报名") % {"n": activity.capacity}}
        )
    registration = Registration.objects.create(
        activity=activity, org_path=activity.org_path, enterprise=enterprise, attendee_name=name,
        attendee_phone=phone, status=status, registered_at=now(), registered_by=actor,
    )  # fmt: skip
    audit.record("activities.register", obj=registration, actor=actor,
                 after={"activity": activity.pk, "enterprise": enterprise.pk, "status": status})  # fmt: skip
    return registration


@transaction.atomic
def cancel(registration: Registration, *, actor) -> Registration:
    """Cancel a registration; a place it held goes to the first on the waitlist, in the same transaction."""
    activity = _locked(registration.activity)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        raise ActivityError(_("该报名已取消"))
    if activity.ends_on < today():
        raise ActivityError(_("活动已结束，不能取消报名"))
    if registration.attendances.exists():
        raise ActivityError(_("已签到的报名不能取消"))
    before = registration.status
    registration.status, registration.cancelled_at = RegistrationStatus.CANCELLED, now()
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit.record("activities.cancel", obj=registration, actor=actor, before={"status": before},
                 after={"status": registration.status})  # fmt: skip
    promote_waitlist(activity, actor=actor)
    return registration


def promote_waitlist(activity: Activity, *, actor) -> list[Registration]:
    """Give free places to the waitlist, first come first served. The caller holds the activity's lock."""
    free = activity.capacity - _confirmed(activity)
    if free <= 0:
        return []
    waiting = list(
        Registration.objects.select_for_update()
        .filter(activity=activity, status=RegistrationStatus.WAITLISTED)
        .order_by("registered_at", "pk")[:free]
    )
    moment = now()
    for registration in waiting:
        registration.status, registration.promoted_at = RegistrationStatus.CONFIRMED, moment
        registration.save(update_fields=["status", "promoted_at", "updated_at"])
        audit.record("activities.promote", obj=registration, actor=actor, before={"status": "waitlisted"},
                     after={"status": registration.status})  # fmt: skip
        notify(
            enterprise_users(registration.enterprise_id),
            _("候补转正：您已获得活动“%(title)s”的名额") % {"title": activity.title},
            key=f"activities-promoted-{registration.pk}",
            url=f"/activities/registrations/{registration.pk}/",
        )
    return waiting
