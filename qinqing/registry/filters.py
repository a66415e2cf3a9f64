"""One filter definition per list, shared by the page, the API and the export."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ChamberType, MemberKind, MemberRole, MemberStatus, Qualification, RegistrationStatus, SizeClass
from .models import Chamber, Enterprise, Member


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("名称或信用代码"))
    size_class = django_filters.ChoiceFilter(choices=SizeClass.choices, label=_("企业规模"))
    qualification = django_filters.ChoiceFilter(
        choices=Qualification.choices, method="by_qualification", label=_("资质")
    )
    industry = django_filters.CharFilter(field_name="industry_code", lookup_expr="startswith", label=_("行业代码"))
    region = django_filters.CharFilter(field_name="region_code", lookup_expr="startswith", label=_("行政区划"))
    member = django_filters.BooleanFilter(method="by_membership", label=_("会员企业"))

    class Meta:
        model = Enterprise
        fields = ["q", "size_class", "qualification", "industry", "region", "member"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__contains=value) | Q(credit_code__startswith=value.upper()))

    def by_qualification(self, queryset, name, value):
        return queryset.filter(qualifications__contains=value) if value else queryset

    def by_membership(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(memberships__isnull=not value).distinct()


def _status_q(status: str, today: datetime.date) -> Q:
    if status == MemberStatus.LEFT:
        return Q(left_on__lte=today)
    if status == MemberStatus.PENDING:
        return Q(joined_on__gt=today) & (Q(left_on__isnull=True) | Q(left_on__gt=today))
    return Q(joined_on__lte=today) & (Q(left_on__isnull=True) | Q(left_on__gt=today))


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("名称或信用代码"))
    kind = django_filters.ChoiceFilter(choices=MemberKind.choices, label=_("会员类别"))
    role = django_filters.ChoiceFilter(choices=MemberRole.choices, label=_("职务"))
    status = django_filters.ChoiceFilter(choices=MemberStatus.choices, method="by_status", label=_("状态"))
    organization = django_filters.NumberFilter(field_name="organization_id", label=_("入会组织"))

    class Meta:
        model = Member
        fields = ["q", "kind", "role", "status", "organization"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__contains=value)
            | Q(enterprise__credit_code__startswith=value.upper())
            | Q(group__name__contains=value)
            | Q(group_name__contains=value)
            | Q(person_name__contains=value)
        )

    def by_status(self, queryset, name, value):
        return queryset.filter(_status_q(value, timezone.localdate())) if value else queryset


class ChamberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="organization__name", lookup_expr="contains", label=_("商会名称"))
    chamber_type = django_filters.ChoiceFilter(choices=ChamberType.choices, label=_("商会类型"))
    registration_status = django_filters.ChoiceFilter(choices=RegistrationStatus.choices, label=_("登记状态"))
    party_org = django_filters.BooleanFilter(field_name="party_org_established", label=_("已建党组织"))

    class Meta:
        model = Chamber
        fields = ["q", "chamber_type", "registration_status", "party_org"]
