"""Policy entries in the side navigation (group 政策) and home-page cards."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinqing.core.home_versions import Counts
from qinqing.core.navigation import NavItem

GROUP = gettext_lazy("政策")
ITEMS = [
    NavItem(gettext_lazy("政策超市"), "policies:list", "policies.view_policy", group=GROUP, order=40, mobile=True),
    NavItem(gettext_lazy("我的政策"), "policies:mine", "policies.view_my_policies", group=GROUP, order=41, mobile=True),
    NavItem(gettext_lazy("政策匹配"), "policies:matching", "policies.view_matching", group=GROUP, order=42),
    NavItem(gettext_lazy("政策统计"), "policies:figures", "policies.view_figures", group=GROUP, order=43),
    NavItem(gettext_lazy("检索同义词"), "policies:synonyms", "policies.manage_synonyms", group=GROUP, order=44),
]


# What the cards count (qinqing.core.home): policies in force, pushes, and what makes an enterprise eligible.
HOME_CARDS_COUNT = (
    Counts("policies.Policy"),
    Counts("policies.PolicyPush"),
    Counts("registry.Enterprise"),
    Counts("registry.EnterpriseYearFigures"),
    Counts("registry.Member"),
)


def home_cards(user) -> list[dict]:
    """An enterprise: the policies it qualifies for now; staff: policies in effect and pushes in their scope."""
    from qinqing.eligibility import rules

    from . import matching
    from . import rollups as push_rollups
    from .permissions import scope_path

    cards = []
    if user.has_perm("policies.view_my_policies") and user.enterprise_id:
        from qinqing.eligibility.attributes import enterprise_attrs
        from qinqing.registry.models import Enterprise

        enterprise = Enterprise.objects.filter(pk=user.enterprise_id).first()
        if enterprise is not None:
            attrs = enterprise_attrs(enterprise)
            # The rule's value alone (explain() is eligible exactly when it is True): the card counts, it does not
            # put hundreds of policies into words (qq_prov_bench, 454 policies: 9-11 against 19-77 ms).
            eligible = sum(
                1
                for policy in matching.applicable_policies(enterprise.org_path).only("rule", "org_path")
                if enterprise.org_path.startswith(policy.org_path) and rules.evaluate(policy.rule, attrs) is True
            )
            cards.append({"label": _("符合条件的政策"), "value": eligible, "url": reverse("policies:mine")})
    if user.has_perm("policies.view_figures"):
        scope = scope_path(user)
        cards.append(
            {
                "label": _("生效中的政策"),
                "value": matching.applicable_policies(scope).count(),
                "url": reverse("policies:figures"),  # its 按状态 table shows the same 有效 count
            }
        )
        cards.append(
            {
                "label": _("已推送政策"),
                "value": push_rollups.totals(scope)["sent"],  # the rollup, not a count of the scope's pushes
                "url": reverse("policies:figures"),
            }
        )
    return cards
