"""One filter for the user list, shared by the page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qinqing.core.roles import Role

from .models import User


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("账号或姓名"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("角色"), empty_label=_("全部角色"))
    org = django_filters.NumberFilter(method="in_org", label=_("组织（含下级）"))
    is_active = django_filters.BooleanFilter(label=_("状态"))

    class Meta:
        model = User
        fields = ["q", "role", "org", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(username__icontains=value) | Q(name__icontains=value))

    def in_org(self, queryset, name, value):
        # The caller's queryset is already scoped; this narrows it to one node and its subtree.
        from qinqing.orgs.models import Organization

        path = Organization.objects.filter(pk=value).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(org__path__startswith=path)
