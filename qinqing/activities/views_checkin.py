"""Check-in pages: the QR codes (per registration, per session), the page a scanned code opens (a phone),
and a session's attendance with manual check-in by staff."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinqing.core.errors import Refused
from qinqing.core.permissions import requires
from qinqing.core.roles import Role

from . import actions, qr
from .choices import RegistrationStatus
from .masking import shown_name, shown_phone
from .permissions import (
    CHECKIN,
    MANAGE,
    VIEW,
    can_manage,
    get_managed_session,
    get_registration,
    visible_activities,
)


def _svg(data: str) -> HttpResponse:
    response = HttpResponse(qr.svg(data), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@requires(VIEW)
def registration_qr(request, pk: int):
    """The attendee's own check-in code (shown on their phone at the door)."""
    registration = get_registration(request.user, pk)
    user = request.user
    own = user.role == Role.ENTERPRISE and user.enterprise_id == registration.enterprise_id
    if registration.status != RegistrationStatus.CONFIRMED or not (own or can_manage(user, registration.activity)):
        return HttpResponse(status=404)
    return _svg(request.build_absolute_uri(actions.checkin_path(registration)))


@requires(MANAGE)
def session_qr(request, pk: int):
    """The session's code, displayed at the venue for attendees to scan."""
    session = get_managed_session(request.user, pk)
    return _svg(request.build_absolute_uri(actions.checkin_path(session)))


@requires(CHECKIN)
def checkin(request, token: str):
    """What a scanned code opens: a confirmation page (GET), the check-in itself (POST)."""
    done = error = None
    try:
        info = actions.describe_token(token)
    except ValidationError as exc:
        return render(request, "activities/checkin.html", {"error": "；".join(exc.messages)}, status=400)
    if not _may_open(request.user, info):
        raise Http404
    if request.method == "POST":
        try:
            done = actions.check_in_by_token(token, actor=request.user)
        except (ValidationError, Refused) as exc:
            error = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    status = 400 if error else 200
    target = info["target"]
    return render(request, "activities/checkin.html", {
        "info": info, "done": done, "error": error, "activity": info["activity"],
        "name": shown_name(target, request.user) if info["kind"] == "r" else None,
    }, status=status)  # fmt: skip


def _may_open(user, info) -> bool:
    """A registration's link: its enterprise or the organiser's staff; a session's: whoever sees the activity.
    Anyone else gets 404, as for any object outside their scope (a link passed on reveals nothing)."""
    if info["kind"] == "r":
        own = user.role == Role.ENTERPRISE and user.enterprise_id == info["target"].enterprise_id
        return own or can_manage(user, info["activity"])
    return visible_activities(user).filter(pk=info["activity"].pk).exists()


@requires(MANAGE)
def session_detail(request, pk: int):
    session = get_managed_session(request.user, pk)
    activity = session.activity
    present = {a.registration_id: a for a in session.attendances.all()}
    registrations = activity.registrations.filter(status=RegistrationStatus.CONFIRMED).select_related("enterprise")
    rows = [{"r": r, "name": shown_name(r, request.user), "phone": shown_phone(r, request.user),
             "attendance": present.get(r.pk)} for r in registrations]  # fmt: skip
    return render(request, "activities/session_detail.html", {
        "session": session, "activity": activity, "rows": rows, "present": len(present),
        "checkin_url": request.build_absolute_uri(actions.checkin_path(session)),
    })  # fmt: skip


@requires(MANAGE)
@require_POST
def session_checkin(request, pk: int):
    """Manual check-in by staff: one registration at this session."""
    session = get_managed_session(request.user, pk)
    registration = (
        session.activity.registrations.filter(pk=(request.POST.get("registration") or "0")[:12]).first()
        if (request.POST.get("registration") or "").isdigit()
        else None
    )
    if registration is None:
        messages.error(request, _("报名：请选择本活动的报名"))
        return redirect("activities:session", session.pk)
    try:
        actions.check_in(registration, session, actor=request.user, method="manual")
    except (ValidationError, Refused) as exc:
        messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, _("已签到"))
    return redirect("activities:session", session.pk)
