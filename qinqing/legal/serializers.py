"""API shapes of legal check-up data (read side) and of the inputs each action takes.

Choice values are plain strings with their Chinese label beside them (``*_label``); the actions check them and
answer a Chinese message naming the field."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qinqing.registry.masking import show_mobile

from .models import (
    Area,
    Checkup,
    CheckupAnswer,
    CheckupRound,
    FirmLink,
    FollowUpCall,
    LegalTalk,
    LinkService,
    Question,
    QuestionnaireVersion,
    RiskPoint,
)

MAX_ID = 2**31 - 1
ID = {"min_value": 1, "max_value": MAX_ID}


def _choice(name: str):
    return serializers.CharField(read_only=True), serializers.CharField(source=f"get_{name}_display", read_only=True)


class LegalRiskSerializer(serializers.ModelSerializer):
    level, level_label = _choice("level")
    follow_status, follow_status_label = _choice("follow_status")
    area_name = serializers.CharField(source="area.name", read_only=True)
    area_code = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = RiskPoint
        fields = ["id", "checkup", "area", "area_code", "area_name", "level", "level_label", "facts",
                  "recommendation", "follow_status", "follow_status_label", "follow_reason", "follow_on",
                  "appeal"]  # fmt: skip


class LegalAnswerSerializer(serializers.ModelSerializer):
    self_answer = serializers.CharField(read_only=True)
    lawyer_answer = serializers.CharField(read_only=True)

    class Meta:
        model = CheckupAnswer
        fields = ["question", "self_answer", "self_note", "lawyer_answer", "lawyer_note"]


class LegalCallSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUpCall
        fields = ["id", "checkup", "lawyer", "called_on", "summary"]


class LegalCheckupSerializer(serializers.ModelSerializer):
    status, status_label = _choice("status")
    source, source_label = _choice("source")
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    law_firm_name = serializers.CharField(source="law_firm.name", read_only=True, default="")
    lawyer_name = serializers.CharField(source="lawyer.name", read_only=True, default="")
    contact_phone = serializers.SerializerMethodField(help_text=_("联系电话（无个人信息权限时打码）"))

    class Meta:
        model = Checkup
        fields = ["id", "number", "enterprise", "enterprise_name", "source", "source_label", "chamber", "round",
                  "status", "status_label", "requested_on", "request_note", "contact_name", "contact_phone",
                  "version", "link", "law_firm", "law_firm_name", "lawyer", "lawyer_name", "visit_on",
                  "self_checked_on", "visited_on", "visit_note", "report_summary", "report_on",
                  "followup_due"]  # fmt: skip

    def get_contact_phone(self, obj) -> str:
        request = self.context.get("request")
        return show_mobile(obj.contact_phone, request.user) if request else ""


class LegalCheckupDetailSerializer(LegalCheckupSerializer):
    risks = LegalRiskSerializer(many=True, read_only=True)
    answers = LegalAnswerSerializer(many=True, read_only=True)
    calls = LegalCallSerializer(many=True, read_only=True)

    class Meta(LegalCheckupSerializer.Meta):
        fields = [*LegalCheckupSerializer.Meta.fields, "risks", "answers", "calls"]


class LegalDeliveryLineSerializer(serializers.Serializer):
    service = serializers.CharField(help_text=_("服务类型"))
    promised = serializers.BooleanField(help_text=_("是否承诺"))
    target = serializers.IntegerField(allow_null=True, help_text=_("承诺数量（未定数量为空）"))
    delivered = serializers.IntegerField(help_text=_("联系期限内已提供"))
    rate = serializers.FloatField(allow_null=True, help_text=_("兑现率（%）"))


class LegalLinkSerializer(serializers.ModelSerializer):
    law_firm_name = serializers.CharField(source="law_firm.name", read_only=True)
    chamber_name = serializers.CharField(source="chamber.name", read_only=True)
    lawyers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    services = serializers.ListField(child=serializers.CharField(), read_only=True)
    targets = serializers.DictField(child=serializers.IntegerField(), read_only=True)
    delivery = serializers.SerializerMethodField()

    class Meta:
        model = FirmLink
        fields = ["id", "law_firm", "law_firm_name", "chamber", "chamber_name", "starts_on", "ends_on", "services",
                  "targets", "services_note", "lawyers", "delivery"]  # fmt: skip

    @extend_schema_field(LegalDeliveryLineSerializer(many=True))
    def get_delivery(self, link) -> list[dict]:
        from .actions import link_delivery

        return LegalDeliveryLineSerializer(link_delivery(link), many=True).data


class LegalLinkServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = LinkService
        fields = ["id", "link", "service", "delivered_on", "enterprise", "summary", "recorded_by"]


class LegalLinkServiceInputSerializer(serializers.Serializer):
    service = serializers.CharField(max_length=20, help_text=_("consult/contract/mediation/rights"))
    delivered_on = serializers.DateField()
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    summary = serializers.CharField(max_length=500)


class LegalTalkSerializer(serializers.ModelSerializer):
    enterprises = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = LegalTalk
        fields = ["id", "date", "topic", "lawyer", "law_firm", "chamber", "organiser", "place", "attendees",
                  "enterprises", "activity"]  # fmt: skip


class LegalRoundSerializer(serializers.ModelSerializer):
    checkups = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = CheckupRound
        fields = ["id", "title", "fic", "planned_on", "note", "checkups"]


class LegalQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "text", "hint", "order"]


class LegalAreaSerializer(serializers.ModelSerializer):
    questions = LegalQuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Area
        fields = ["id", "code", "name", "order", "questions"]


class LegalVersionSerializer(serializers.ModelSerializer):
    areas = LegalAreaSerializer(many=True, read_only=True)

    class Meta:
        model = QuestionnaireVersion
        fields = ["id", "number", "title", "note", "published_at", "is_current", "areas"]


# --- inputs ---------------------------------------------------------------------------------------


class LegalRequestInputSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(required=False, help_text=_("企业 id（商会秘书处申请时必填）"), **ID)
    chamber = serializers.IntegerField(required=False, allow_null=True, help_text=_("经由的商会 id（企业可选）"), **ID)
    request_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")


class LegalAssignInputSerializer(serializers.Serializer):
    lawyer = serializers.IntegerField(help_text=_("律师（用户）id"), **ID)
    visit_on = serializers.DateField(help_text=_("预约走访日期"))


class LegalReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text=_("取消原因"))


class LegalAnswerInputSerializer(serializers.Serializer):
    question = serializers.IntegerField(**ID)
    answer = serializers.CharField(max_length=10, help_text=_("yes 是 / no 否 / partly 部分 / unknown 不清楚"))
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class LegalSelfCheckInputSerializer(serializers.Serializer):
    answers = LegalAnswerInputSerializer(many=True, max_length=500)


class LegalVisitInputSerializer(LegalSelfCheckInputSerializer):
    visited_on = serializers.DateField()
    visit_note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class LegalRiskInputSerializer(serializers.Serializer):
    area = serializers.IntegerField(required=False, allow_null=True, help_text=_("本次问卷的领域 id"), **ID)
    level = serializers.CharField(
        max_length=10, required=False, allow_blank=True, default="",
        help_text=_("red 红（重大且紧急）/ orange 橙（较大）/ yellow 黄（一般）"),
    )  # fmt: skip
    facts = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    recommendation = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class LegalIssueInputSerializer(serializers.Serializer):
    report_summary = serializers.CharField(max_length=5000, help_text=_("总体评价"))


class LegalFollowItemSerializer(serializers.Serializer):
    risk = serializers.IntegerField(**ID)
    status = serializers.CharField(max_length=10, help_text=_("done 已整改 / doing 整改中 / declined 不整改"))
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class LegalFollowInputSerializer(serializers.Serializer):
    items = LegalFollowItemSerializer(many=True, max_length=500)


class LegalCallInputSerializer(serializers.Serializer):
    called_on = serializers.DateField()
    summary = serializers.CharField(max_length=5000)


class LegalAppealInputSerializer(serializers.Serializer):
    department = serializers.IntegerField(help_text=_("承办单位 id"), **ID)


class LegalRoundInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    planned_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    enterprises = serializers.ListField(child=serializers.IntegerField(**ID), min_length=1, max_length=2000)


class LegalLinkInputSerializer(serializers.Serializer):
    law_firm = serializers.IntegerField(**ID)
    chamber = serializers.IntegerField(**ID)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    services = serializers.ListField(child=serializers.CharField(max_length=20), max_length=20,
                                     help_text=_("checkup/talk/consult/contract/mediation/rights"))  # fmt: skip
    services_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    lawyers = serializers.ListField(child=serializers.IntegerField(**ID), required=False, default=list,
                                    max_length=200)  # fmt: skip
    targets = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=100000), required=False,
                                    default=dict, help_text=_("承诺数量：服务类型 → 联系期限内的次数"))  # fmt: skip


class LegalTalkInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    topic = serializers.CharField(max_length=200)
    chamber = serializers.IntegerField(required=False, allow_null=True, **ID)
    lawyer = serializers.IntegerField(required=False, allow_null=True, **ID)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    attendees = serializers.IntegerField(min_value=0, max_value=10**6)
    enterprise_codes = serializers.ListField(child=serializers.CharField(max_length=18), required=False,
                                             default=list, max_length=2000)  # fmt: skip
    activity = serializers.IntegerField(required=False, allow_null=True, help_text=_("对应活动 id（活动与培训）"),
                                        **ID)  # fmt: skip


class LegalVersionInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class LegalAreaInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=30)


class LegalQuestionInputSerializer(serializers.Serializer):
    area = serializers.IntegerField(**ID)
    question = serializers.CharField(max_length=300)
    hint = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
