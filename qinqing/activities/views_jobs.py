"""Job fair pages: an enterprise posts its jobs, staff post for them and record intentions reached per job."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinqing.core.errors import Refused
from qinqing.core.permissions import requires
from qinqing.core.roles import Role
from qinqing.registry.permissions import visible_enterprises

from . import actions, forms
from .permissions import MANAGE, VIEW, can_manage, get_activity, get_job


def _report(request, exc) -> None:
    messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))


@requires(VIEW)
@require_POST
def job_new(request, pk: int):
    activity = get_activity(request.user, pk)
    manage = can_manage(request.user, activity)
    form = forms.JobForm(request.POST, staff=manage)
    try:
        if not form.is_valid():
            raise ValidationError({f: e for f, e in form.errors.items()})
        d = form.cleaned_data
        if manage:
            code = d["credit_code"].strip().upper()
            enterprise = visible_enterprises(request.user).filter(credit_code=code).first()
            if enterprise is None:
                raise ValidationError({"credit_code": _("未找到企业（或不在管辖范围内）：%(code)s") % {"code": code}})
        elif request.user.role == Role.ENTERPRISE and request.user.enterprise_id:
            enterprise = request.user.enterprise
        else:
            raise Refused(_("只有企业或主办方可以发布岗位"))
        actions.post_job(activity, actor=request.user, enterprise=enterprise, data=d)
    except (ValidationError, Refused) as exc:
        _report(request, exc)
    else:
        messages.success(request, _("岗位已发布"))
    return redirect("activities:detail", activity.pk)


@requires(MANAGE)
@require_POST
def job_intentions(request, pk: int):
    job = get_job(request.user, pk)
    if not can_manage(request.user, job.activity):
        from django.http import Http404

        raise Http404
    form = forms.IntentionsForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"intentions": _("达成意向人数应为整数")})
        actions.record_intentions(job, actor=request.user, intentions=form.cleaned_data["intentions"])
    except (ValidationError, Refused) as exc:
        _report(request, exc)
    else:
        messages.success(request, _("意向人数已记录"))
    return redirect("activities:detail", job.activity_id)
