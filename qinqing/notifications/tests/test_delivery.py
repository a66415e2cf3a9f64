"""Outbound delivery: each recipient's own email/SMS, and the real group-robot senders against a local
HTTP server (the JSON each service documents, 钉钉 加签, a retry after HTTP 500)."""

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from qinqing.notifications import actions
from qinqing.notifications.models import Channel, ContactPoint, Delivery

SENT_SMS: list[tuple[list[str], str]] = []


class FakeGateway:
    """Stands for a deployment's SMS gateway (settings.QINQING_SMS_GATEWAY)."""

    def send(self, phones, text):
        SENT_SMS.append((phones, text))


@pytest.fixture
def robot_server(settings):
    """A local robot endpoint: records each request; answers 500 for the first ``fail`` requests."""
    settings.QINQING_WEBHOOK_ALLOW_LOOPBACK = True
    state = {"fail": 0, "requests": []}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            state["requests"].append(
                {"path": self.path, "type": self.headers.get("Content-Type"), "body": self.rfile.read(length)}
            )
            status, answer = (500, b"oops") if state["fail"] > 0 else (200, b'{"errcode":0,"errmsg":"ok"}')
            state["fail"] -= 1
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


def test_given_wecom_robot_when_notified_then_documented_text_payload_posted_once(users, robot_server):
    # Given a 企业微信 group robot for 督办 messages
    Channel.objects.create(name="督办群", kind="wecom", target=f"{robot_server['url']}/cgi-bin/webhook/send?key=K")
    # When a 督办 is notified and the sender runs twice
    actions.notify([users.leader], kind="appeals.supervise", title="督办：SQ1", body="请督办", url="/a/1/", key="s1")
    actions.send_pending()
    actions.send_pending()
    # Then exactly one POST with {"msgtype":"text","text":{"content":...}} in UTF-8 JSON
    [request] = robot_server["requests"]
    assert request["path"] == "/cgi-bin/webhook/send?key=K" and request["type"] == "application/json"
    payload = json.loads(request["body"].decode("utf-8"))
    assert payload["msgtype"] == "text" and set(payload) == {"msgtype", "text"}
    assert payload["text"]["content"].startswith("督办：SQ1\n请督办")


def test_given_signed_dingtalk_robot_then_timestamp_and_hmac_sign_verify(users, robot_server):
    secret = "SECdemo"
    Channel.objects.create(
        name="钉钉群", kind="dingtalk", target=f"{robot_server['url']}/robot/send?access_token=T", secret=secret
    )
    actions.notify([users.leader], kind="appeals.urge", title="催办：SQ2", key="d1")
    actions.send_pending()
    [request] = robot_server["requests"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request["path"]).query)
    # The signature DingTalk documents: base64(HMAC-SHA256(secret, f"{timestamp}\n{secret}"))
    timestamp = query["timestamp"][0]
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["access_token"] == ["T"] and query["sign"] == [expected]
    assert abs(int(timestamp) / 1000 - timezone.now().timestamp()) < 60
    assert json.loads(request["body"]) == {"msgtype": "text", "text": {"content": "催办：SQ2"}}


def test_given_robot_answers_500_then_retried_after_backoff_and_sent_once(users, robot_server):
    robot_server["fail"] = 1
    Channel.objects.create(name="督办群", kind="wecom", target=f"{robot_server['url']}/hook")
    actions.notify([users.leader], kind="appeals.supervise", title="督办：SQ3", key="r1")
    # When the first attempt gets HTTP 500
    assert actions.send_pending() == {"sent": 0, "retry": 1, "skip": 0}
    delivery = Delivery.objects.get()
    assert delivery.attempts == 1 and "500" in delivery.last_error
    # Then nothing is resent before the backoff, and after it one more POST succeeds
    assert actions.send_pending()["retry"] == 0 and len(robot_server["requests"]) == 1
    assert actions.send_pending(now=timezone.now() + timedelta(minutes=2))["sent"] == 1
    assert len(robot_server["requests"]) == 2 and Delivery.objects.get().status == Delivery.SENT


def test_given_plain_http_robot_outside_loopback_then_refused(users, settings):
    settings.QINQING_WEBHOOK_ALLOW_LOOPBACK = True
    Channel.objects.create(name="外网", kind="wecom", target="http://example.com/hook")
    actions.notify([users.leader], kind="appeals.supervise", title="x", key="h1")
    actions.send_pending()
    assert "https://" in Delivery.objects.get().last_error


def test_given_recipient_with_email_when_notified_then_mail_to_their_own_address_once(users, mailoutbox):
    # Given the liaison entered an email address, the leader none
    ContactPoint.objects.create(user=users.liaison, email="liaison@dept.example.cn")
    # When both are notified of the same event, twice
    for _ in range(2):
        actions.notify([users.liaison, users.leader], kind="appeals.urge", title="催办：SQ4", key="e1")
    actions.send_pending()
    actions.send_pending()
    # Then one mail, to the liaison only
    assert [m.to for m in mailoutbox] == [["liaison@dept.example.cn"]]
    assert mailoutbox[0].subject == "催办：SQ4"


def test_given_personal_email_disabled_or_opted_out_then_no_mail(users, mailoutbox, settings):
    ContactPoint.objects.create(user=users.liaison, email="liaison@dept.example.cn", email_enabled=False)
    ContactPoint.objects.create(user=users.leader, email="leader@fic.example.cn")
    settings.QINQING_PERSONAL_EMAIL = False
    actions.notify([users.liaison, users.leader], kind="appeals.urge", title="x", key="e2")
    assert Delivery.objects.count() == 0
    settings.QINQING_PERSONAL_EMAIL = True
    actions.notify([users.liaison, users.leader], kind="appeals.urge", title="x", key="e3")
    actions.send_pending()
    assert [m.to for m in mailoutbox] == [["leader@fic.example.cn"]]


def test_given_sms_gateway_when_notified_then_sms_to_recipient_mobile(users, settings):
    settings.QINQING_SMS_GATEWAY = f"{__name__}.FakeGateway"
    SENT_SMS.clear()
    ContactPoint.objects.create(user=users.liaison, mobile="13800138000")
    actions.notify([users.liaison], kind="appeals.urge", title="催办：SQ5", key="m1")
    actions.send_pending()
    actions.send_pending()
    assert len(SENT_SMS) == 1 and SENT_SMS[0][0] == ["13800138000"] and SENT_SMS[0][1].startswith("催办：SQ5")


def test_given_no_sms_gateway_then_sms_is_not_used_at_all(users, settings):
    # Given a mobile number and even an SMS group channel, but no gateway configured
    settings.QINQING_SMS_GATEWAY = ""
    ContactPoint.objects.create(user=users.liaison, mobile="13800138000")
    Channel.objects.create(name="短信", kind="sms", target="13900139000")
    # When notified, then no SMS delivery exists to fail and be retried
    actions.notify([users.liaison], kind="appeals.urge", title="催办", key="m2")
    assert not Delivery.objects.filter(kind="sms").exists()


def test_given_user_when_saving_contact_then_own_only_and_bad_mobile_named(users, login):
    client = login(users.liaison)
    response = client.post(reverse("notifications:contact"), {"email": "a@b.cn", "mobile": "12345"})
    assert response.status_code == 200 and "手机号码" in response.content.decode()
    assert not ContactPoint.objects.exists()
    response = client.post(
        reverse("notifications:contact"), {"email": "a@b.cn", "mobile": "138-0013-8000", "email_enabled": "on"}
    )
    assert response.status_code == 302
    point = ContactPoint.objects.get(user=users.liaison)
    assert point.mobile == "13800138000" and point.email_enabled and not point.sms_enabled
    with pytest.raises(actions.ContactError):
        actions.save_contact_point(users.leader, actor=users.liaison, email="x@y.cn")


def test_given_sms_queued_then_gateway_removed_when_sending_then_failed_once_without_retries(users, settings):
    settings.QINQING_SMS_GATEWAY = f"{__name__}.FakeGateway"
    ContactPoint.objects.create(user=users.liaison, mobile="13800138000")
    actions.notify([users.liaison], kind="appeals.urge", title="催办", key="m3")
    settings.QINQING_SMS_GATEWAY = ""
    actions.send_pending()
    delivery = Delivery.objects.get(kind="sms")
    assert delivery.status == Delivery.FAILED and delivery.attempts == 0 and "短信网关" in delivery.last_error
    assert actions.send_pending(now=timezone.now() + timedelta(days=1)) == {"sent": 0, "retry": 0, "skip": 0}
