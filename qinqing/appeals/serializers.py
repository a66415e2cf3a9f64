"""API shapes for appeals; input is validated by the same forms as the pages (steps.py)."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import figures
from . import workflow as wf
from .models import Appeal, AppealEvent, ExtensionRequest


class AppealEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AppealEvent
        fields = [
            "id",
            "action",
            "label",
            "from_status",
            "to_status",
            "actor_name",
            "actor_org",
            "comment",
            "created_at",
        ]


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtensionRequest
        fields = ["id", "days", "reason", "status", "decision_note", "old_due", "new_due", "created_at"]


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AppealSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    type = serializers.CharField(source="appeal_type.code", read_only=True)
    domain_code = serializers.CharField(source="domain.code", read_only=True)
    lead_department_name = serializers.CharField(
        source="lead_department.name", read_only=True, default=None, allow_null=True
    )
    status_label = serializers.CharField(read_only=True)
    current_due = serializers.DateField(read_only=True, allow_null=True)  # none once closed or returned
    current_due_provisional = serializers.BooleanField(
        read_only=True, help_text=gettext_lazy("当前期限落在尚未录入国务院通知的年份，按法定节假日推算（暂定）")
    )
    provisional_dues = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=gettext_lazy("暂定的期限字段名，如 reply_due")
    )

    class Meta:
        model = Appeal
        fields = [
            "id",
            "number",
            "enterprise",
            "enterprise_name",
            "channel",
            "type",
            "domain_code",
            "title",
            "status",
            "status_label",
            "is_paused",
            "lead_department",
            "lead_department_name",
            "registered_on",
            "accept_due",
            "contact_due",
            "reply_due",
            "current_due",
            "current_due_provisional",
            "provisional_dues",
            "deadline_state",
            "escalation",
            "rehandle_count",
            "extension_days",
            "satisfaction",
            "solved",
            "merged_into",
        ]


class AppealDetailSerializer(AppealSerializer):
    events = serializers.SerializerMethodField()
    extensions = ExtensionSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(AppealSerializer.Meta):
        fields = [
            *AppealSerializer.Meta.fields,
            "description",
            "reply",
            "reject_reason",
            "rating_comment",
            "events",
            "extensions",
            "attachments",
        ]

    @extend_schema_field(AppealEventSerializer(many=True))
    def get_events(self, appeal):
        events = appeal.events.all()
        user = self.context["request"].user
        if user.role in ("enterprise", "chamber_secretary"):
            events = events.filter(public=True)
        return AppealEventSerializer(events, many=True).data


class AppealRegisterSerializer(serializers.Serializer):
    """Registering an appeal (documentation; AppealForm validates, as on the page)."""

    credit_code = serializers.CharField(
        max_length=200,
        required=False,
        help_text=gettext_lazy("企业统一社会信用代码或企业名称（工作人员、商会秘书处必填；企业用户不填）"),
    )
    channel = serializers.CharField(
        required=False, help_text=gettext_lazy("来源渠道（工作人员必填：hotline、visit、meeting 等）")
    )
    provisional = serializers.BooleanField(
        required=False,
        help_text=gettext_lazy("工作人员：企业尚未入库时为 true，按 credit_code 中填写的企业名称临时登记企业"),
    )
    appeal_type = serializers.IntegerField(help_text=gettext_lazy("诉求类型 id"))
    domain = serializers.IntegerField(help_text=gettext_lazy("诉求领域 id"))
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(help_text=gettext_lazy("诉求内容"))
    contact_name = serializers.CharField(max_length=50, required=False)
    contact_phone = serializers.CharField(max_length=30, required=False)
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text=gettext_lazy("附件（multipart/form-data，可多个，每个不超过20MB）"),
    )


class SimilarAppealSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    enterprise_name = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    registered_on = serializers.DateField()
    score = serializers.IntegerField(help_text=gettext_lazy("相似度（%）"))
    same_enterprise = serializers.BooleanField(help_text=gettext_lazy("是否同一企业"))


class AppealStepSerializer(serializers.Serializer):
    """The fields a step may take (documentation; steps.py validates them with the page's forms)."""

    comment = serializers.CharField(
        required=False,
        help_text=gettext_lazy("意见/理由/联系情况/答复内容（不予受理、联系、答复、退回、延期、暂停必填）"),
    )
    lead_department = serializers.IntegerField(required=False, help_text=gettext_lazy("交办：主办单位 id"))
    co_departments = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text=gettext_lazy("交办：协办单位 id 列表")
    )
    suggested_department = serializers.IntegerField(required=False, help_text=gettext_lazy("退回：建议承办单位 id"))
    satisfaction = serializers.ChoiceField(
        choices=list(wf.SATISFACTION_LABELS.items()),
        required=False,
        help_text=gettext_lazy("回访：满意度 5 非常满意 … 1 非常不满意"),
    )
    solved = serializers.ChoiceField(
        choices=[("1", gettext_lazy("已解决")), ("0", gettext_lazy("未解决"))],
        required=False,
        help_text=gettext_lazy("回访"),
    )
    days = serializers.IntegerField(
        min_value=1, max_value=30, required=False, help_text=gettext_lazy("申请延期：工作日数")
    )
    extension = serializers.IntegerField(required=False, help_text=gettext_lazy("审批延期：延期申请 id"))
    approve = serializers.ChoiceField(
        choices=[("1", gettext_lazy("同意")), ("0", gettext_lazy("不同意"))],
        required=False,
        help_text=gettext_lazy("审批延期"),
    )
    master_number = serializers.CharField(required=False, help_text=gettext_lazy("合并/关联：另一诉求的编号"))
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text=gettext_lazy("补充材料（supply）：附件，multipart/form-data"),
    )


class PublicStatusRequestSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=20, help_text=gettext_lazy("诉求编号"))
    phone = serializers.CharField(max_length=30, help_text=gettext_lazy("登记诉求时留的联系电话"))


class PublicStepSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    label = serializers.CharField(help_text=gettext_lazy("环节"))
    unit = serializers.CharField(help_text=gettext_lazy("办理单位"))


class PublicStatusSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    is_paused = serializers.BooleanField()
    registered_on = serializers.DateField()
    current_due = serializers.DateField(allow_null=True)
    merged_into_number = serializers.CharField(allow_null=True)
    steps = PublicStepSerializer(many=True)


class AppealRefusalSerializer(serializers.Serializer):
    detail = serializers.CharField(
        help_text=gettext_lazy("拒绝原因（如当前状态不允许、节假日安排未录入），诉求未作任何修改")
    )


# Figures: one integer per count, one nullable percentage per rate (figures.COUNTS / figures.RATES).
FigureTotalsSerializer = type(
    "FigureTotalsSerializer",
    (serializers.Serializer,),
    {
        **{name: serializers.IntegerField() for name in figures.COUNTS},
        **{
            key: serializers.FloatField(allow_null=True, help_text=format_lazy("{}（%）", label))
            for key, label, *_ in figures.RATES
        },
    },
)


class FigureRowSerializer(FigureTotalsSerializer):
    label = serializers.CharField(help_text=gettext_lazy("分组名称（承办单位、类型、领域、渠道、地区或月份）"))
    region = serializers.CharField(
        help_text=gettext_lazy("按承办单位分组时：单位所属的下一级地区（本级为“本级”）；其他维度为空")
    )


class LeagueRowSerializer(FigureRowSerializer):
    score = serializers.FloatField(help_text=gettext_lazy("综合得分：及时联系率、按时答复率、满意率、解决率的平均"))


class FiguresSerializer(serializers.Serializer):
    total = FigureTotalsSerializer()
    rows = FigureRowSerializer(many=True)
    league = LeagueRowSerializer(many=True)
    department_regions = FigureRowSerializer(
        many=True, help_text=gettext_lazy("按地区统计时：按承办单位所属的下一级地区汇总（其他维度为空列表）")
    )
