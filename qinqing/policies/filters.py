"""One filter definition for the policy list page, the API and exports."""

import django_filters
from django.utils import timezone

from qinqing.orgs.models import Organization

from .choices import ApplicationMethod, BenefitType, Level, Status
from .models import Policy, status_q


class PolicyFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label="层级", choices=Level.choices)
    benefit_type = django_filters.ChoiceFilter(label="扶持类型", choices=BenefitType.choices)
    application_method = django_filters.ChoiceFilter(label="兑现方式", choices=ApplicationMethod.choices)
    issuer = django_filters.ModelChoiceFilter(
        label="发布部门", queryset=Organization.objects.filter(kind="department"), empty_label="全部部门"
    )
    status = django_filters.ChoiceFilter(label="状态", choices=Status.choices, method="filter_status")
    published_from = django_filters.DateFilter(label="发布日期自", field_name="published_on", lookup_expr="gte")
    published_to = django_filters.DateFilter(label="发布日期至", field_name="published_on", lookup_expr="lte")

    class Meta:
        model = Policy
        fields = ["level", "benefit_type", "application_method", "issuer", "status"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_q(value, timezone.localdate())) if value else queryset
