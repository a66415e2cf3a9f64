from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    FIC = "fic", _("工商联")
    CHAMBER = "chamber", _("商会")
    DEPARTMENT = "department", _("承办单位")
    BANK = "bank", _("金融机构")
    LAWFIRM = "lawfirm", _("律师事务所")


class FicLevel(models.IntegerChoices):
    NATIONAL = 0, _("全国")
    PROVINCE = 1, _("省级")
    CITY = 2, _("市级")
    COUNTY = 3, _("县级")


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("省级")
    CITY = 2, _("地级")
    COUNTY = 3, _("县级")
