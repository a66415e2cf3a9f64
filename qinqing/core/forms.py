"""Core forms: the audit log search."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AuditSearchForm(forms.Form):
    """Filters of the audit log page; a bad date is a message naming the field, never a server error."""

    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    action = forms.CharField(label=_("操作前缀"), required=False, max_length=100)
    date_from = forms.DateField(label=_("起始日期"), required=False)
    date_to = forms.DateField(label=_("截止日期"), required=False)
    failed = forms.BooleanField(label=_("仅失败"), required=False)

    def __init__(self, data=None, **kwargs):
        if data is not None:  # the page's parameter names (from/to are Python keywords)
            data = {
                "q": data.get("q", ""),
                "action": data.get("action", ""),
                "date_from": data.get("from", ""),
                "date_to": data.get("to", ""),
                "failed": data.get("failed") == "1",
            }
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("截止日期不能早于起始日期"))
        return cleaned

    def filter(self, entries):
        data = self.cleaned_data
        q = data["q"].strip()
        if q:
            from django.db.models import Q

            entries = entries.filter(
                Q(actor_name__icontains=q) | Q(object_repr__icontains=q) | Q(action__icontains=q) | Q(request_id=q)
            )
        if data["action"].strip():
            entries = entries.filter(action__startswith=data["action"].strip())
        if data["failed"]:
            entries = entries.filter(success=False)
        if data["date_from"]:
            entries = entries.filter(created_at__date__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(created_at__date__lte=data["date_to"])
        return entries
