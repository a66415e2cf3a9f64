"""Outbound channels: email (Django mail), 企业微信 and 钉钉 group robots (webhooks), an SMS gateway.

Each sender takes (channel, notification) and raises on failure; the delivery task retries with backoff.
Tests (and deployments with their own gateway) replace entries of SENDERS.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _


def _text(notification) -> str:
    body = f"{notification.title}\n{notification.body}".strip()
    if notification.url:
        base = getattr(settings, "QINQING_BASE_URL", "")
        body += f"\n{base}{notification.url}"
    return body


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def _check_webhook_url(url: str) -> None:
    """https only; plain http just to a loopback host and only where settings allow it (a local relay,
    the tests' own HTTP server)."""
    if url.startswith("https://"):
        return
    host = urllib.parse.urlsplit(url).hostname or ""
    if (
        url.startswith("http://")
        and host in LOOPBACK_HOSTS
        and getattr(settings, "QINQING_WEBHOOK_ALLOW_LOOPBACK", False)
    ):
        return
    raise ValueError(_("机器人Webhook地址必须以 https:// 开头"))


def _post_json(url: str, payload: dict) -> dict:
    """POST the robot's JSON; an HTTP error (e.g. 500) or a non-zero errcode raises, so it is retried."""
    _check_webhook_url(url)
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - https only, set by the administrator
        answer = json.loads(response.read().decode("utf-8") or "{}")
    if answer.get("errcode", 0) != 0:
        raise RuntimeError(_("机器人返回错误：%(error)s") % {"error": answer.get("errmsg", answer)})
    return answer


def send_email(channel, notification) -> None:
    recipients = [a.strip() for a in channel.target.split(",") if a.strip()]
    send_mail(notification.title, _text(notification), None, recipients, fail_silently=False)


def send_wecom(channel, notification) -> None:
    _post_json(channel.target, {"msgtype": "text", "text": {"content": _text(notification)}})


def dingtalk_url(url: str, secret: str, now_ms: int | None = None) -> str:
    """钉钉 robots with 加签 security need timestamp+sign query parameters."""
    if not secret:
        return url
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


def send_dingtalk(channel, notification) -> None:
    _post_json(
        dingtalk_url(channel.target, channel.secret), {"msgtype": "text", "text": {"content": _text(notification)}}
    )


class SmsGateway:
    """Interface for an SMS gateway; a deployment sets settings.QINQING_SMS_GATEWAY to the dotted path
    of a class with this method. Without it, no SMS deliveries are queued at all."""

    def send(self, phones: list[str], text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError(_("未配置短信网关"))


def sms_gateway() -> SmsGateway | None:
    from django.utils.module_loading import import_string

    path = getattr(settings, "QINQING_SMS_GATEWAY", "")
    return import_string(path)() if path else None


def sms_configured() -> bool:
    return bool(getattr(settings, "QINQING_SMS_GATEWAY", ""))


def personal_email_enabled() -> bool:
    """Personal email goes out unless the deployment turns it off (QINQING_PERSONAL_EMAIL = False)."""
    return bool(getattr(settings, "QINQING_PERSONAL_EMAIL", True))


def send_sms(channel, notification) -> None:
    gateway = sms_gateway()
    if gateway is None:
        raise RuntimeError(_("未配置短信网关"))
    gateway.send([p.strip() for p in channel.target.split(",") if p.strip()], _text(notification)[:300])


def send_personal_email(address: str, notification) -> None:
    send_mail(notification.title, _text(notification), None, [address], fail_silently=False)


def send_personal_sms(address: str, notification) -> None:
    gateway = sms_gateway()
    if gateway is None:
        raise RuntimeError(_("未配置短信网关"))
    gateway.send([address], _text(notification)[:300])


SENDERS: dict[str, Callable] = {
    "email": send_email,
    "wecom": send_wecom,
    "dingtalk": send_dingtalk,
    "sms": send_sms,
}
# Deliveries to one recipient's own address: (address, notification).
PERSONAL_SENDERS: dict[str, Callable] = {"email": send_personal_email, "sms": send_personal_sms}
