"""节假日设置: the 系统管理员's page for holiday overrides, completed years, and a working-day check."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import calendar_actions
from .badinput import int_param
from .calendar_source import get_calendar
from .holiday_notice import NoticeError, parse_notice
from .models import CalendarDay, CalendarYear
from .permissions import requires
from .workdays import CalendarNotCovered


class DayForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(
        label=gettext_lazy("安排"),
        choices=[("0", gettext_lazy("休息（节假日）")), ("1", gettext_lazy("上班（调休工作日）"))],
        coerce=lambda v: v == "1",
    )
    name = forms.CharField(
        label=gettext_lazy("名称"),
        max_length=50,
        required=False,
        help_text=gettext_lazy("例如：春节、国庆节调休上班"),
    )


class YearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年份"), min_value=2000, max_value=2100)
    complete = forms.BooleanField(label=gettext_lazy("已完整录入该年全部节假日和调休"), required=False)
    note = forms.CharField(label=gettext_lazy("依据"), max_length=200, required=False)


class NoticeForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("通知全文"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=20000,
        help_text=gettext_lazy(
            "粘贴“国务院办公厅关于××××年部分节假日安排的通知”全文（含标题），先预览，确认无误后保存"
        ),
    )

    def clean_text(self):
        try:
            self.notice = parse_notice(self.cleaned_data["text"])
        except NoticeError as exc:
            raise ValidationError(str(exc)) from exc
        return self.cleaned_data["text"]


class CheckForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    n = forms.IntegerField(label=gettext_lazy("工作日数"), min_value=-366, max_value=366)


def _year_of(request) -> int:
    year = int_param(request.GET, "year", _("年份"), minimum=1900, maximum=2200)  # 400 naming the field
    return year or dt.date.today().year


@requires("core.manage_calendar")
def calendar_settings(request):
    year = _year_of(request)
    day_form, year_form = DayForm(prefix="day"), YearForm(prefix="year", initial={"year": year})
    notice_form, preview = NoticeForm(prefix="notice"), None
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op in ("notice_preview", "notice_save"):
                notice_form = NoticeForm(request.POST, prefix="notice")
                if notice_form.is_valid():
                    notice = notice_form.notice
                    if op == "notice_save" and request.POST.get("confirm") == "1":
                        row = calendar_actions.enter_holiday_notice(notice, actor=request.user)
                        messages.success(
                            request,
                            _("已按通知保存%(year)s年节假日安排：放假%(off)s天，调休上班%(on)s天")
                            % {"year": row.year, "off": len(notice.off), "on": len(notice.on)},
                        )
                        return redirect(f"{reverse('core:calendar')}?year={row.year}")
                    if op == "notice_save":
                        notice_form.add_error(None, _("请勾选“已核对以上日期”后再保存"))
                    preview = _preview(notice)
            elif op == "add":
                day_form = DayForm(request.POST, prefix="day")
                if day_form.is_valid():
                    day = calendar_actions.set_calendar_day(actor=request.user, **day_form.cleaned_data)
                    messages.success(request, _("已保存 %(date)s 的安排") % {"date": f"{day.date:%Y-%m-%d}"})
                    return redirect(f"{reverse('core:calendar')}?year={day.date.year}")
            elif op == "remove":
                try:
                    day = CalendarDay.objects.get(pk=int(request.POST.get("pk", "")))
                except (CalendarDay.DoesNotExist, ValueError):
                    raise Http404 from None
                calendar_actions.remove_calendar_day(day, actor=request.user)
                messages.success(request, _("已删除 %(date)s 的调整") % {"date": f"{day.date:%Y-%m-%d}"})
                return redirect(f"{reverse('core:calendar')}?year={day.date.year}")
            elif op == "year":
                year_form = YearForm(request.POST, prefix="year")
                if year_form.is_valid():
                    row = calendar_actions.mark_year_complete(actor=request.user, **year_form.cleaned_data)
                    messages.success(request, _("已更新%(year)s年的录入状态") % {"year": row.year})
                    return redirect(f"{reverse('core:calendar')}?year={row.year}")
        except ValidationError as exc:
            form = day_form if op == "add" else year_form
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)

    check_form = CheckForm(request.GET if "start" in request.GET else None)
    result, error = None, ""
    calendar = get_calendar()
    if check_form.is_bound and check_form.is_valid():
        start, n = check_form.cleaned_data["start"], check_form.cleaned_data["n"]
        try:
            date = calendar.add_workdays(start, n)
            result = {"start": start, "n": n, "date": date, "provisional": calendar.any_provisional(start, date)}
        except CalendarNotCovered as exc:
            error = str(exc)
    context = {
        "year": year,
        "days": CalendarDay.objects.filter(date__year=year).order_by("date"),
        "years": CalendarYear.objects.order_by("-year"),
        "covered": calendar.covers(year),
        "package_years": _package_range(calendar),
        "package_days": _package_days(calendar, year),
        "provisional": calendar.is_provisional(year),
        "provisional_days": _provisional_days(calendar, year),
        "day_form": day_form,
        "year_form": year_form,
        "notice_form": notice_form,
        "preview": preview,
        "check_form": check_form,
        "result": result,
        "error": error,
    }
    if request.htmx and request.method == "GET":
        return render(request, "core/calendar_check.html", context)
    return render(request, "core/calendar.html", context)


def _package_range(calendar) -> str:
    years = sorted({d.year for d in calendar.holidays})
    return f"{years[0]}—{years[-1]}" if years else ""


def _package_days(calendar, year: int) -> list[dict]:
    """The built-in arrangement of ``year``: every day off of a holiday, and the make-up workdays."""
    days = [{"date": d, "is_workday": False, "name": n} for d, n in calendar.holidays.items() if d.year == year]
    days += [{"date": d, "is_workday": True, "name": n} for d, n in calendar.makeup_workdays.items() if d.year == year]
    return sorted(days, key=lambda row: row["date"])


def _provisional_days(calendar, year: int) -> list[dict]:
    """A provisional year's statutory days off (what deadlines use until the notice is entered)."""
    if not calendar.is_provisional(year):
        return []
    try:
        days = calendar.provisional_days(year)
    except CalendarNotCovered:
        return []
    return [{"date": d, "is_workday": False, "name": n} for d, n in sorted(days.items())]


def _preview(notice) -> dict:
    """Every day off and make-up working day of a parsed notice, and what entering it changes."""
    rows = [{"date": d, "is_workday": False, "name": n} for d, n in notice.off.items()]
    rows += [{"date": d, "is_workday": True, "name": n} for d, n in notice.on.items()]
    wanted = {r["date"] for r in rows}
    removed = CalendarDay.objects.filter(date__year=notice.year).exclude(date__in=wanted).order_by("date")
    return {
        "notice": notice,
        "rows": sorted(rows, key=lambda r: r["date"]),
        "removed": list(removed),
        "provisional": get_calendar().is_provisional(notice.year),
    }
