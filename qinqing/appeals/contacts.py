"""The contact person given at intake, as each reader may see it.

The enterprise's own users and whoever registered the appeal see it in full. FIC staff and the handling
departments see it masked, with a reveal (one POST, audited as ``appeals.reveal_contact``) so 首次联系 can
happen; FIC leaders see it masked; another enterprise reading a merge's master appeal sees it masked with
no reveal.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from qinqing.core import audit
from qinqing.registry.masking import masked_mobile

from . import workflow as wf
from .models import Appeal
from .permissions import REVEAL_CONTACT, is_foreign


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    masked: bool
    can_reveal: bool

    @property
    def empty(self) -> bool:
        return not (self.name or self.phone)


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: the family name stays so the person can be addressed."""
    name = (name or "").strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_phone(phone: str) -> str:
    phone = (phone or "").strip()
    if len(phone) == 11 and phone.isdigit():
        return masked_mobile(phone)
    if len(phone) <= 4:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 5) + phone[-2:]  # landlines, extensions


def sees_in_full(appeal: Appeal, user) -> bool:
    if user.role == wf.ENTERPRISE:
        return appeal.enterprise_id == user.enterprise_id
    return appeal.reported_by_id is not None and appeal.reported_by_id == user.pk


def may_reveal(appeal: Appeal, user) -> bool:
    """Staff and the handling departments (the page is already scoped to them) may reveal it."""
    return user.has_perm(REVEAL_CONTACT) and not is_foreign(user, appeal)


def shown_contact(appeal: Appeal, user) -> Contact:
    if sees_in_full(appeal, user):
        return Contact(appeal.contact_name, appeal.contact_phone, masked=False, can_reveal=False)
    return Contact(
        mask_name(appeal.contact_name),
        mask_phone(appeal.contact_phone),
        masked=True,
        can_reveal=may_reveal(appeal, user) and bool(appeal.contact_name or appeal.contact_phone),
    )


def reveal(appeal: Appeal, *, actor) -> Contact:
    """The full contact for one appeal; every reveal is an audit row (who, which appeal; not the number)."""
    if sees_in_full(appeal, actor):
        return shown_contact(appeal, actor)
    if not may_reveal(appeal, actor):
        raise wf.TransitionError(_("您无权查看该诉求的完整联系方式"))
    audit.record(
        "appeals.reveal_contact",
        obj=appeal,
        actor=actor,
        after={"fields": ["contact_name", "contact_phone"]},
        message=_("查看诉求 %(number)s 的联系人和联系电话") % {"number": appeal.number},
    )
    return Contact(appeal.contact_name, appeal.contact_phone, masked=False, can_reveal=False)
