"""Parties as a given reader may see them: names of persons and every phone, identity number and address
masked in lists, on the case page and in the API by default. Those who handle the case (the mediator, the
body's secretary, FIC staff of the subtree) may reveal them in full — one POST, audited as
``mediation.reveal_contacts`` (who, which case; not the values); others (leaders, an enterprise party reading the
other side) have no reveal."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from qinqing.appeals.contacts import mask_name, mask_phone
from qinqing.core import audit
from qinqing.registry.masking import masked_id

from .actions.common import MediationError
from .choices import PartyKind
from .permissions import sees_contacts


@dataclass(frozen=True)
class ShownParty:
    pk: int
    role: str
    kind: str
    name: str
    id_number: str
    phone: str
    address: str
    is_member: bool
    enterprise_id: int | None


def _mask_address(address: str) -> str:
    return address[:6] + "****" if len(address) > 6 else "*" * len(address)


def shown(party, *, full: bool) -> ShownParty:
    person = party.kind == PartyKind.PERSON
    if full:
        values = (party.name, party.id_number, party.phone, party.address)
    else:
        values = (
            mask_name(party.name) if person else party.name,
            masked_id(party.id_number) if person else party.id_number,
            mask_phone(party.phone),
            _mask_address(party.address),
        )
    return ShownParty(party.pk, party.get_role_display(), party.get_kind_display(), *values, party.is_member,
                      party.enterprise_id)  # fmt: skip


def list_label(parties) -> str:
    """One line for a list row: 申请人 张* 诉 某公司."""
    names = {"applicant": [], "respondent": []}
    for party in parties:
        names[party.role].append(mask_name(party.name) if party.kind == PartyKind.PERSON else party.name)
    return " / ".join(["、".join(names["applicant"]), "、".join(names["respondent"])])


def reveal(case, *, actor) -> list[ShownParty]:
    """Every party of one case in full, for a reader who handles it; each reveal is an audit row."""
    if not sees_contacts(actor, case):
        raise MediationError(_("您无权查看该案件当事人的完整联系方式"))
    parties = list(case.parties.select_related("enterprise"))
    audit.record(
        "mediation.reveal_contacts",
        obj=case,
        actor=actor,
        object_repr=case.number,
        after={"fields": ["name", "id_number", "phone", "address"], "parties": [p.pk for p in parties]},
        message=_("查看调解案件 %(number)s 当事人的完整信息") % {"number": case.number},
    )
    return [shown(p, full=True) for p in parties]
