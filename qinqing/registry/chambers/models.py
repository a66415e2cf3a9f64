"""Chambers of commerce: details beside their orgs.Organization node, terms, ratings, branches."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qinqing.core.models import TimeStampedModel
from qinqing.core.rollups import RolledUpModel

from ..choices import ChamberType, PartyOrgType, RatingScheme, RegistrationStatus


class Chamber(RolledUpModel, TimeStampedModel):
    """The registry's record of a chamber (商会); the organisation row carries name, code and tree place."""

    organization = models.OneToOneField(
        "orgs.Organization",
        verbose_name=_("商会组织"),
        on_delete=models.PROTECT,
        related_name="chamber",
        limit_choices_to={"kind": "chamber"},
    )
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    chamber_type = models.CharField(_("商会类型"), max_length=16, choices=ChamberType.choices, db_index=True)
    registration_status = models.CharField(
        _("登记状态"), max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    registered_on = models.DateField(_("登记日期"), null=True, blank=True)
    party_org_established = models.BooleanField(_("已建立党组织"), default=False)
    party_members = models.PositiveIntegerField(_("党员人数"), default=0)
    party_org_type = models.CharField(
        _("党组织类型"),
        max_length=12,
        choices=PartyOrgType.choices,
        blank=True,
        db_default="",
        help_text=_("独立、联合、功能型或无"),
    )
    party_liaison = models.CharField(_("党建联络员"), max_length=50, blank=True, db_default="")
    has_mediation_committee = models.BooleanField(_("设立调解委员会"), default=False)
    law_firm = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("联系律师事务所"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linked_chambers",
        limit_choices_to={"kind": "lawfirm"},
    )
    term_ends_on = models.DateField(_("本届任期届满"), null=True, blank=True, db_index=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        ordering = ["org_path"]
        verbose_name = _("商会")
        verbose_name_plural = _("商会")

    def __str__(self) -> str:
        return self.organization.name


class ChamberTerm(TimeStampedModel):
    """One leadership term (届); the latest term's end date drives the 换届 reminder."""

    chamber = models.ForeignKey(Chamber, verbose_name=_("商会"), on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField(_("届次"))
    starts_on = models.DateField(_("任期开始"))
    ends_on = models.DateField(_("任期届满"))
    president = models.CharField(_("会长"), max_length=50, blank=True)
    secretary_general = models.CharField(_("秘书长"), max_length=50, blank=True)

    class Meta:
        ordering = ["chamber", "-number"]
        verbose_name = _("商会届次")
        verbose_name_plural = _("商会届次")
        constraints = [models.UniqueConstraint(fields=["chamber", "number"], name="registry_term_number_once")]

    def __str__(self) -> str:
        return gettext("第%(number)s届") % {"number": self.number}


class ChamberRating(TimeStampedModel):
    """A rating a chamber received: 四好商会 at some level, or the FIC's own 五好, in a year."""

    chamber = models.ForeignKey(Chamber, verbose_name=_("商会"), on_delete=models.CASCADE, related_name="ratings")
    scheme = models.CharField(_("评定"), max_length=24, choices=RatingScheme.choices)
    year = models.PositiveSmallIntegerField(_("年度"))

    class Meta:
        ordering = ["chamber", "-year", "scheme"]
        verbose_name = _("商会评定")
        verbose_name_plural = _("商会评定")
        constraints = [models.UniqueConstraint(fields=["chamber", "scheme", "year"], name="registry_rating_once")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_scheme_display()}"


class ChamberBranch(TimeStampedModel):
    """A branch (联络站) of a chamber, often in another city."""

    chamber = models.ForeignKey(Chamber, verbose_name=_("商会"), on_delete=models.CASCADE, related_name="branches")
    name = models.CharField(_("名称"), max_length=100)
    region_code = models.CharField(_("所在行政区划"), max_length=6, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    established_on = models.DateField(_("设立日期"), null=True, blank=True)

    class Meta:
        ordering = ["chamber", "name"]
        verbose_name = _("商会联络站")
        verbose_name_plural = _("商会联络站")

    def __str__(self) -> str:
        return self.name
