"""Writing notifications: queue inbox messages and their outbound deliveries, send them, mark read."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import channels as channel_senders
from .models import Channel, Delivery, Notification

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
BACKOFF_SECONDS = [60, 300, 900, 3600, 4 * 3600]


@transaction.atomic
def notify(recipients, *, kind: str, title: str, body: str = "", url: str = "", key: str) -> list[Notification]:
    """Put a message in each recipient's inbox (once per key) and queue deliveries on matching channels.

    Sending happens after the surrounding transaction commits, so a rolled-back action sends nothing.
    """
    created: list[Notification] = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if Notification.objects.filter(recipient=user, key=key).exists():
            continue
        created.append(
            Notification.objects.create(recipient=user, kind=kind, title=title[:200], body=body, url=url, key=key)
        )
    if not created:
        return created
    active = [c for c in Channel.objects.filter(is_active=True) if c.accepts(kind)]
    # Group robots and mailing lists are per event, not per recipient: one delivery per channel.
    first = created[0]
    deliveries = [Delivery(notification=first, channel=c, key=f"{key}:{c.pk}"[:80]) for c in active]
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
        delivery.attempts += 1
        try:
            channel_senders.SENDERS[delivery.channel.kind](delivery.channel, delivery.notification)
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
        return qs.update(read_at=timezone.now())
    except IntegrityError:  # pragma: no cover
        return 0
