"""One filter per list, shared by the page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import VisitStatus
from .indicators import DIMENSIONS, GRADE_LABELS
from .models import HealthResult, VisitTask

WATCH = (("watch", _("低分或下降")), ("low", _("得分偏低")), ("fell", _("得分下降")))


class ResultFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("企业名称或信用代码"))
    grade = django_filters.ChoiceFilter(choices=list(GRADE_LABELS.items()), label=_("等级"))
    watch = django_filters.ChoiceFilter(choices=WATCH, method="by_watch", label=_("关注"))
    weakest = django_filters.ChoiceFilter(choices=list(DIMENSIONS.items()), label=_("最弱维度"))
    region = django_filters.CharFilter(field_name="enterprise__region_code", lookup_expr="startswith",
                                       label=_("行政区划"))  # fmt: skip
    industry = django_filters.CharFilter(field_name="enterprise__industry_code", lookup_expr="startswith",
                                         label=_("行业代码"))  # fmt: skip

    class Meta:
        model = HealthResult
        fields = ["q", "grade", "watch", "weakest", "region", "industry"]

    def search(self, queryset, name, value):
        value = value.strip()[:50]
        if not value:
            return queryset
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(enterprise__credit_code=value.upper()))

    def by_watch(self, queryset, name, value):
        if value == "low":
            return queryset.filter(is_low=True)
        if value == "fell":
            return queryset.filter(fell=True)
        return queryset.filter(Q(is_low=True) | Q(fell=True))


class VisitFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=VisitStatus.choices, label=_("状态"))
    q = django_filters.CharFilter(field_name="enterprise__name", lookup_expr="icontains", label=_("企业名称"))

    class Meta:
        model = VisitTask
        fields = ["status", "q"]
