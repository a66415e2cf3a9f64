from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qinqing.notifications import actions, channels
from qinqing.notifications.models import Channel, Delivery, Notification


@pytest.fixture
def fake_channel(monkeypatch):
    sent = []
    state = {"fail": 0}

    def sender(channel, notification):
        if state["fail"] > 0:
            state["fail"] -= 1
            raise RuntimeError("网关超时")
        sent.append((channel.name, notification.title))

    monkeypatch.setitem(channels.SENDERS, "wecom", sender)
    channel = Channel.objects.create(
        name="督办群", kind="wecom", target="https://example.invalid/hook", kinds="appeals."
    )
    return channel, sent, state


def test_given_same_key_twice_then_one_message_and_one_delivery(
    users, fake_channel, django_capture_on_commit_callbacks
):
    _channel, sent, _ = fake_channel
    for _ in range(2):
        actions.notify([users.liaison, users.liaison], kind="appeals.urge", title="催办", key="appeal:1:1")
    assert Notification.objects.filter(recipient=users.liaison).count() == 1
    assert Delivery.objects.count() == 1
    actions.send_pending()
    actions.send_pending()
    assert sent == [("督办群", "催办")]


def test_given_concurrent_notify_stored_the_key_first_then_skipped_without_error(
    users, fake_channel, monkeypatch, django_capture_on_commit_callbacks
):
    # given the same message already stored by another worker after this one checked for it
    actions.notify([users.liaison], kind="appeals.calendar_gap", title="节假日未录入", key="calendar-gap:2027")
    monkeypatch.setattr(type(Notification.objects.all()), "exists", lambda self: False)
    # when this worker stores it too, for two recipients
    created = actions.notify(
        [users.liaison, users.county_staff], kind="appeals.calendar_gap", title="节假日未录入", key="calendar-gap:2027"
    )
    # then the clash is skipped (no IntegrityError), the other recipient still gets it, and once only
    assert [n.recipient for n in created] == [users.county_staff]
    assert Notification.objects.filter(key="calendar-gap:2027").count() == 2


def test_given_failing_gateway_then_retried_with_backoff_then_sent(users, fake_channel):
    _channel, sent, state = fake_channel
    state["fail"] = 1
    actions.notify([users.liaison], kind="appeals.urge", title="催办", key="k1")
    assert actions.send_pending() == {"sent": 0, "retry": 1, "skip": 0}
    delivery = Delivery.objects.get()
    assert delivery.attempts == 1 and delivery.next_attempt_at > timezone.now()
    assert actions.send_pending() == {"sent": 0, "retry": 0, "skip": 0}  # not due yet
    assert actions.send_pending(now=timezone.now() + timedelta(hours=1))["sent"] == 1
    assert sent and Delivery.objects.get().status == Delivery.SENT


def test_channel_kind_filter(users, fake_channel):
    actions.notify([users.liaison], kind="registry.reminder", title="x", key="k2")
    assert Delivery.objects.count() == 0


def test_email_channel_uses_django_mail(users, mailoutbox):
    Channel.objects.create(name="邮件", kind="email", target="fic@example.cn")
    actions.notify([users.leader], kind="appeals.supervise", title="督办：SQ1", body="请督办", key="k3")
    actions.send_pending()
    assert len(mailoutbox) == 1 and mailoutbox[0].subject == "督办：SQ1"


def test_dingtalk_signature_is_deterministic():
    url = channels.dingtalk_url("https://oapi.dingtalk.com/robot/send?access_token=x", "SEC1", now_ms=1700000000000)
    assert "timestamp=1700000000000&sign=" in url


def test_inbox_lists_only_own_and_marks_read(users, login):
    actions.notify([users.liaison], kind="t", title="给联络员", url="/appeals/", key="a")
    actions.notify([users.enterprise], kind="t", title="给企业", key="b")
    client = login(users.liaison)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "给联络员" in page and "给企业" not in page
    own = Notification.objects.get(recipient=users.liaison)
    other = Notification.objects.get(recipient=users.enterprise)
    assert client.get(reverse("notifications:open", args=[other.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[own.pk])).status_code == 302
    own.refresh_from_db()
    assert own.read_at is not None


def test_home_card_shows_unread(users, login):
    actions.notify([users.enterprise], kind="t", title="x", key="c")
    page = login(users.enterprise).get("/").content.decode()
    assert "未读消息" in page


def test_inbox_api_own_only_and_mark_read(users, login):
    actions.notify([users.liaison], kind="t", title="给联络员", key="x1")
    actions.notify([users.enterprise], kind="t", title="给企业", key="x2")
    client = login(users.liaison)
    body = client.get("/api/v1/notifications/?unread=1").json()
    assert [n["title"] for n in body["results"]] == ["给联络员"]
    assert client.post("/api/v1/notifications/read/", {}, content_type="application/json").json()["marked"] == 1
    assert client.get("/api/v1/notifications/?unread=1").json()["count"] == 0
