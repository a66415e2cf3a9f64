"""Working-day calendar API: count working days (any signed-in user) and enter a State Council notice
(系统管理员, core.manage_calendar) — the same parser and action as /calendar/ and import_holiday_notice."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from . import calendar_actions
from .calendar_source import get_calendar
from .errors import Refused
from .holiday_notice import NoticeError, parse_notice
from .permissions import AUTHENTICATED
from .workdays import PROVISIONAL_YEARS, CalendarNotCovered


class WorkdaysQuery(serializers.Serializer):
    date = serializers.DateField(label=gettext_lazy("起始日期"))
    n = serializers.IntegerField(label=gettext_lazy("工作日数"), min_value=-366, max_value=366)

    def validate_date(self, value):
        if value.year not in PROVISIONAL_YEARS:
            raise serializers.ValidationError(_("日期应在1950年至2100年之间"))
        return value


REFUSAL = inline_serializer("CalendarRefusal", {"detail": serializers.CharField()})


class NoticeInput(serializers.Serializer):
    text = serializers.CharField(label=gettext_lazy("通知全文"), max_length=20000, trim_whitespace=False)
    dry_run = serializers.BooleanField(label=gettext_lazy("只预览不保存"), default=True)
    force = serializers.BooleanField(label=gettext_lazy("星期与日期不符时仍然保存"), default=False)


NOTICE_OUTPUT = inline_serializer(
    "HolidayNotice",
    {
        "year": serializers.IntegerField(),
        "off": serializers.ListField(child=serializers.DateField(), help_text=gettext_lazy("放假区间内的每一天")),
        "on": serializers.ListField(child=serializers.DateField(), help_text=gettext_lazy("调休上班日")),
        "warnings": serializers.ListField(child=serializers.CharField()),
        "saved": serializers.BooleanField(),
    },
)


class WorkdaysView(APIView):
    """The date N working days after a date; ``provisional`` when the count touches a year whose official
    schedule has not been entered (statutory holidays only: 暂定)."""

    required_permission = AUTHENTICATED

    @extend_schema(
        parameters=[WorkdaysQuery],
        responses={
            200: inline_serializer(
                "Workdays",
                {
                    "start": serializers.DateField(),
                    "n": serializers.IntegerField(),
                    "date": serializers.DateField(),
                    "provisional": serializers.BooleanField(),
                },
            ),
            409: REFUSAL,  # the count runs past 2100, where no table computes the holidays
        },
        summary=gettext_lazy("推算工作日"),
    )
    def get(self, request):
        query = WorkdaysQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, n = query.validated_data["date"], query.validated_data["n"]
        calendar = get_calendar()
        try:
            result = calendar.add_workdays(start, n)
        except CalendarNotCovered as exc:
            raise Refused(str(exc)) from exc
        return Response(
            {"start": start, "n": n, "date": result, "provisional": calendar.any_provisional(start, result)}
        )


class HolidayNoticeView(APIView):
    """Read 国务院办公厅关于YYYY年部分节假日安排的通知 and (``dry_run: false``) save it as the year's official
    schedule: 400 naming the unreadable line, 409 when a weekday does not match its date and ``force`` is
    not set, 201 when saved (open deadlines of a provisional year are recomputed)."""

    required_permission = "core.manage_calendar"

    @extend_schema(
        request=NoticeInput,
        responses={200: NOTICE_OUTPUT, 201: NOTICE_OUTPUT, 409: REFUSAL},
        summary=gettext_lazy("录入节假日安排通知"),
    )
    def post(self, request):
        data = NoticeInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            notice = parse_notice(data.validated_data["text"])
        except NoticeError as exc:
            raise serializers.ValidationError({"text": [str(exc)]}) from exc
        body = {**notice.as_json(), "warnings": list(notice.warnings), "saved": False}
        if data.validated_data["dry_run"]:
            return Response(body)
        if notice.warnings and not data.validated_data["force"]:
            raise Refused(_("通知中有需要核对的地方，未保存：%(warnings)s") % {"warnings": "；".join(notice.warnings)})
        calendar_actions.enter_holiday_notice(notice, actor=request.user)
        return Response({**body, "saved": True}, status=status.HTTP_201_CREATED)
