"""API shapes of mediation data (read side, parties masked unless the reader handles the case) and of the
inputs each action takes."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import contacts
from .choices import CaseType, FailedNext, PartyKind, PartyRole, SessionMode, Source
from .models import Case, Extension, MediationBody, RosterEntry, Session

MAX_ID = 2**31 - 1
AMOUNT = {"max_digits": 14, "decimal_places": 2}


class MediationBodySerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = MediationBody
        fields = ["id", "organization", "organization_name", "name", "kind", "phone", "address", "established_on",
                  "is_active"]  # fmt: skip


class MediationRosterEntrySerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.name", read_only=True)

    class Meta:
        model = RosterEntry
        fields = ["id", "body", "user", "user_name", "title", "specialities", "is_active"]


class MediationPartySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    role = serializers.CharField()
    kind = serializers.CharField()
    name = serializers.CharField()
    id_number = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField()
    is_member = serializers.BooleanField()
    enterprise = serializers.IntegerField(source="enterprise_id", allow_null=True)


class MediationSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "held_on", "mode", "place", "attendees", "notes"]


class MediationExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Extension
        fields = ["id", "old_deadline", "new_deadline", "consent_on", "consent_ref"]


CASE_FIELDS = ["id", "number", "body", "body_name", "source", "case_type", "summary", "amount", "received_on",
               "court_name", "court_case_number", "referred_on", "referred_by", "deadline", "overdue", "mediator",
               "mediator_name", "status", "closed_on", "duration_days", "outcome_note", "settled_amount",
               "confirmation", "confirmation_court", "confirmation_requested_on", "confirmation_on",
               "confirmation_number", "failed_next", "lawsuit_case_number", "parties"]  # fmt: skip


class MediationCaseSerializer(serializers.ModelSerializer):
    """A case with its parties masked (the full details come from the audited reveal-contacts step)."""

    body_name = serializers.CharField(source="body.name", read_only=True)
    mediator_name = serializers.CharField(source="mediator.name", read_only=True, default="")
    overdue = serializers.SerializerMethodField()
    parties = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = CASE_FIELDS

    def get_overdue(self, case) -> bool:
        today = self.context.get("today")
        return bool(today) and case.status == "open" and case.deadline < today

    @extend_schema_field(MediationPartySerializer(many=True))
    def get_parties(self, case) -> list[dict]:
        return MediationPartySerializer([contacts.shown(p, full=False) for p in case.parties.all()], many=True).data


class MediationCaseDetailSerializer(MediationCaseSerializer):
    agreement_text = serializers.CharField(read_only=True)
    sessions = MediationSessionSerializer(many=True, read_only=True)
    extensions = MediationExtensionSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [*CASE_FIELDS, "agreement_text", "sessions", "extensions"]


# --- inputs ---------------------------------------------------------------------------------------


class MediationPartyInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices, help_text=_("当事人地位"))
    kind = serializers.ChoiceField(choices=PartyKind.choices, help_text=_("当事人类型"))
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, help_text=_("姓名或名称"))
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True,
                                        help_text=_("已登记企业的统一社会信用代码（关联企业库）"))  # fmt: skip
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_member = serializers.BooleanField(required=False, default=False)


class MediationCaseInputSerializer(serializers.Serializer):
    body = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=_("调解组织 id"))
    source = serializers.ChoiceField(choices=Source.choices)
    case_type = serializers.ChoiceField(choices=CaseType.choices)
    summary = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    amount = serializers.DecimalField(required=False, allow_null=True, help_text=_("争议金额（万元）"), **AMOUNT)
    received_on = serializers.DateField(required=False, allow_null=True)
    court_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    court_case_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    referred_on = serializers.DateField(required=False, allow_null=True)
    referred_by = serializers.CharField(max_length=100, required=False, allow_blank=True)
    deadline = serializers.DateField(required=False, allow_null=True, help_text=_("留空按设置计算"))
    mediator = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    parties = MediationPartyInputSerializer(many=True)


class MediationBodyInputSerializer(serializers.Serializer):
    organization = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False,
                                            help_text=_("所属商会或工商联 id（新建时必填）"))  # fmt: skip
    name = serializers.CharField(max_length=100)
    kind = serializers.CharField(max_length=12, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    established_on = serializers.DateField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False, default=True)


class MediationRosterInputSerializer(serializers.Serializer):
    user = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=_("调解员账号 id"))
    title = serializers.CharField(max_length=100, required=False, allow_blank=True)
    specialities = serializers.ListField(child=serializers.ChoiceField(choices=CaseType.choices), required=False)


class MediationAssignInputSerializer(serializers.Serializer):
    mediator = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class MediationSessionInputSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    mode = serializers.ChoiceField(choices=SessionMode.choices)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    attendees = serializers.CharField(max_length=500)
    notes = serializers.CharField(max_length=10000, required=False, allow_blank=True)


class MediationCloseInputSerializer(serializers.Serializer):
    closed_on = serializers.DateField(required=False, allow_null=True)
    outcome_note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class MediationSettleInputSerializer(MediationCloseInputSerializer):
    agreement_text = serializers.CharField(max_length=20000)
    settled_amount = serializers.DecimalField(required=False, allow_null=True, **AMOUNT)


class MediationFailInputSerializer(MediationCloseInputSerializer):
    failed_next = serializers.ChoiceField(choices=FailedNext.choices, required=False, allow_blank=True)
    lawsuit_case_number = serializers.CharField(max_length=60, required=False, allow_blank=True)


class MediationLawsuitInputSerializer(serializers.Serializer):
    lawsuit_case_number = serializers.CharField(max_length=60)


class MediationConfirmationRequestSerializer(serializers.Serializer):
    confirmation_court = serializers.CharField(max_length=100, required=False, allow_blank=True)
    confirmation_requested_on = serializers.DateField(required=False, allow_null=True)


class MediationConfirmationResultSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=[("confirmed", _("裁定确认有效")), ("rejected", _("裁定驳回申请"))])
    confirmation_on = serializers.DateField(required=False, allow_null=True)
    confirmation_number = serializers.CharField(max_length=60, required=False, allow_blank=True)


class MediationExtensionInputSerializer(serializers.Serializer):
    new_deadline = serializers.DateField()
    consent_on = serializers.DateField(required=False, allow_null=True)
    consent_ref = serializers.CharField(max_length=100)


class MediationFileSerializer(serializers.Serializer):
    body = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=_("导入到的调解组织 id"))
    file = serializers.FileField(help_text=_(".json 或 .xlsx 交换文件"))


class MediationImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.CharField())
