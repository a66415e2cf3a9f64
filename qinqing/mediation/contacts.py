"""Parties as a given reader may see them: names of persons and every phone, identity number and address
masked in lists and for readers who do not handle the case (leaders, an enterprise party); in full for the
mediator, the body's secretary and FIC staff on the case page."""

from __future__ import annotations

from dataclasses import dataclass

from qinqing.appeals.contacts import mask_name, mask_phone
from qinqing.registry.masking import masked_id

from .choices import PartyKind


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
