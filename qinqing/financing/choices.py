"""Vocabulary of financing: purposes, guarantees, list states, referral stages, whitelist criteria."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    WORKING = "working", _("流动资金")
    EXPANSION = "expansion", _("扩大生产")
    EQUIPMENT = "equipment", _("设备购置")
    RD = "rd", _("研发投入")
    STOCK = "stock", _("备货采购")
    OTHER = "other", _("其他")


class Guarantee(models.TextChoices):
    CREDIT = "credit", _("信用")
    SURETY = "surety", _("保证")
    MORTGAGE = "mortgage", _("抵押")
    PLEDGE = "pledge", _("质押")
    GOVERNMENT = "government", _("政府性融资担保")


class Source(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业填报")
    VISIT = "visit", _("走访收集")
    IMPORT = "import", _("表格导入")
    CHAMBER = "chamber", _("商会推荐")


class ListState(models.TextChoices):
    """The 金发〔2024〕32号 lists: stated → 申报清单 (first screen) → 推荐清单 (after review), or screened out."""

    STATED = "stated", _("已提出")
    DECLARED = "declared", _("申报清单")
    RECOMMENDED = "recommended", _("推荐清单")
    SCREENED_OUT = "screened_out", _("未通过筛查")
    WITHDRAWN = "withdrawn", _("已撤回")


class Stage(models.TextChoices):
    """A referral's stage at one bank, in order; REFUSED ends it."""

    PUSHED = "pushed", _("已推送")
    CONTACTED = "contacted", _("已对接")
    INTENDED = "intended", _("有意向")
    CREDITED = "credited", _("已授信")
    LENT = "lent", _("已放款")
    REFUSED = "refused", _("未获贷")


STAGE_ORDER = [Stage.PUSHED, Stage.CONTACTED, Stage.INTENDED, Stage.CREDITED, Stage.LENT]


class FixStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    APPEALED = "appealed", _("已转诉求")
    FIXED = "fixed", _("已整改")


class BatchKind(models.TextChoices):
    LIST = "list", _("推荐清单推送")
    CHAMBER = "chamber", _("整会授信推荐")


class Criterion(models.TextChoices):
    """The five whitelist criteria of 金发〔2024〕32号."""

    OPERATING = "operating", _("合规持续经营满12个月")
    PREMISES = "premises", _("有固定经营场所")
    GENUINE = "genuine", _("有真实融资需求")
    CREDIT = "credit", _("信用状况良好")
    USE = "use", _("贷款用途合法合规")


# The criteria the registry can decide (others are attested by the screener).
REGISTRY_CRITERIA = (Criterion.OPERATING, Criterion.PREMISES)
