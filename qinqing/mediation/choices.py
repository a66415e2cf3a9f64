"""Vocabulary of chamber mediation (商会调解, 法〔2019〕11号): bodies, case sources and types, parties, states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BodyKind(models.TextChoices):
    COMMITTEE = "committee", _("商会调解委员会")
    CENTRE = "centre", _("工商联调解中心")


class Source(models.TextChoices):
    APPLICATION = "application", _("当事人申请")
    COURT_PRE = "court_pre", _("法院委派（诉前）")
    COURT_IN = "court_in", _("法院委托（诉中）")
    DEPARTMENT = "department", _("人社等部门移送")
    OTHER = "other", _("其他")


COURT_SOURCES = (Source.COURT_PRE, Source.COURT_IN)


class CaseType(models.TextChoices):
    LABOUR = "labour", _("劳动争议")
    LOAN = "loan", _("借贷")
    SALE = "sale", _("买卖/货款")
    LEASE = "lease", _("租赁")
    PARTNERSHIP = "partnership", _("合伙/股权")
    QUALITY = "quality", _("产品质量")
    IP = "ip", _("知识产权")
    OTHER = "other", _("其他")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")


class PartyKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")


class Status(models.TextChoices):
    """A case's state; every state but OPEN ends the mediation."""

    OPEN = "open", _("调解中")
    SETTLED = "settled", _("调解成功")
    FAILED = "failed", _("调解不成")
    WITHDRAWN = "withdrawn", _("撤回")
    RETURNED = "returned", _("超期退回法院")


CLOSED = (Status.SETTLED, Status.FAILED, Status.WITHDRAWN, Status.RETURNED)
# Mediated to an end (the settlement rate's denominator): a withdrawal was never mediated to a result.
CONCLUDED = (Status.SETTLED, Status.FAILED, Status.RETURNED)


class Confirmation(models.TextChoices):
    """申请司法确认 after a successful mediation, and the court's ruling."""

    NONE = "", _("未申请")
    REQUESTED = "requested", _("已申请，待法院裁定")
    CONFIRMED = "confirmed", _("裁定确认有效")
    REJECTED = "rejected", _("裁定驳回申请")


class FailedNext(models.TextChoices):
    NONE = "", _("未定")
    LITIGATION = "litigation", _("转诉讼/立案")
    OTHER = "other", _("当事人另行处理")


class SessionMode(models.TextChoices):
    ONSITE = "onsite", _("现场")
    ONLINE = "online", _("线上")
