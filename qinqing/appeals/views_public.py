"""诉求进度查询 without signing in: the appeal number plus the phone number given at intake.

Public (``@public``), rate-limited per client address and per appeal number in the shared cache, and
answers "not found" the same way whether the number is unknown or the phone does not match. It shows
the public progress only: state, dates and the public steps with the acting unit (no names, no
comments, no attachments).
"""

import hashlib
import re
import time

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render
from django.utils.translation import gettext as _

from qinqing.accounts.throttles import parse_rate, too_many_page
from qinqing.core.middleware import client_ip
from qinqing.core.permissions import public

from .models import Appeal


def not_found_message() -> str:
    return _("未找到匹配的诉求，请核对诉求编号和登记时留的联系电话")


# Per client address, and per appeal number (guessing the phone of one appeal from many addresses).
LOOKUP_RATES = {"address": "10/min", "number": "20/hour"}


def _hit(kind: str, ident: str) -> float | None:
    """Count one lookup; None when allowed, else the seconds to wait (same window as accounts.throttles)."""
    rates = getattr(settings, "QINQING_THROTTLE_RATES", {})
    limit, period = parse_rate(rates.get(f"appeal_lookup_{kind}", LOOKUP_RATES[kind]))
    cache = caches[getattr(settings, "QINQING_THROTTLE_CACHE", "default")]
    now = time.time()
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]  # any text typed in stays a safe cache key
    key = f"qinqing-throttle:appeal_lookup_{kind}:{digest}"
    history = [t for t in (cache.get(key) or []) if t > now - period]
    if len(history) >= limit:
        return max(history[0] + period - now, 1.0)
    history.append(now)
    cache.set(key, history, period)
    return None


def digits(phone: str) -> str:
    return re.sub(r"\D", "", phone or "")


def find(number: str, phone: str) -> Appeal | None:
    """The appeal with this number whose intake phone matches (digits only, at least 6); else None."""
    given = digits(phone)
    if len(given) < 6 or not number:
        return None
    appeal = Appeal.objects.select_related("merged_into").filter(number=number.strip().upper()).first()
    if appeal is None or not appeal.contact_phone or digits(appeal.contact_phone) != given:
        return None
    return appeal


def lookup(request, number: str, phone: str):
    """(appeal, None), (None, seconds to wait) or (None, None) for no match — counted against the limits."""
    wait = _hit("address", client_ip(request) or "-") or _hit("number", number.strip().upper())
    if wait:
        return None, wait
    return find(number, phone), None


def public_steps(appeal: Appeal):
    return appeal.events.filter(public=True).order_by("created_at", "id")


@public
def status_lookup(request):
    number = (request.POST.get("number") or "").strip()[:20]
    phone = (request.POST.get("phone") or "").strip()[:30]
    context = {"number": number, "phone": phone}
    if request.method == "POST":
        if not number or not phone:
            context["error"] = _("请填写诉求编号和登记时留的联系电话")
            return render(request, "appeals/status.html", context, status=400)
        appeal, wait = lookup(request, number, phone)
        if wait:
            return too_many_page(request, wait)
        if appeal is None:
            context["error"] = not_found_message()
        else:
            context["appeal"] = appeal
            context["events"] = public_steps(appeal)
    return render(request, "appeals/status.html", context)
