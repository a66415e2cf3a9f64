"""Stage 1, intake: 登记 (enterprise online, FIC staff, chamber secretary), 受理, 不予受理."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import uuid4

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.appeals import actions as pkg  # today()/calendar()/limits looked up at call time (tests pin them)
from qinqing.core import audit

from .. import sla
from .. import workflow as wf
from ..attachments import check_files
from ..models import (
    Appeal,
    AppealAttachment,
    AppealDomain,
    AppealEvent,
    AppealType,
    Channel,
)
from .common import (
    AUDIT_FIELDS,
    AppealError,
    _apply,
    _notify,
    _on_calendar,
    _require,
    _rule_for,
    _start_dispatch_clock,
    acting_unit,
    enterprise_users,
    staff_of,
)


def previous_submission(*, actor, submission_key: str) -> Appeal | None:
    """The appeal this person already made with this submission key (the form's hidden field, the API's
    Idempotency-Key header); None without a key."""
    if not submission_key or not getattr(actor, "pk", None):
        return None
    return Appeal.objects.filter(reported_by=actor, submission_key=submission_key).first()


def _same_submission(appeal: Appeal, *, enterprise, title: str) -> Appeal:
    """A key reused for a different appeal is refused rather than silently answered with the old one."""
    if appeal.enterprise_id != enterprise.pk or appeal.title != (title or "").strip()[:200]:
        raise AppealError(
            _("该提交标识（Idempotency-Key）已用于诉求 %(number)s，内容不同；请为新的诉求使用新的标识")
            % {"number": appeal.number}
        )
    appeal.replayed = True
    return appeal


@transaction.atomic
def register_appeal(
    *,
    actor,
    enterprise,
    appeal_type: AppealType,
    domain: AppealDomain,
    title: str,
    description: str,
    channel: str = Channel.ONLINE,
    contact_name: str = "",
    contact_phone: str = "",
    chamber=None,
    meeting=None,
    files: Iterable = (),
    registered_on: date | None = None,
    submission_key: str = "",
) -> Appeal:
    """登记: by the enterprise online, FIC staff (hotline, visit, meeting…), a chamber secretary, or an FIC
    leader or department liaison for what an enterprise raised with them in person (channel 走访 only, an
    enterprise under their FIC node; the appeal then waits in the FIC's intake queue for staff to accept).

    Idempotent: a repeat with the same ``submission_key`` by the same person (double click, retried
    request) returns the appeal already made, with ``replayed = True``, and writes nothing."""
    role = actor.role
    if role == wf.ENTERPRISE:
        if enterprise.pk != actor.enterprise_id:
            raise AppealError(_("只能为本企业提交诉求"))
        channel = Channel.ONLINE
    elif role == wf.STAFF:
        if not enterprise.org_path.startswith(actor.org.path):
            raise AppealError(_("企业不在您的管辖范围内"))
    elif role == wf.SECRETARY:
        from ..permissions import chamber_member_ids

        if not chamber_member_ids(actor.org_id).filter(enterprise_id=enterprise.pk).exists():
            raise AppealError(_("只能为本商会的会员企业报送诉求"))
        channel = Channel.CHAMBER
        chamber = actor.org
    elif role in (wf.LEADER, wf.LIAISON):
        home = actor.org if role == wf.LEADER else getattr(actor.org, "parent", None)  # a department's FIC
        if home is None or not enterprise.org_path.startswith(home.path):
            raise AppealError(_("企业不在您的管辖范围内"))
        if channel != Channel.VISIT:
            raise AppealError(_("工商联领导和承办单位联络员只能登记走访中企业当面反映的诉求"))
    else:
        raise AppealError(_("您的角色不能登记诉求"))
    title = _require(title, _("请填写诉求标题"))
    description = _require(description, _("请填写诉求内容"))
    if len(description) > pkg.MAX_DESCRIPTION_CHARS:
        raise AppealError(
            _("诉求内容最多%(limit)s字（现有%(count)s字），请精简，详细材料可作为附件上传")
            % {"limit": pkg.MAX_DESCRIPTION_CHARS, "count": len(description)}
        )
    submission_key = (submission_key or "").strip()[:64]
    if len(submission_key) > 0 and not submission_key.isprintable():
        raise AppealError(_("提交标识（Idempotency-Key）无效"))
    earlier = previous_submission(actor=actor, submission_key=submission_key)
    if earlier is not None:
        return _same_submission(earlier, enterprise=enterprise, title=title)
    if channel not in Channel.values:
        raise AppealError(_("来源渠道无效"))
    if role == wf.ENTERPRISE:  # per enterprise, in the cache every worker shares (accounts.throttles)
        from qinqing.accounts.throttles import hit

        if hit("appeal_submit", f"enterprise:{enterprise.pk}") is not None:
            raise AppealError(_("本企业提交诉求过于频繁，请稍后再试；紧急事项请拨打工商联热线"))
    files = list(files)
    check_files(files, max_bytes=pkg.MAX_ATTACHMENT_BYTES)  # extension and content (core.uploads)
    rule = _rule_for(appeal_type, domain)
    day = registered_on or pkg.today()
    accept_due = _on_calendar(lambda: sla.add_workdays(pkg.calendar(), day, rule.accept_days))
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin with the same key loses here
            appeal = _create(
                actor,
                enterprise,
                appeal_type,
                domain,
                rule,
                day,
                accept_due,
                submission_key=submission_key,
                channel=channel,
                title=title,
                description=description,
                contact_name=contact_name,
                contact_phone=contact_phone,
                chamber=chamber,
                meeting=meeting,
            )
    except IntegrityError:
        earlier = previous_submission(actor=actor, submission_key=submission_key)
        if earlier is None:
            raise
        return _same_submission(earlier, enterprise=enterprise, title=title)
    for f in files:
        AppealAttachment.objects.create(appeal=appeal, file=f, name=f.name[:200], uploaded_by=actor)
    audit.record("appeals.register", obj=appeal, actor=actor, after=audit.snapshot(appeal, ["number", *AUDIT_FIELDS]))
    event = AppealEvent.objects.create(
        appeal=appeal,
        action="register",
        label=_("登记"),
        to_status=appeal.status,
        actor=actor,
        actor_name=actor.name,
        actor_org=acting_unit(actor),
        comment=_("来源：%(channel)s") % {"channel": appeal.get_channel_display()},
    )
    _notify(appeal, event, staff_of(appeal), _("新诉求待受理：%(number)s") % {"number": appeal.number})
    appeal.replayed = False
    return appeal


def _create(actor, enterprise, appeal_type, domain, rule, day, accept_due, **fields) -> Appeal:
    appeal = Appeal.objects.create(
        number=uuid4().hex[:20],
        enterprise=enterprise,
        fic=enterprise.fic,
        org_path=enterprise.org_path,
        region_code=enterprise.region_code,
        appeal_type=appeal_type,
        domain=domain,
        title=fields.pop("title")[:200],
        reported_by=actor,
        registered_on=day,
        accept_days=rule.accept_days,
        contact_days=rule.contact_days,
        reply_days=rule.reply_days,
        warn_days=rule.warn_days,
        supervise_after=rule.supervise_after,
        dispatch_days=rule.dispatch_days,
        callback_days=rule.callback_days,
        accept_due=accept_due,
        **fields,
    )
    appeal.number = f"SQ{day:%Y}{appeal.pk:08d}"
    appeal.save(update_fields=["number"])
    return appeal


@transaction.atomic
def accept_appeal(appeal: Appeal, *, actor, comment: str = "") -> Appeal:
    def mutate(a: Appeal) -> None:
        a.accepted_at = timezone.now()
        _start_dispatch_clock(a)

    appeal, event = _apply(appeal, actor, "accept", mutate, comment=comment)
    _notify(appeal, event, enterprise_users(appeal), _("您的诉求已受理：%(number)s") % {"number": appeal.number})
    return appeal


@transaction.atomic
def reject_appeal(appeal: Appeal, *, actor, reason: str) -> Appeal:
    reason = _require(reason, _("请填写不予受理理由"))

    def mutate(a: Appeal) -> None:
        a.reject_reason = reason[:500]
        a.closed_at = timezone.now()
        a.deadline_state = sla.OK

    appeal, event = _apply(appeal, actor, "reject", mutate, comment=reason)
    _notify(appeal, event, enterprise_users(appeal), _("您的诉求不予受理：%(number)s") % {"number": appeal.number})
    return appeal
