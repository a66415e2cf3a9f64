"""Writing notifications: queue inbox messages and their outbound deliveries, send them, mark read."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core import home_versions

from . import channels as channel_senders
from .models import Channel, ChannelKind, ContactPoint, Delivery, Notification

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
BACKOFF_SECONDS = [60, 300, 900, 3600, 4 * 3600]


def _key(*parts) -> str:
    """Delivery keys fit the 80-character column; a longer one keeps a readable head and a hash."""
    key = ":".join(str(p) for p in parts)
    return key if len(key) <= 80 else f"{key[:39]}:{hashlib.sha1(key.encode()).hexdigest()}"  # noqa: S324


def _addresses(users: list) -> dict[int, tuple[str, str]]:
    """(email, mobile) per user id that may be written to: the user's own fields if the account model
    has them, else their ContactPoint (one query for all)."""
    points = {c.user_id: c for c in ContactPoint.objects.filter(user_id__in=[u.pk for u in users])}
    result = {}
    for u in users:
        point = points.get(u.pk)
        email = getattr(u, "email", "") or (point.email if point and point.email_enabled else "")
        mobile = getattr(u, "mobile", "") or (point.mobile if point and point.sms_enabled else "")
        result[u.pk] = (email, mobile)
    return result


@transaction.atomic
def notify(recipients, *, kind: str, title: str, body: str = "", url: str = "", key: str) -> list[Notification]:
    """Put a message in each recipient's inbox (once per key) and queue deliveries on matching channels.

    Group channels (企业微信/钉钉 robots, mailing lists) get one delivery per event; each new recipient
    also gets their own email (when personal email is on and they have an address) and SMS (only when
    an SMS gateway is configured and they have a mobile number). Sending happens after the surrounding
    transaction commits, so a rolled-back action sends nothing; keys make every delivery unique.
    """
    created: list[Notification] = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if Notification.objects.filter(recipient=user, key=key).exists():
            continue
        try:
            with transaction.atomic():  # a savepoint: a clash must not break the caller's transaction
                created.append(
                    Notification.objects.create(
                        recipient=user, kind=kind, title=title[:200], body=body, url=url, key=key
                    )
                )
        except IntegrityError:  # a concurrent notify with the same key stored it between the check and here
            continue
    if not created:
        return created
    sms_on = channel_senders.sms_configured()
    active = [
        c
        for c in Channel.objects.filter(is_active=True)
        if c.accepts(kind) and (c.kind != ChannelKind.SMS or sms_on)  # no gateway: the SMS channel is unused
    ]
    # Group robots and mailing lists are per event, not per recipient: one delivery per channel.
    first = created[0]
    deliveries = [Delivery(notification=first, channel=c, kind=c.kind, key=_key(key, c.pk)) for c in active]
    email_on = channel_senders.personal_email_enabled()
    addresses = _addresses([n.recipient for n in created]) if email_on or sms_on else {}
    for n in created:
        email, mobile = addresses.get(n.recipient_id, ("", ""))
        if email_on and email:
            deliveries.append(
                Delivery(notification=n, kind="email", address=email, key=_key(key, f"u{n.recipient_id}", "email"))
            )
        if sms_on and mobile:
            deliveries.append(
                Delivery(notification=n, kind="sms", address=mobile, key=_key(key, f"u{n.recipient_id}", "sms"))
            )
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    if deliveries:
        transaction.on_commit(enqueue_sending)
    return created


def enqueue_sending() -> None:
    from .tasks import send_pending_task

    try:
        send_pending_task.enqueue()
    except Exception:
        logger.warning("could not enqueue notification sending", exc_info=True)


def send_delivery(delivery_id: int) -> str:
    """Send one delivery unless already sent; on failure schedule a retry with backoff."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("notification", "channel")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status == Delivery.SENT:
            return "skip"
        kind = delivery.channel.kind if delivery.channel_id else delivery.kind
        if kind == ChannelKind.SMS and not channel_senders.sms_configured():
            # Queued while a gateway was configured, which is gone now: give up at once, no retries.
            delivery.status, delivery.next_attempt_at = Delivery.FAILED, None
            delivery.last_error = _("未配置短信网关，短信未发送")
            delivery.save(update_fields=["status", "next_attempt_at", "last_error", "updated_at"])
            return "skip"
        delivery.attempts += 1
        try:
            if delivery.channel_id:
                channel_senders.SENDERS[delivery.channel.kind](delivery.channel, delivery.notification)
            else:
                channel_senders.PERSONAL_SENDERS[delivery.kind](delivery.address, delivery.notification)
        except Exception as exc:
            delivery.last_error = str(exc)[:500]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = Delivery.FAILED
                delivery.next_attempt_at = None
            else:
                wait = BACKOFF_SECONDS[min(delivery.attempts - 1, len(BACKOFF_SECONDS) - 1)]
                delivery.next_attempt_at = timezone.now() + timedelta(seconds=wait)
            delivery.save(update_fields=["attempts", "status", "next_attempt_at", "last_error", "updated_at"])
            return "retry"
        delivery.status = Delivery.SENT
        delivery.sent_at = timezone.now()
        delivery.last_error = ""
        delivery.save(update_fields=["attempts", "status", "sent_at", "last_error", "updated_at"])
        return "sent"


def send_pending(now=None) -> dict[str, int]:
    now = now or timezone.now()
    ids = list(
        Delivery.objects.filter(status=Delivery.PENDING)
        .filter(models_q_due(now))
        .order_by("id")
        .values_list("pk", flat=True)[:500]
    )
    counts = {"sent": 0, "retry": 0, "skip": 0}
    for pk in ids:
        counts[send_delivery(pk)] += 1
    return counts


def models_q_due(now):
    from django.db.models import Q

    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def mark_read(user, notification_ids=None) -> int:
    """Mark the user's messages read (all when no ids are given). Only the owner's rows are touched."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    try:
        marked = qs.update(read_at=timezone.now())
    except IntegrityError:  # pragma: no cover
        return 0
    if marked:
        home_versions.changed("notifications.Notification", user.pk)  # an update() sends no signal
    return marked


class ContactError(ValueError):
    """Bad input for the personal contact settings; the message names the field (Chinese)."""


@transaction.atomic
def save_contact_point(
    user, *, actor, email: str = "", mobile: str = "", email_enabled: bool = True, sms_enabled: bool = True
) -> ContactPoint:
    """A user sets where their own reminders go (only their own: actor must be the user)."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from qinqing.core import audit
    from qinqing.registry.standards.mobile import InvalidMobile, validate_mobile

    if actor.pk != user.pk:
        raise ContactError(_("只能设置本人的接收方式"))
    email = (email or "").strip()
    mobile = (mobile or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ContactError(_("电子邮箱：“%(email)s”不是有效的邮箱地址") % {"email": email}) from None
    if mobile:
        try:
            mobile = validate_mobile(mobile)
        except InvalidMobile as exc:
            raise ContactError(_("手机号码：%(error)s") % {"error": exc.message}) from None
    point = ContactPoint.objects.select_for_update().filter(user=user).first()
    fields = ["email", "mobile", "email_enabled", "sms_enabled"]
    before = audit.snapshot(point, fields) if point else None
    point = point or ContactPoint(user=user)
    point.email, point.mobile = email, mobile
    point.email_enabled, point.sms_enabled = bool(email_enabled), bool(sms_enabled)
    point.save()
    after = audit.snapshot(point, fields)
    for snap in (before, after):  # the audit log keeps the fact of a change, not the number itself
        if snap and snap.get("mobile"):
            snap["mobile"] = snap["mobile"][:3] + "****" + snap["mobile"][-4:]
    audit.record("notifications.save_contact_point", obj=point, actor=actor, before=before, after=after)
    return point
