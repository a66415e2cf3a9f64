"""The 感谢信 (acknowledgement letter) of a donation as a PDF: WeasyPrint with Debian's Noto CJK fonts, like the
reports' printed summary."""

from __future__ import annotations

from django.template.loader import render_to_string

from .choices import DonationForm
from .models import Donation

FONT = "Noto Serif CJK SC"


def fic_of(org_path: str):
    """The FIC node whose path is ``org_path`` (the one that signs the letter)."""
    from qinqing.orgs.models import Organization

    return Organization.objects.filter(path=org_path).first()


def letter_context(donation: Donation) -> dict:
    return {
        "donation": donation,
        "enterprise": donation.enterprise,
        "fic": fic_of(donation.org_path),
        "in_kind": donation.form == DonationForm.IN_KIND,
        "font": FONT,
    }


def letter_html(donation: Donation) -> str:
    return render_to_string("programs/letter_print.html", letter_context(donation))


def letter_pdf(donation: Donation) -> bytes:
    from weasyprint import HTML

    return HTML(string=letter_html(donation)).write_pdf()
