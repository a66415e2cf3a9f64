"""API representations of activities, sessions, registrations (personal data masked for staff), jobs."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from .choices import Kind
from .masking import shown_name, shown_phone
from .models import Activity, Attendance, Job, Registration, Session


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "date", "starts_at", "ends_at", "title"]


class ActivitySerializer(serializers.ModelSerializer):
    sessions = SessionSerializer(many=True, read_only=True)
    organiser_name = serializers.CharField(source="organiser.name", read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "kind", "title", "description", "organiser", "organiser_name", "starts_on", "ends_on",
                  "place", "online", "online_url", "capacity", "waitlist", "registration_open", "audience",
                  "feedback_url", "sessions"]  # fmt: skip


class SessionInputSerializer(serializers.Serializer):
    date = serializers.DateField(label=_("场次日期"))
    starts_at = serializers.TimeField(label=_("开始时间"), required=False, allow_null=True)
    ends_at = serializers.TimeField(label=_("结束时间"), required=False, allow_null=True)
    title = serializers.CharField(label=_("场次名称"), max_length=100, required=False, allow_blank=True, default="")


class ActivityInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label=_("类型"), choices=Kind.choices)
    title = serializers.CharField(label=_("名称"), max_length=200)
    description = serializers.CharField(label=_("内容简介"), required=False, allow_blank=True, default="")
    organiser = serializers.IntegerField(label=_("主办单位 id"), required=False, allow_null=True, min_value=1,
                                         max_value=2**31 - 1)  # fmt: skip
    starts_on = serializers.DateField(label=_("开始日期"))
    ends_on = serializers.DateField(label=_("结束日期"), required=False, allow_null=True)
    place = serializers.CharField(label=_("地点"), max_length=200, required=False, allow_blank=True, default="")
    online = serializers.BooleanField(label=_("线上举办"), required=False, default=False)
    online_url = serializers.CharField(label=_("线上参会链接"), max_length=500, required=False, allow_blank=True,
                                       default="")  # fmt: skip
    capacity = serializers.IntegerField(label=_("名额"), min_value=-(2**31), max_value=2**31 - 1)
    waitlist = serializers.BooleanField(label=_("允许候补"), required=False, default=True)
    registration_open = serializers.BooleanField(label=_("开放报名"), required=False, default=True)
    audience = serializers.JSONField(label=_("目标对象（规则）"), required=False, default=dict)
    feedback_url = serializers.CharField(label=_("反馈问卷链接"), max_length=500, required=False, allow_blank=True,
                                         default="")  # fmt: skip
    sessions = SessionInputSerializer(label=_("场次"), many=True, required=False)


# A distinct component name: registry's RegistrationStatusEnum would otherwise shadow this status enum.
@extend_schema_serializer(component_name="ActivityRegistration")
class RegistrationSerializer(serializers.ModelSerializer):
    attendee_name = serializers.SerializerMethodField()
    attendee_phone = serializers.SerializerMethodField()
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    attended_sessions = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = ["id", "activity", "enterprise", "enterprise_name", "attendee_name", "attendee_phone", "status",
                  "registered_at", "promoted_at", "cancelled_at", "attended_sessions"]  # fmt: skip

    def _user(self):
        return self.context["request"].user

    def get_attendee_name(self, obj) -> str:
        return shown_name(obj, self._user())

    def get_attendee_phone(self, obj) -> str:
        return shown_phone(obj, self._user())

    def get_attended_sessions(self, obj) -> list[int]:
        return [a.session_id for a in obj.attendances.all()]


class RegisterInputSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(label=_("企业 id（工作人员代报名时填写）"), required=False, allow_null=True,
                                          min_value=1, max_value=2**31 - 1)  # fmt: skip
    attendee_name = serializers.CharField(label=_("参加人姓名"), max_length=50)
    attendee_phone = serializers.CharField(label=_("联系电话"), max_length=30, required=False, allow_blank=True,
                                           default="")  # fmt: skip


class CheckinInputSerializer(serializers.Serializer):
    token = serializers.CharField(label=_("签到码"), max_length=500)


class ManualCheckinSerializer(serializers.Serializer):
    session = serializers.IntegerField(label=_("场次 id"), min_value=1, max_value=2**31 - 1)


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["id", "registration", "session", "method", "checked_in_at"]


class CheckinUrlSerializer(serializers.Serializer):
    url = serializers.CharField()


class FairJobSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Job
        fields = ["id", "activity", "enterprise", "enterprise_name", "title", "headcount", "requirements",
                  "intentions"]  # fmt: skip


class FairJobInputSerializer(serializers.Serializer):
    activity = serializers.IntegerField(label=_("招聘会 id"), min_value=1, max_value=2**31 - 1)
    enterprise = serializers.IntegerField(label=_("企业 id（工作人员代发布时填写）"), required=False, allow_null=True,
                                          min_value=1, max_value=2**31 - 1)  # fmt: skip
    title = serializers.CharField(label=_("岗位"), max_length=100)
    headcount = serializers.IntegerField(label=_("人数"), min_value=-(2**31), max_value=2**31 - 1)
    requirements = serializers.CharField(label=_("要求"), required=False, allow_blank=True, default="",
                                         max_length=2000)  # fmt: skip


class IntentionsInputSerializer(serializers.Serializer):
    intentions = serializers.IntegerField(label=_("达成意向人数"), min_value=-(2**31), max_value=2**31 - 1)
