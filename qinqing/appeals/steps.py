"""The steps of an appeal as (form, action) pairs, shared by the detail page and the API."""

from django.http import Http404

from qinqing.orgs.models import Organization

from . import actions, forms
from .permissions import get_appeal_by_number, get_extension

STEP_OPS = (
    "accept",
    "reject",
    "assign",
    "contact",
    "reply",
    "return",
    "callback",
    "request_extension",
    "decide_extension",
    "pause",
    "resume",
    "urge",
    "supervise",
    "merge",
    "link",
    "solve_on_spot",
    "supply",
    "co_note",
)


def departments_for(user):
    path = getattr(user.org, "path", "") or "//"
    return Organization.objects.filter(kind="department", path__startswith=path, is_active=True).order_by("path")


def form_errors(form) -> str:
    return "；".join(
        f"{form.fields[f].label}：{e}" if f in form.fields else str(e) for f, errs in form.errors.items() for e in errs
    )


def run_step(user, appeal, op: str, post, files=None):
    """Bind the step's form and call its action; return the invalid form, or None when done."""
    if op == "supply":
        form = forms.SupplyForm(post, files)
        if not form.is_valid():
            return form
        d = form.cleaned_data
        actions.supply_materials(appeal, actor=user, comment=d["comment"], files=d["files"])
        return None
    if op == "co_note":
        form = forms.ReasonForm(post)
        if not form.is_valid():
            return form
        actions.record_co_note(appeal, actor=user, comment=form.cleaned_data["comment"])
        return None
    if op in ("accept", "urge", "supervise", "resume", "contact", "reply", "reject", "pause", "solve_on_spot"):
        form = forms.ReasonForm(post) if op in ("contact", "reply", "reject", "pause") else forms.CommentForm(post)
        if not form.is_valid():
            return form
        c = form.cleaned_data["comment"]
        fn = {
            "accept": lambda: actions.accept_appeal(appeal, actor=user, comment=c),
            "urge": lambda: actions.urge_appeal(appeal, actor=user, comment=c),
            "supervise": lambda: actions.supervise_appeal(appeal, actor=user, comment=c),
            "resume": lambda: actions.resume_appeal(appeal, actor=user, comment=c),
            "contact": lambda: actions.contact_enterprise(appeal, actor=user, comment=c),
            "reply": lambda: actions.reply_appeal(appeal, actor=user, reply=c),
            "reject": lambda: actions.reject_appeal(appeal, actor=user, reason=c),
            "pause": lambda: actions.pause_appeal(appeal, actor=user, reason=c),
            "solve_on_spot": lambda: actions.solve_on_spot(appeal, actor=user, comment=c),
        }[op]
        fn()
        return None
    if op == "assign":
        form = forms.AssignForm(post, departments=departments_for(user))
        if not form.is_valid():
            return form
        d = form.cleaned_data
        actions.assign_appeal(
            appeal,
            actor=user,
            lead_department=d["lead_department"],
            co_departments=d["co_departments"],
            comment=d["comment"],
        )
        return None
    if op == "return":
        form = forms.ReturnForm(post, departments=Organization.objects.filter(kind="department"))
        if not form.is_valid():
            return form
        d = form.cleaned_data
        actions.return_appeal(appeal, actor=user, reason=d["comment"], suggested_department=d["suggested_department"])
        return None
    if op == "callback":
        form = forms.CallbackForm(post)
        if not form.is_valid():
            return form
        d = form.cleaned_data
        actions.record_callback(
            appeal, actor=user, satisfaction=d["satisfaction"], solved=d["solved"], comment=d["comment"]
        )
        return None
    if op == "request_extension":
        form = forms.ExtensionForm(post)
        if not form.is_valid():
            return form
        actions.request_extension(
            appeal, actor=user, days=form.cleaned_data["days"], reason=form.cleaned_data["comment"]
        )
        return None
    if op == "decide_extension":
        form = forms.DecideExtensionForm(post)
        if not form.is_valid():
            return form
        d = form.cleaned_data
        ext = get_extension(user, d["extension"])
        if ext.appeal_id != appeal.pk:
            raise Http404
        actions.decide_extension(ext, actor=user, approve=d["approve"], note=d["comment"])
        return None
    if op == "merge":
        form = forms.MergeForm(post)
        if not form.is_valid():
            return form
        master = get_appeal_by_number(user, form.cleaned_data["master_number"])
        actions.merge_appeal(appeal, actor=user, master=master, comment=form.cleaned_data["comment"])
        return None
    if op == "link":
        form = forms.MergeForm(post)
        if not form.is_valid():
            return form
        other = get_appeal_by_number(user, form.cleaned_data["master_number"])
        actions.link_appeals(appeal, other, actor=user)
        return None
    raise Http404
