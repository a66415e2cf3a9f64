"""Registry figures in the figure registry (qinqing.core.figures): members, chambers, ratings, enterprises.

Positions (会员数, 商会数) are counted at the period's end, as ``statistics`` counts them: a member is in
the register from its join day until its leave day; a chamber exists from its registration day (or always,
without one) unless cancelled. Flows (新发展会员, 退会, 新成立商会) count the days inside the period.
FIC members are the memberships of FIC nodes (chamber memberships are the chambers' own members).

Values come from the registry rollups (rollups.py: ``reading``), never from the enterprise, member or chamber
tables; the drill-down lists stay the records, and tests/test_rollups.py checks both give the same numbers.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qinqing.core.figures import Column, Figure, Rate, register
from qinqing.core.rollups import Reading

from .choices import ChamberType, MemberKind, RegistrationStatus
from .rollups import BY_YEAR


def _member_at_end(period) -> Q:
    return Q(joined_on__lte=period.end) & (Q(left_on__isnull=True) | Q(left_on__gt=period.end))


def _chamber_at_end(period) -> Q:
    return (Q(registered_on__isnull=True) | Q(registered_on__lte=period.end)) & ~Q(
        registration_status=RegistrationStatus.CANCELLED
    )


MEMBER_COLUMNS = (
    Column(_("入会组织"), "organization__name"),
    Column(_("会员类别"), "kind"),
    Column(_("企业名称"), "enterprise__name"),
    Column(_("团体会员单位名称"), "group_name"),
    Column(_("姓名/代表人"), "person_name"),
    Column(_("职务"), "role"),
    Column(_("入会日期"), "joined_on"),
    Column(_("退会日期"), "left_on"),
)
CHAMBER_COLUMNS = (
    Column(_("商会名称"), "organization__name"),
    Column(_("商会类型"), "chamber_type"),
    Column(_("登记状态"), "registration_status"),
    Column(_("登记日期"), "registered_on"),
    Column(_("已建立党组织"), "party_org_established"),
)


JOINS, LEAVES = "registry_member_joins", "registry_member_leaves"


def _member_reading(where, flow) -> Reading:
    keys = where or Q()  # every member condition here is on ``kind``, a key of the rollups
    if flow == "new":
        return Reading(((JOINS, "joined", 1),), keys)
    if flow == "left":
        return Reading(((LEAVES, "left", 1),), keys)
    return Reading(((JOINS, "opened", 1), (LEAVES, "closed", -1)), keys, stock=True, years=BY_YEAR)


def _chamber_reading(where, new) -> Reading:
    terms = (("registry_chambers", "chambers", 1),)
    if new:
        return Reading(terms, where or Q())
    existing = ~Q(registration_status=RegistrationStatus.CANCELLED) & (where or Q())
    return Reading(terms, existing, stock=True, years=BY_YEAR)


def _members(name, label, where=None, *, flow=None, description=""):
    date_field = {"new": "joined_on", "left": "left_on"}.get(flow)
    return Figure(
        key=f"registry.{name}",
        label=label,
        unit=_("个"),
        section="organisation",
        model="registry.Member",
        path_field="org_path",
        date_field=date_field,
        filters={"organization__kind": "fic"},
        where=(lambda p: _member_at_end(p) & (where or Q())) if flow is None else where,
        columns=MEMBER_COLUMNS,
        description=description,
        order_by=("-joined_on", "-pk"),
        reading=_member_reading(where, flow),
    )


def _chambers(name, label, where=None, *, new=False):
    return Figure(
        key=f"registry.{name}",
        label=label,
        unit=_("家"),
        section="organisation",
        model="registry.Chamber",
        path_field="org_path",
        date_field="registered_on" if new else None,
        where=(lambda p: _chamber_at_end(p) & (where or Q())) if not new else where,
        columns=CHAMBER_COLUMNS,
        reading=_chamber_reading(where, new),
    )


register(
    _members("members", _("工商联会员"), description=_("期末在册的工商联会员（不含商会自身的会员）")),
    _members("members_enterprise", _("企业会员"), Q(kind=MemberKind.ENTERPRISE)),
    _members("members_group", _("团体会员"), Q(kind=MemberKind.GROUP)),
    _members("members_individual", _("个人会员"), Q(kind=MemberKind.INDIVIDUAL)),
    _members("members_new", _("新发展会员"), flow="new"),
    _members("members_left", _("退会会员"), flow="left"),
    _chambers("chambers", _("所属商会")),
    _chambers("chambers_township", _("乡镇（街道）商会"), Q(chamber_type=ChamberType.TOWNSHIP)),
    _chambers("chambers_industry", _("行业商会"), Q(chamber_type=ChamberType.INDUSTRY)),
    _chambers("chambers_nonlocal", _("异地商会"), Q(chamber_type=ChamberType.NONLOCAL)),
    _chambers("chambers_registered", _("在民政部门登记的商会"), Q(registration_status=RegistrationStatus.REGISTERED)),
    _chambers("chambers_new", _("新成立商会"), new=True),
    _chambers("chambers_party", _("建立党组织的商会"), Q(party_org_established=True)),
    Rate("registry.party_rate", _("商会党组织组建率"), "organisation", "registry.chambers_party", "registry.chambers"),
    Figure(
        key="registry.ratings",
        label=_("获评“四好”商会等荣誉"),
        unit=_("家次"),
        section="organisation",
        model="registry.ChamberRating",
        path_field="chamber__org_path",
        records=None,
        where=lambda p: Q(year__gte=p.start.year, year__lte=p.end.year),
        columns=(
            Column(_("商会名称"), "chamber__organization__name"),
            Column(_("评定"), "scheme"),
            Column(_("年度"), "year"),
        ),
    ),
    Figure(
        key="registry.enterprises",
        label=_("在库民营企业"),
        unit=_("家"),
        section="organisation",
        model="registry.Enterprise",
        path_field="org_path",
        date_field="created_at",
        stock=True,
        columns=(
            Column(_("统一社会信用代码"), "credit_code"),
            Column(_("企业名称"), "name"),
            Column(_("行业代码"), "industry_code"),
            Column(_("企业规模"), "size_class"),
        ),
        order_by=("credit_code",),
        reading=Reading((("registry_enterprises", "enterprises", 1),), stock=True, years=BY_YEAR),
    ),
)
