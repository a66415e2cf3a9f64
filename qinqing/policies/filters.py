"""One filter definition for the policy list page, the API and exports."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qinqing.orgs.models import Organization

from .choices import ApplicationMethod, BenefitType, Level, Status
from .models import Policy, status_q


def departments_in_scope(user):
    """Departments whose policies concern the user: those of the user's FIC node, of the FICs above it (their
    policies apply here) and of the FICs below it. Nothing for a user outside the tree."""
    org = getattr(user, "org", None) if user is not None and user.is_authenticated else None
    if org is None:
        return Organization.objects.none()
    fic = org.fic()
    parts = [p for p in fic.path.split("/") if p]
    above = ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts))]
    in_tree = Q(path__startswith=fic.path) | Q(parent__path__in=above)
    return Organization.objects.filter(in_tree, kind="department").order_by("path", "name")


class PolicyFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("层级"), choices=Level.choices)
    benefit_type = django_filters.ChoiceFilter(label=_("扶持类型"), choices=BenefitType.choices)
    application_method = django_filters.ChoiceFilter(label=_("兑现方式"), choices=ApplicationMethod.choices)
    issuer = django_filters.ModelChoiceFilter(
        label=_("发布部门"), queryset=Organization.objects.filter(kind="department"), empty_label=_("全部部门")
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Status.choices, method="filter_status")
    published_from = django_filters.DateFilter(label=_("发布日期自"), field_name="published_on", lookup_expr="gte")
    published_to = django_filters.DateFilter(label=_("发布日期至"), field_name="published_on", lookup_expr="lte")

    class Meta:
        model = Policy
        fields = ["level", "benefit_type", "application_method", "issuer", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["issuer"].queryset = departments_in_scope(user)

    # Filters applied without the form when their value is one of their choices (the form would accept it as is).
    PLAIN_CHOICES = ("level", "benefit_type", "application_method", "status")

    @property
    def qs(self):
        # Most searches set no list filter, or only choice filters with valid values: then the result is the
        # queryset through those filters' own filter methods, and building and validating the form (a new form
        # class per request, in django-filter) is skipped; the page's form is still built when rendered.
        # Anything else (another filter, an invalid or repeated value) goes through the form as before.
        if not hasattr(self, "_qs") and self.is_bound:
            queryset = self.plain_queryset(self.data, self.queryset)
            if queryset is not None:
                self._qs = queryset
        return super().qs

    @classmethod
    def plain_queryset(cls, data, queryset):
        """``queryset`` through the list filters set in ``data`` when each is a valid choice given once (or none is
        set), else None (the form must decide). Without an instance: a FilterSet deep-copies all its filters when
        it is made (~0.3 ms of a search; issue 17), and a search's partial page renders no form."""
        chosen = cls._plain_choices(data)
        if chosen is None:
            return None
        queryset = queryset.all()
        for name, value in chosen.items():
            filter_ = cls.base_filters[name]
            if filter_.method:
                queryset = getattr(cls, filter_.method)(queryset, filter_.field_name, value)
            else:
                queryset = filter_.filter(queryset, value)
        return queryset

    @classmethod
    def _plain_choices(cls, data) -> dict[str, str] | None:
        """The filters set, each a valid choice given once; None when any other value is set."""
        getlist = getattr(data, "getlist", None)
        chosen = {}
        for name, filter_ in cls.base_filters.items():
            values = [v for v in (getlist(name) if getlist is not None else [data.get(name)]) if v is not None]
            if not any(value != "" for value in values):
                continue
            if name not in cls.PLAIN_CHOICES or len(values) != 1:
                return None
            if values[0] not in {str(value) for value, _label in filter_.extra["choices"]}:
                return None
            chosen[name] = values[0]
        return chosen

    @staticmethod
    def filter_status(queryset, name, value):
        return queryset.filter(status_q(value, timezone.localdate())) if value else queryset
