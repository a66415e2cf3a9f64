"""Attendees' personal data as a given user may see it: the enterprise itself sees its own people in full;
staff, leaders and secretaries see names and phone numbers masked (as appeals' contacts are)."""

from qinqing.appeals.contacts import mask_name, mask_phone
from qinqing.core.roles import Role


def _own(registration, user) -> bool:
    return user.role == Role.ENTERPRISE and user.enterprise_id == registration.enterprise_id


def shown_name(registration, user) -> str:
    return registration.attendee_name if _own(registration, user) else mask_name(registration.attendee_name)


def shown_phone(registration, user) -> str:
    return registration.attendee_phone if _own(registration, user) else mask_phone(registration.attendee_phone)
