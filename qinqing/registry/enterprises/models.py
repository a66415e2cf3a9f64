"""Enterprises, their yearly figures and contact persons."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from qinqing.core.crypto.fields import BlindIndexField, EncryptedCharField, SealedFieldsModel
from qinqing.core.models import TimeStampedModel
from qinqing.core.rollups import RolledUpModel

from ..choices import Qualification, SizeClass


class Enterprise(RolledUpModel, SealedFieldsModel, TimeStampedModel):
    """A private enterprise, identified by its 统一社会信用代码, under the FIC node of its region.

    ``size_class`` is computed from industry, employees, revenue and assets (统计上大中小微型企业划分办法
    2017) and stored so lists and policy matching can filter on it; actions recompute it on every change.
    ``qualifications`` holds Qualification codes joined by commas ("high_tech,srdi"), readable in bulk
    with ``values_list`` and filterable with ``__contains`` on SQLite and PostgreSQL alike.
    """

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("企业名称"), max_length=200, db_index=True)
    fic = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属工商联"), on_delete=models.PROTECT, related_name="enterprises"
    )
    # Copy of fic.path so scope filters need no join on 3 million rows.
    org_path = models.CharField(_("组织路径"), max_length=255, db_index=True)
    region_code = models.CharField(_("行政区划代码"), max_length=6, blank=True)
    industry_code = models.CharField(_("行业代码"), max_length=5, blank=True, db_index=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    # Personal numbers are sealed with SM4 at rest (qinqing.core.crypto); *_bidx finds them by value. The
    # enterprise's blind indexes carry no database index: nothing looks an enterprise up by them on a hot
    # path (the import compares them row by row), and two random-keyed indexes cost the import ~15%.
    legal_rep_id_number = EncryptedCharField(
        _("法定代表人身份证号"), max_length=18, blank=True, blind_index="legal_rep_id_number_bidx"
    )
    legal_rep_id_number_bidx = BlindIndexField(source="legal_rep_id_number")
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("从业人员"), null=True, blank=True)
    revenue_wan = models.DecimalField(_("营业收入（万元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    total_assets_wan = models.DecimalField(
        _("资产总额（万元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    size_class = models.CharField(_("企业规模"), max_length=4, choices=SizeClass.choices, blank=True, db_index=True)
    qualifications = models.CharField(_("资质"), max_length=200, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_mobile = EncryptedCharField(_("联系人手机"), max_length=11, blank=True, blind_index="contact_mobile_bidx")
    contact_mobile_bidx = BlindIndexField(source="contact_mobile")
    # Exclusions from the N强 rankings (DOMAIN.md §8): firms with serious credit failures, and firms not
    # privately controlled, are left out and counted in the list's note.
    serious_dishonesty = models.BooleanField(_("严重失信"), default=False, db_default=False)
    non_private_controlled = models.BooleanField(_("非民营控股"), default=False, db_default=False)
    # 临时登记: registered from an appeal intake before the enterprise was in the registry (placeholder
    # credit code "LS…"); the registry completes it with the real code or merges it into the real record
    # (qinqing.registry.provisional).
    is_provisional = models.BooleanField(_("临时登记"), default=False, db_default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        # A county's list in name order straight from the index (visible_enterprises: org_path = the FIC's path);
        # without it PostgreSQL walks the name index past the other counties' rows (2.1 s at 3 M enterprises).
        indexes = [models.Index(fields=["org_path", "name"], name="enterprise_scope_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def qualification_codes(self) -> list[str]:
        return [code for code in self.qualifications.split(",") if code]

    @property
    def qualification_labels(self) -> list[str]:
        labels = dict(Qualification.choices)
        return [str(labels.get(code, code)) for code in self.qualification_codes]


class EnterpriseYearFigures(TimeStampedModel):
    """One enterprise's figures for one year; a new year adds a row, it never overwrites the last."""

    # No index of its own: the unique (enterprise, year) below leads with it and answers every lookup by enterprise
    # (its figures, the cascade of its deletion, the foreign key's checks). Migration registry/0015 (core.schema_ops).
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="year_figures", db_index=False
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    revenue_wan = models.DecimalField(_("营业收入（万元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    tax_wan = models.DecimalField(_("纳税额（万元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    rd_spend_wan = models.DecimalField(_("研发投入（万元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    employees = models.PositiveIntegerField(_("从业人员"), null=True, blank=True)
    total_assets_wan = models.DecimalField(
        _("资产总额（万元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["enterprise", "-year"]
        verbose_name = _("企业年度数据")
        verbose_name_plural = _("企业年度数据")
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="registry_figures_one_per_year")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"


class EnterpriseContact(SealedFieldsModel, TimeStampedModel):
    """A contact person. ID and mobile numbers are shown masked unless the viewer holds registry.view_pii."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    mobile = EncryptedCharField(_("手机号码"), max_length=11, blank=True, blind_index="mobile_bidx")
    id_number = EncryptedCharField(_("身份证号"), max_length=18, blank=True, blind_index="id_number_bidx")
    mobile_bidx = BlindIndexField(source="mobile")
    id_number_bidx = BlindIndexField(source="id_number")

    class Meta:
        ordering = ["enterprise", "id"]
        verbose_name = _("企业联系人")
        verbose_name_plural = _("企业联系人")
        indexes = [models.Index(fields=["mobile_bidx"]), models.Index(fields=["id_number_bidx"])]

    def __str__(self) -> str:
        return self.name
