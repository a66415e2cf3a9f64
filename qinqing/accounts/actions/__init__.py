"""The only code that writes accounts: create, edit, passwords, enable/disable, unlock, API tokens,
account requests (two-person rule) and the TOTP second factor.

``actor=None`` means the platform itself (a management command, the demo seeder, a test fixture);
every other caller passes the signed-in administrator, whose right and scope are checked here so the
pages, the API and scripts behave the same.
"""

from .common import AUDITED_FIELDS, EDITABLE_FIELDS, token_digest
from .requests import approve_request, cancel_request, propose_account, propose_change, reject_request
from .second_factor import disable_totp, enable_totp, has_totp, regenerate_recovery_codes, verify_second_factor
from .users import (
    IssuedToken,
    change_password,
    create_user,
    issue_api_token,
    new_one_time_password,
    reset_password,
    revoke_api_tokens,
    set_active,
    unlock_user,
    update_user,
)

__all__ = [
    "AUDITED_FIELDS",
    "EDITABLE_FIELDS",
    "IssuedToken",
    "approve_request",
    "cancel_request",
    "change_password",
    "create_user",
    "disable_totp",
    "enable_totp",
    "has_totp",
    "issue_api_token",
    "new_one_time_password",
    "propose_account",
    "propose_change",
    "regenerate_recovery_codes",
    "reject_request",
    "reset_password",
    "revoke_api_tokens",
    "set_active",
    "token_digest",
    "unlock_user",
    "update_user",
    "verify_second_factor",
]
