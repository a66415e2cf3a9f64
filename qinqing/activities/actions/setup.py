"""Setting up an activity: kind, dates and sessions, place or online, organiser, capacity, target audience."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.core.roles import Role
from qinqing.eligibility import rules

from ..choices import Kind, RegistrationStatus
from ..models import Activity, Session
from .common import CAPACITY_MAX, SESSIONS_MAX, ActivityError, notify, parse_date, parse_int
from .registrations import promote_waitlist

AUDITED = ("kind", "title", "organiser_id", "starts_on", "ends_on", "place", "online", "online_url", "capacity",
           "waitlist", "registration_open", "audience", "feedback_url")  # fmt: skip


def _url(value, field: str, label: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise ValidationError({field: _("%(label)s应为 http(s):// 开头的网址") % {"label": label}}) from None
    return value[:500]


def _organiser(actor, organiser):
    """Staff organise for their node or a node/chamber below it; a secretary only for their own chamber."""
    if actor.role == Role.CHAMBER_SECRETARY:
        if organiser is not None and organiser.pk != actor.org_id:
            raise ValidationError({"organiser": _("商会秘书处只能以本商会名义主办活动")})
        return actor.org
    organiser = organiser or actor.org
    if organiser is None or organiser.kind not in ("fic", "chamber"):
        raise ValidationError({"organiser": _("主办单位应为工商联或商会")})
    if actor.org is None or not organiser.path.startswith(actor.org.path):
        raise ValidationError({"organiser": _("主办单位“%(name)s”不在您的管辖范围内") % {"name": organiser.name}})
    return organiser


def _time(value, field_label: str):
    if value in (None, ""):
        return None
    if isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError({"sessions": _("%(label)s格式应为 HH:MM") % {"label": field_label}}) from None


def clean_sessions(items, starts_on: dt.date, ends_on: dt.date) -> list[dict]:
    """Sessions as dicts (date, starts_at, ends_at, title); none given: one per day of the activity."""
    out = []
    for item in items or []:
        if isinstance(item, str | dt.date):
            item = {"date": item}
        day = parse_date(item.get("date"), "sessions", _("场次日期"))
        if not starts_on <= day <= ends_on:
            raise ValidationError(
                {"sessions": _("场次日期 %(day)s 不在活动日期 %(start)s 至 %(end)s 之内")
                 % {"day": day, "start": starts_on, "end": ends_on}}
            )  # fmt: skip
        start, end = _time(item.get("starts_at"), _("开始时间")), _time(item.get("ends_at"), _("结束时间"))
        if start and end and end <= start:
            raise ValidationError({"sessions": _("场次 %(day)s 的结束时间应晚于开始时间") % {"day": day}})
        out.append({"date": day, "starts_at": start, "ends_at": end, "title": (item.get("title") or "").strip()[:100]})
    if not out:
        days = (ends_on - starts_on).days + 1
        if days > SESSIONS_MAX:
            raise ValidationError({"sessions": _("活动跨度超过 %(n)s 天，请逐一填写场次") % {"n": SESSIONS_MAX}})
        out = [{"date": starts_on + dt.timedelta(days=i), "starts_at": None, "ends_at": None, "title": ""}
               for i in range(days)]  # fmt: skip
    if len(out) > SESSIONS_MAX:
        raise ValidationError({"sessions": _("场次不能超过 %(n)s 个") % {"n": SESSIONS_MAX}})
    return sorted(out, key=lambda s: (s["date"], s["starts_at"] or dt.time.min))


def clean_activity(data: dict) -> dict:
    kind = data.get("kind")
    if kind not in Kind.values:
        raise ValidationError({"kind": _("请选择活动类型")})
    title = (data.get("title") or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写活动名称")})
    starts_on = parse_date(data.get("starts_on"), "starts_on", _("开始日期"))
    ends_on = parse_date(data.get("ends_on"), "ends_on", _("结束日期"), required=False) or starts_on
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期")})
    online = bool(data.get("online"))
    place = (data.get("place") or "").strip()[:200]
    online_url = _url(data.get("online_url"), "online_url", _("线上参会链接"))
    if online and not online_url:
        raise ValidationError({"online_url": _("线上举办的活动请填写线上参会链接")})
    if not online and not place:
        raise ValidationError({"place": _("请填写地点（或选择线上举办）")})
    return {
        "kind": kind,
        "title": title[:200],
        "description": (data.get("description") or "").strip(),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "place": place,
        "online": online,
        "online_url": online_url,
        "capacity": parse_int(data.get("capacity"), "capacity", _("名额"), low=1, high=CAPACITY_MAX),
        "waitlist": bool(data.get("waitlist", True)),
        "registration_open": bool(data.get("registration_open", True)),
        "feedback_url": _url(data.get("feedback_url"), "feedback_url", _("反馈问卷链接")),
    }


def _audience(value) -> dict:
    try:
        return rules.normalize(value or {})
    except rules.RuleError as exc:
        raise ValidationError({"audience": str(exc)}) from None


def _replace_sessions(activity: Activity, wanted: list[dict]) -> None:
    existing = list(activity.sessions.all())
    key = lambda s: (s["date"], s["starts_at"], s["title"])  # noqa: E731
    wanted_keys = {key(s) for s in wanted}
    kept = set()
    for session in existing:
        k = (session.date, session.starts_at, session.title)
        if k in wanted_keys and k not in kept:
            kept.add(k)
            if session.ends_at != next(s["ends_at"] for s in wanted if key(s) == k):
                session.ends_at = next(s["ends_at"] for s in wanted if key(s) == k)
                session.save(update_fields=["ends_at", "updated_at"])
            continue
        if session.attendances.exists():
            raise ValidationError({"sessions": _("场次 %(s)s 已有签到记录，不能删除") % {"s": session}})
        session.delete()
    Session.objects.bulk_create(
        [Session(activity=activity, org_path=activity.org_path, **s) for s in wanted if key(s) not in kept]
    )


@transaction.atomic
def save_activity(*, actor, data: dict, activity: Activity | None = None) -> Activity:
    """Create or change an activity; raising the capacity promotes the waitlist in the same transaction."""
    fields = clean_activity(data)
    organiser = _organiser(actor, data.get("organiser") or (activity.organiser if activity else None))
    audience = _audience(data.get("audience"))
    before = None
    if activity is not None:
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        before = audit.snapshot(activity, AUDITED)
        if activity.organiser_id != organiser.pk and (activity.registrations.exists() or activity.jobs.exists()):
            raise ActivityError(_("已有报名或岗位的活动不能更换主办单位"))
        confirmed = activity.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        if fields["capacity"] < confirmed:
            raise ValidationError({"capacity": _("已有 %(n)s 人报名成功，名额不能少于 %(n)s") % {"n": confirmed}})
    else:
        activity = Activity(created_by=actor)
    sessions = None
    if (
        activity.pk is None
        or data.get("sessions") is not None
        or (before and (str(fields["starts_on"]), str(fields["ends_on"])) != (before["starts_on"], before["ends_on"]))
    ):
        sessions = clean_sessions(data.get("sessions"), fields["starts_on"], fields["ends_on"])
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.organiser, activity.org_path, activity.audience = organiser, organiser.path, audience
    activity.save()
    if sessions is not None:
        _replace_sessions(activity, sessions)
    activity.sessions.update(org_path=activity.org_path)
    after = audit.snapshot(activity, AUDITED)
    invited = None
    if activity.registration_open and (before is None or any(before[k] != after[k] for k in INVITE_ON)):
        invited = invite_audience(activity)
    audit.record("activities.save_activity", obj=activity, actor=actor, before=before,
                 after={**after, "sessions": activity.sessions.count(),
                        **({"invited": invited} if invited is not None else {})})  # fmt: skip
    promote_waitlist(activity, actor=actor)
    return activity


INVITE_ON = ("registration_open", "audience", "organiser_id")  # a change that may bring new enterprises in
CHUNK = 2000


def invite_audience(activity: Activity) -> int:
    """Notify the enterprise users of every enterprise the audience rule selects (each user once per activity:
    the notification key), so eligible enterprises hear of it rather than only being counted. Returns how many
    enterprises were selected."""
    from qinqing.accounts.models import User

    from .. import audience

    ids = audience.eligible_ids(activity)
    title = _("活动报名：%(title)s（%(date)s）") % {"title": activity.title, "date": activity.starts_on}
    for start in range(0, len(ids), CHUNK):
        users = User.objects.filter(enterprise_id__in=ids[start : start + CHUNK], role=Role.ENTERPRISE, is_active=True)
        notify(users, title, key=f"activities-invite-{activity.pk}", url=f"/activities/{activity.pk}/")
    return len(ids)
