"""Vocabulary of the programs: 万企兴万村 project kinds, donation forms, the listing pipeline's tiers, stages,
criteria, exchanges, boards and services."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartyKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    CHAMBER = "chamber", _("商会")


class ProjectKind(models.TextChoices):
    INDUSTRY = "industry", _("产业")
    EMPLOYMENT = "employment", _("就业")
    CONSUMPTION = "consumption", _("消费")
    CHARITY = "charity", _("公益")
    OTHER = "other", _("其他")


class DonationForm(models.TextChoices):
    CASH = "cash", _("现金")
    IN_KIND = "in_kind", _("物资")


class Tier(models.TextChoices):
    GOLD = "gold", _("金种子")
    SILVER = "silver", _("银种子")


class ListingStage(models.TextChoices):
    """The listing pipeline, in order; a candidate moves one stage at a time."""

    RESERVE = "reserve", _("储备")
    CULTIVATE = "cultivate", _("培育")
    TUTOR = "tutor", _("辅导")
    APPLY = "apply", _("申报")
    LISTED = "listed", _("上市")


STAGE_ORDER = list(ListingStage.values)


class Criterion(models.TextChoices):
    """What put an enterprise on the 金种子/银种子 list (recorded per candidate; the note says the figures)."""

    REVENUE = "revenue", _("营业收入达到标准")
    PROFIT = "profit", _("净利润达到标准")
    GROWTH = "growth", _("近三年复合增长率达到标准")
    RD = "rd", _("研发投入占比达到标准")
    SPECIALISED = "specialised", _("专精特新企业")
    HIGH_TECH = "high_tech", _("高新技术企业")
    SHAREHOLDING = "shareholding", _("已完成股份制改造")
    COMPLIANT = "compliant", _("近三年无重大违法违规")


class Exchange(models.TextChoices):
    SSE = "sse", _("上海证券交易所")
    SZSE = "szse", _("深圳证券交易所")
    BSE = "bse", _("北京证券交易所")
    HKEX = "hkex", _("香港联合交易所")
    OVERSEAS = "overseas", _("其他境外交易所")


class Board(models.TextChoices):
    MAIN = "main", _("主板")
    STAR = "star", _("科创板")
    CHINEXT = "chinext", _("创业板")
    BSE = "bse", _("北交所")
    HK_MAIN = "hk_main", _("港股主板")
    OTHER = "other", _("其他")


# Which boards each exchange runs (a listing names a pair that exists).
BOARDS_OF = {
    Exchange.SSE: {Board.MAIN, Board.STAR},
    Exchange.SZSE: {Board.MAIN, Board.CHINEXT},
    Exchange.BSE: {Board.BSE},
    Exchange.HKEX: {Board.HK_MAIN, Board.OTHER},
    Exchange.OVERSEAS: {Board.MAIN, Board.OTHER},
}


class ServiceKind(models.TextChoices):
    POLICY = "policy", _("政策辅导")
    FINANCING = "financing", _("融资对接")
    INTERMEDIARY = "intermediary", _("中介机构对接")
    COORDINATION = "coordination", _("协调解决问题")
    TRAINING = "training", _("培训")
    OTHER = "other", _("其他")
