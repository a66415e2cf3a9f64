"""临时登记 records on the enterprise page: complete with the real credit code, or merge into the
registered enterprise (qinqing.registry.provisional does the writing)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinqing.core.permissions import requires

from . import permissions, provisional


@require_POST
@requires("registry.change_enterprise")
def resolve(request, pk: int):
    enterprise = permissions.get_enterprise(request.user, pk)
    op = request.POST.get("op")
    code = (request.POST.get("credit_code") or "").strip()
    try:
        if not code:
            raise ValidationError({"credit_code": _("统一社会信用代码：请填写")})
        if op == "complete":
            provisional.complete_provisional(enterprise, actor=request.user, credit_code=code)
            messages.success(request, _("已补全统一社会信用代码"))
            return redirect("registry:enterprise_detail", enterprise.pk)
        if op == "merge":
            target = permissions.visible_enterprises(request.user).filter(credit_code=code.upper()).first()
            if target is None:
                raise ValidationError({"credit_code": _("统一社会信用代码：未找到该企业（或不在您的管辖范围内）")})
            provisional.merge_provisional(enterprise, into=target, actor=request.user)
            messages.success(request, _("临时企业已合并到“%(name)s”") % {"name": target.name})
            return redirect("registry:enterprise_detail", target.pk)
        raise ValidationError({"op": _("未知的操作")})
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("registry:enterprise_detail", enterprise.pk)
