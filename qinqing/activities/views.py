"""Activity pages: the list, setup, the detail with registration (a 390-px phone for enterprises), the
waitlist and cancellation. Check-in pages are in views_checkin, jobs in views_jobs, figures in views_figures."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinqing.core.errors import Refused
from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires
from qinqing.core.roles import Role
from qinqing.registry.permissions import visible_enterprises

from . import actions, audience, forms
from .choices import Kind, RegistrationStatus
from .filters import filter_activities
from .masking import shown_name, shown_phone
from .permissions import (
    MANAGE,
    REGISTER,
    VIEW,
    can_manage,
    get_activity,
    get_managed_activity,
    get_registration,
    visible_activities,
    visible_registrations,
)


def _errors(request, exc) -> None:
    if isinstance(exc, ValidationError):
        messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, str(exc))


@requires(VIEW)
def activity_list(request):
    qs = visible_activities(request.user).select_related("organiser")
    qs, params = filter_activities(qs, request.GET)
    qs = qs.annotate(
        confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
        waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
    ).order_by("-starts_on", "-pk")
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    mine = None
    if request.user.role == Role.ENTERPRISE:
        mine = (
            visible_registrations(request.user)
            .exclude(status=RegistrationStatus.CANCELLED)
            .select_related("activity")
            .order_by("-activity__starts_on", "-pk")[:20]
        )
    return render(request, "activities/activity_list.html", {
        "page": page, "params": params, "kinds": Kind.choices, "mine": mine,
        "can_manage": request.user.has_perm(MANAGE),
    })  # fmt: skip


def _form_page(request, activity=None):
    initial = None
    if activity is not None:
        lines = [
            " ".join(filter(None, [str(s.date), f"{s.starts_at:%H:%M}-{s.ends_at:%H:%M}" if s.starts_at and s.ends_at
                                   else "", s.title]))
            for s in activity.sessions.all()
        ]  # fmt: skip
        initial = {name: getattr(activity, name) for name in (
            "kind", "title", "organiser", "starts_on", "ends_on", "place", "online", "online_url", "capacity",
            "waitlist", "registration_open", "audience", "feedback_url", "description")}  # fmt: skip
        initial["sessions"] = "\n".join(lines)
    form = forms.ActivityForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.data_for_action()
        try:
            activity = actions.save_activity(actor=request.user, data=data, activity=activity)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("活动已保存"))
            return redirect("activities:detail", activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


@requires(MANAGE)
def activity_new(request):
    return _form_page(request)


@requires(MANAGE)
def activity_edit(request, pk: int):
    return _form_page(request, get_managed_activity(request.user, pk))


@requires(VIEW)
def activity_detail(request, pk: int):
    user = request.user
    activity = get_activity(user, pk)
    manage = can_manage(user, activity)
    registrations = activity.registrations.select_related("enterprise").prefetch_related("attendances")
    if not manage:
        registrations = registrations.filter(pk__in=visible_registrations(user).values("pk"))
    rows = [
        {"r": r, "name": shown_name(r, user), "phone": shown_phone(r, user), "attended": len(r.attendances.all())}
        for r in registrations
    ]
    counts = dict(activity.registrations.values_list("status").annotate(n=Count("pk")).order_by())
    explanation = None
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        explanation = audience.explain(activity, user.enterprise)
    jobs = activity.jobs.select_related("enterprise") if activity.is_job_fair else None
    return render(request, "activities/activity_detail.html", {
        "activity": activity,
        "sessions": activity.sessions.annotate(present=Count("attendances")),
        "rows": rows,
        "confirmed": counts.get(RegistrationStatus.CONFIRMED, 0),
        "waiting": counts.get(RegistrationStatus.WAITLISTED, 0),
        "can_manage": manage,
        "can_register": user.has_perm(REGISTER) and activity.registration_open,
        "register_form": forms.RegisterForm() if user.has_perm(REGISTER) else None,
        "staff_register_form": forms.StaffRegisterForm() if manage else None,
        "explanation": explanation,
        "audience_tree": audience.describe(activity),
        "reach": audience.reach(activity) if manage else None,
        "jobs": jobs,
        "job_form": forms.JobForm(staff=manage) if activity.is_job_fair and (manage or user.has_perm(REGISTER))
        else None,
    })  # fmt: skip


@requires(REGISTER)
@require_POST
def activity_register(request, pk: int):
    """An enterprise user registers one of their people."""
    activity = get_activity(request.user, pk)
    form = forms.RegisterForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({f: e for f, e in form.errors.items()})
        registration = actions.register(activity, actor=request.user, enterprise=request.user.enterprise,
                                        **form.cleaned_data)  # fmt: skip
    except (ValidationError, Refused) as exc:
        _errors(request, exc)
        return redirect("activities:detail", activity.pk)
    if registration.status == RegistrationStatus.WAITLISTED:
        messages.warning(request, _("名额已满，已进入候补名单；有名额空出时将自动转为报名成功并通知您"))
    else:
        messages.success(request, _("报名成功"))
    return redirect("activities:registration", registration.pk)


@requires(MANAGE)
@require_POST
def activity_register_for(request, pk: int):
    """Staff (or the chamber's secretary) register an enterprise's attendee for them."""
    activity = get_managed_activity(request.user, pk)
    form = forms.StaffRegisterForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({f: e for f, e in form.errors.items()})
        d = form.cleaned_data
        enterprise = visible_enterprises(request.user).filter(credit_code=d["credit_code"].strip().upper()).first()
        if enterprise is None and request.user.role == Role.CHAMBER_SECRETARY:
            from qinqing.registry.models import Enterprise

            enterprise = Enterprise.objects.filter(credit_code=d["credit_code"].strip().upper(),
                                                   members__organization_id=request.user.org_id).first()  # fmt: skip
        if enterprise is None:
            raise ValidationError(
                {"credit_code": _("未找到企业（或不在管辖范围内）：%(code)s") % {"code": d["credit_code"]}}
            )
        registration = actions.register(
            activity,
            actor=request.user,
            enterprise=enterprise,
            attendee_name=d["attendee_name"],
            attendee_phone=d["attendee_phone"],
        )
    except (ValidationError, Refused) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已为企业报名：%(status)s") % {"status": registration.get_status_display()})
    return redirect("activities:detail", activity.pk)


@requires(VIEW)
def registration_detail(request, pk: int):
    """A registration: its status, and for a confirmed one the personal check-in QR code."""
    registration = get_registration(request.user, pk)
    user = request.user
    own = user.role == Role.ENTERPRISE and user.enterprise_id == registration.enterprise_id
    checkin_url = None
    if registration.status == RegistrationStatus.CONFIRMED and (own or can_manage(user, registration.activity)):
        checkin_url = request.build_absolute_uri(actions.checkin_path(registration))
    position = None
    if registration.status == RegistrationStatus.WAITLISTED:
        position = registration.activity.registrations.filter(
            status=RegistrationStatus.WAITLISTED, registered_at__lte=registration.registered_at
        ).count()
    return render(request, "activities/registration_detail.html", {
        "registration": registration, "name": shown_name(registration, user), "phone": shown_phone(registration, user),
        "checkin_url": checkin_url, "position": position,
        "attendances": registration.attendances.select_related("session"),
        "can_cancel": registration.status != RegistrationStatus.CANCELLED
        and (own or can_manage(user, registration.activity)),
    })  # fmt: skip


@requires(VIEW)
@require_POST
def registration_cancel(request, pk: int):
    registration = get_registration(request.user, pk)
    user = request.user
    own = user.role == Role.ENTERPRISE and user.enterprise_id == registration.enterprise_id
    if not own and not can_manage(user, registration.activity):
        messages.error(request, _("只有报名企业或主办方可以取消报名"))
        return redirect("activities:registration", registration.pk)
    try:
        actions.cancel(registration, actor=user)
    except (ValidationError, Refused) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("报名已取消"))
    return redirect("activities:registration", registration.pk)
