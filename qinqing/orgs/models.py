"""The organisation tree: GB/T 2260 regions, and FIC nodes with the organisations attached to them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from qinqing.core.models import TimeStampedModel

from .choices import FicLevel, OrgKind, RegionLevel


class Region(models.Model):
    """One GB/T 2260 administrative division code for a span of years (abolished codes are kept)."""

    code = models.CharField(_("区划代码"), max_length=6, db_index=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.PositiveSmallIntegerField(_("级别"), choices=RegionLevel.choices)
    parent_code = models.CharField(_("上级代码"), max_length=6, blank=True)
    valid_from = models.PositiveSmallIntegerField(_("启用年份"), null=True, blank=True)
    valid_to = models.PositiveSmallIntegerField(_("停用年份"), null=True, blank=True)

    class Meta:
        ordering = ["code", "valid_from"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="region_code_from_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def current(self) -> bool:
        return self.valid_to is None


class Organization(TimeStampedModel):
    """A node of the deployment's tree: an FIC, or a chamber, department, bank or law firm under one.

    ``path`` is the chain of codes from the root ("/430000/430600/430621/"); a user's data scope is
    every row whose path starts with their organisation's path.
    """

    kind = models.CharField(_("类别"), max_length=16, choices=OrgKind.choices, db_index=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    code = models.CharField(_("编码"), max_length=20, unique=True)
    fic_level = models.PositiveSmallIntegerField(_("工商联层级"), choices=FicLevel.choices, null=True, blank=True)
    region_code = models.CharField(_("行政区划代码"), max_length=6, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("路径"), max_length=255, unique=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        indexes = [models.Index(fields=["kind", "path"])]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def fic(self) -> "Organization":
        """The FIC node this organisation belongs to (itself for an FIC)."""
        node = self
        while node.kind != OrgKind.FIC and node.parent_id:
            node = node.parent
        return node

    def is_within(self, other: "Organization") -> bool:
        return self.path.startswith(other.path)
