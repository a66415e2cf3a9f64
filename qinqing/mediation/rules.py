"""Pure rules of a mediation case: deadlines and the order of outcomes. No ORM, plain values in and out.

Each check returns nothing or raises ``RuleError(field, message)`` with a Chinese message naming the field;
the actions turn it into a ValidationError (a wrong value, 400) or a refusal (a step out of order, 409).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .choices import CLOSED, COURT_SOURCES, Confirmation, Source, Status


@dataclass
class RuleError(Exception):
    field: str
    message: str
    out_of_order: bool = False  # a step the case's state does not allow now (409), not a wrong value (400)

    def __str__(self) -> str:
        return self.message


def default_deadline(source: str, start: dt.date, *, court_days: int, other_days: int) -> dt.date:
    """The deadline a case gets when none is given: the court's default for referred cases, else the setting."""
    days = court_days if source in COURT_SOURCES else other_days
    return start + dt.timedelta(days=days)


def check_registration(data: dict, *, today: dt.date) -> None:
    """The fields of a new case that depend on each other (court referral, dates, amount)."""
    source = data.get("source")
    received = data["received_on"]
    if received > today:
        raise RuleError("received_on", _("受理日期不能晚于今天"))
    amount = data.get("amount")
    if amount is not None and amount < 0:
        raise RuleError("amount", _("争议金额不能为负数"))
    if source in COURT_SOURCES:
        if not (data.get("court_name") or "").strip():
            raise RuleError("court_name", _("法院委派或委托的案件须填写法院名称"))
        if not (data.get("court_case_number") or "").strip():
            raise RuleError("court_case_number", _("法院委派或委托的案件须填写法院案号"))
        referred = data.get("referred_on")
        if referred is None:
            raise RuleError("referred_on", _("法院委派或委托的案件须填写委派/委托日期"))
        if referred > today:
            raise RuleError("referred_on", _("委派/委托日期不能晚于今天"))
        if received < referred:
            raise RuleError("received_on", _("受理日期不能早于委派/委托日期 %(day)s") % {"day": referred})
        deadline = data.get("deadline")
        if deadline is not None and deadline < referred:
            raise RuleError("deadline", _("法院确定的调解期限不能早于委派/委托日期 %(day)s") % {"day": referred})
    elif source == Source.DEPARTMENT and not (data.get("referred_by") or "").strip():
        raise RuleError("referred_by", _("部门移送的案件须填写移送部门"))
    deadline = data.get("deadline")
    if deadline is not None and deadline < received:
        raise RuleError("deadline", _("调解期限不能早于受理日期 %(day)s") % {"day": received})


def check_open(status: str) -> None:
    if status in CLOSED:
        raise RuleError("status", _("案件已%(status)s，不能再登记") % {"status": Status(status).label}, True)


def check_close(*, status: str, source: str, received_on: dt.date, on: dt.date, today: dt.date, outcome: str,
                deadline: dt.date) -> None:  # fmt: skip
    """Closing an open case on a day with an outcome."""
    check_open(status)
    if on < received_on:
        raise RuleError("closed_on", _("结案日期不能早于受理日期 %(day)s") % {"day": received_on})
    if on > today:
        raise RuleError("closed_on", _("结案日期不能晚于今天"))
    if outcome == Status.RETURNED:
        if source not in COURT_SOURCES:
            raise RuleError("status", _("只有法院委派或委托的案件才能超期退回法院"), True)
        if on <= deadline:
            raise RuleError("closed_on", _("调解期限 %(day)s 未届满，不能超期退回法院") % {"day": deadline}, True)


def check_extension(*, status: str, source: str, deadline: dt.date, new_deadline: dt.date, consent_on: dt.date,
                    referred_on: dt.date | None, consent_ref: str, today: dt.date) -> None:  # fmt: skip
    check_open(status)
    if source not in COURT_SOURCES:
        raise RuleError("new_deadline", _("只有法院委派或委托的案件需经法院同意延长期限"), True)
    if not consent_ref.strip():
        raise RuleError("consent_ref", _("请填写法院同意延长的依据（如函号或联系记录）"))
    if new_deadline <= deadline:
        raise RuleError("new_deadline", _("延长后的期限须晚于当前期限 %(day)s") % {"day": deadline})
    if consent_on > today:
        raise RuleError("consent_on", _("法院同意日期不能晚于今天"))
    if referred_on and consent_on < referred_on:
        raise RuleError("consent_on", _("法院同意日期不能早于委派/委托日期 %(day)s") % {"day": referred_on})


def check_request_confirmation(*, status: str, confirmation: str, closed_on: dt.date | None, on: dt.date,
                               today: dt.date) -> None:  # fmt: skip
    """申请司法确认: only after 调解成功, once."""
    if status != Status.SETTLED:
        raise RuleError("confirmation", _("只有调解成功的案件才能申请司法确认"), True)
    if confirmation:
        raise RuleError("confirmation", _("已申请过司法确认"), True)
    if closed_on and on < closed_on:
        raise RuleError("confirmation_requested_on", _("申请日期不能早于调解成功日期 %(day)s") % {"day": closed_on})
    if on > today:
        raise RuleError("confirmation_requested_on", _("申请日期不能晚于今天"))


def check_confirmation_result(*, status: str, confirmation: str, requested_on: dt.date | None, result: str,
                              on: dt.date, today: dt.date) -> None:  # fmt: skip
    if status != Status.SETTLED:
        raise RuleError("confirmation", _("只有调解成功的案件才有司法确认结果"), True)
    if confirmation != Confirmation.REQUESTED:
        raise RuleError("confirmation", _("须先申请司法确认，才能登记法院的裁定结果"), True)
    if result not in (Confirmation.CONFIRMED, Confirmation.REJECTED):
        raise RuleError("result", _("请选择法院的裁定结果（确认有效或驳回申请）"))
    if requested_on and on < requested_on:
        raise RuleError("confirmation_on", _("裁定日期不能早于申请日期 %(day)s") % {"day": requested_on})
    if on > today:
        raise RuleError("confirmation_on", _("裁定日期不能晚于今天"))


def check_lawsuit(*, status: str) -> None:
    if status != Status.FAILED:
        raise RuleError("lawsuit_case_number", _("只有调解不成的案件才能登记立案案号"), True)


def is_overdue(*, status: str, deadline: dt.date, today: dt.date) -> bool:
    return status == Status.OPEN and deadline < today


def days_taken(received_on: dt.date, closed_on: dt.date) -> int:
    return max((closed_on - received_on).days, 0)


def check_record(rec: dict, *, today: dt.date) -> None:
    """A whole case as another system states it (an exchange file): its outcome fields must agree with each
    other in the order a case goes through (the same order the actions enforce step by step)."""
    status = rec.get("status") or Status.OPEN
    closed_on = rec.get("closed_on")
    if rec.get("confirmation") and status != Status.SETTLED:
        raise RuleError("confirmation", _("只有调解成功的案件才能申请司法确认"))
    if rec.get("lawsuit_case_number") and status != Status.FAILED:
        raise RuleError("lawsuit_case_number", _("只有调解不成的案件才能登记立案案号"))
    if status == Status.OPEN:
        if closed_on or rec.get("agreement_text"):
            raise RuleError("status", _("调解中的案件不能有结案日期或调解协议"))
        return
    if closed_on is None:
        raise RuleError("closed_on", _("已结案的案件须有结案日期"))
    if closed_on < rec["received_on"]:
        raise RuleError("closed_on", _("结案日期不能早于受理日期 %(day)s") % {"day": rec["received_on"]})
    if closed_on > today:
        raise RuleError("closed_on", _("结案日期不能晚于今天"))
    confirmation = rec.get("confirmation") or ""
    if status == Status.SETTLED and not rec.get("agreement_text"):
        raise RuleError("agreement_text", _("调解成功的案件须有调解协议内容"))
    if confirmation:
        requested = rec.get("confirmation_requested_on")
        if requested is None:
            raise RuleError("confirmation_requested_on", _("已申请司法确认的案件须有申请日期"))
        if requested < closed_on:
            raise RuleError("confirmation_requested_on", _("申请日期不能早于调解成功日期 %(day)s") % {"day": closed_on})
        ruled = rec.get("confirmation_on")
        if confirmation == Confirmation.REQUESTED and ruled:
            raise RuleError("confirmation_on", _("尚待法院裁定的案件不能有裁定日期"))
        if confirmation in (Confirmation.CONFIRMED, Confirmation.REJECTED):
            if ruled is None:
                raise RuleError("confirmation_on", _("已有裁定结果的案件须有裁定日期"))
            if ruled < requested:
                raise RuleError("confirmation_on", _("裁定日期不能早于申请日期 %(day)s") % {"day": requested})
    if status == Status.RETURNED and rec.get("source") not in COURT_SOURCES:
        raise RuleError("status", _("只有法院委派或委托的案件才能超期退回法院"))
