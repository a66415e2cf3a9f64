"""One filter definition per list, shared by the pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import OrgKind, RegionLevel
from .models import Organization, Region


class OrganizationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=OrgKind.choices)
    parent = django_filters.NumberFilter(label=_("上级编号"), field_name="parent_id")
    q = django_filters.CharFilter(label=_("名称或区划代码"), method="search")

    class Meta:
        model = Organization
        fields = ["kind", "parent", "q"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(region_code__startswith=value)) if value else queryset


class RegionFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(label=_("区划代码（前缀）"), method="code_prefix")
    level = django_filters.TypedChoiceFilter(label=_("级别"), choices=RegionLevel.choices, coerce=int)
    parent_code = django_filters.CharFilter(label=_("上级代码"))
    current = django_filters.BooleanFilter(label=_("仅现行"), field_name="valid_to", lookup_expr="isnull")
    year = django_filters.NumberFilter(label=_("有效年份"), method="valid_in")

    class Meta:
        model = Region
        fields = ["code", "level", "parent_code", "current", "year"]

    def code_prefix(self, queryset, name, value):
        return queryset.filter(code__startswith=value.strip())

    def valid_in(self, queryset, name, value):
        year = int(value)
        return queryset.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=year)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=year)
        )
