"""光彩事业 pages: donations, their receipts, the 感谢信 PDF and the ≥ 100 万元 reporting list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qinqing.core import uploads
from qinqing.core.errors import Refused
from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires

from . import actions, filters, forms
from .actions.donations import RECEIPTS
from .choices import DonationForm
from .permissions import MANAGE, REPORT, VIEW, get_donation, visible_donations
from .views import enterprise_by_code, show_errors


@requires(VIEW)
def donation_list(request):
    qs = filters.filter_donations(request.GET, visible_donations(request.user)).select_related("enterprise")
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    context = {"page": page, "params": request.GET, "forms": DonationForm.choices,
               "can_add": request.user.has_perm(MANAGE) or bool(request.user.enterprise_id)}  # fmt: skip
    return render(request, "programs/donation_list.html", context)


@requires(VIEW)
def donation_new(request):
    user = request.user
    staff = user.has_perm(MANAGE)
    if not (staff or (user.has_perm(REPORT) and user.enterprise_id)):
        raise Http404
    form = forms.DonationEntryForm(request.POST or None, request.FILES or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        receipt = d.pop("receipt", None)
        if staff:
            enterprise = enterprise_by_code(user, d.pop("credit_code"))
        else:
            from qinqing.registry.models import Enterprise

            enterprise = Enterprise.objects.filter(pk=user.enterprise_id).first()
        if staff and enterprise is None and form.cleaned_data.get("credit_code"):
            form.add_error("credit_code", _("未找到该企业，或企业不在您的管辖范围内"))
        else:
            try:
                donation = actions.register_donation(actor=user, enterprise=enterprise, data=d, receipt=receipt)
            except ValidationError as exc:
                show_errors(form, exc)
            else:
                messages.success(request, _("捐赠 %(number)s 已登记") % {"number": donation.number})
                return redirect("programs:donation_detail", donation.pk)
    return render(request, "programs/donation_form.html", {"form": form})


@requires(VIEW)
def donation_detail(request, pk: int):
    donation = get_donation(request.user, pk)
    staff = request.user.has_perm(MANAGE)
    context = {"donation": donation, "can_manage": staff, "receipt_form": forms.ReceiptForm(),
               "can_receipt": staff or donation.enterprise_id == request.user.enterprise_id}  # fmt: skip
    return render(request, "programs/donation_detail.html", context)


@requires(VIEW)
def donation_receipt_upload(request, pk: int):
    donation = get_donation(request.user, pk)  # out of scope: 404 before the method is looked at
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not (request.user.has_perm(MANAGE) or donation.enterprise_id == request.user.enterprise_id):
        raise Http404
    try:
        actions.attach_receipt(donation, actor=request.user, receipt=request.FILES.get("receipt"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("票据已上传"))
    return redirect("programs:donation_detail", donation.pk)


@requires(VIEW)
def donation_receipt(request, pk: int):
    donation = get_donation(request.user, pk)
    if not donation.receipt:
        raise Http404
    return uploads.download_response(donation.receipt, donation.receipt_name or donation.receipt.name,
                                     allowed=RECEIPTS)  # fmt: skip


@requires(MANAGE)
def donation_letter(request, pk: int):
    donation = get_donation(request.user, pk)
    pdf = actions.issue_letter(donation, actor=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="letter-{donation.number}.pdf"'
    return response


@requires(MANAGE)
def donation_report(request, pk: int):
    donation = get_donation(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        actions.mark_reported(donation, actor=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已标记为上报"))
    return redirect("programs:donation_detail", donation.pk)
