"""TOTP second factor (RFC 6238, through pyotp) and recovery codes: pure logic, no ORM.

The QR code is drawn here by segno as inline SVG, so the secret never leaves the platform (no chart
service, no CDN). A code is accepted for the current 30-second step and one step either side (clock
drift); the caller stores the accepted step so the same code cannot be replayed.
"""

import hmac
import secrets
from datetime import datetime

import pyotp
import segno
from django.conf import settings

from qinqing.core.roles import ADMIN_ROLES

RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand


def new_secret() -> str:
    return pyotp.random_base32()


def required_for(role: str) -> bool:
    """The three administrators always; other roles when the deployment lists them."""
    return role in ADMIN_ROLES or role in set(settings.QINQING_TOTP_REQUIRED_ROLES)


def matching_step(secret: str, code: str, now: datetime, *, after_step: int = 0) -> int | None:
    """The time step the six-digit code belongs to (now ±1 step), or None; steps ≤ after_step are spent."""
    code = "".join((code or "").split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if step > after_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=settings.QINQING_SITE_NAME)


def qr_svg(uri: str) -> str:
    """The otpauth:// URI as an inline SVG QR code, drawn locally."""
    return segno.make(uri, error="m").svg_inline(scale=4, border=2)


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """Codes like ``K7QX-M2PA-9RTD``: 60 random bits each."""
    return [
        "-".join("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(4)) for _ in range(3)) for _ in range(count)
    ]


def normalise_recovery_code(code: str) -> str:
    plain = "".join(c for c in (code or "").upper() if c.isalnum())
    return "-".join(plain[i : i + 4] for i in range(0, len(plain), 4))


def looks_like_recovery_code(code: str) -> bool:
    return len("".join(c for c in (code or "") if c.isalnum())) == 12
