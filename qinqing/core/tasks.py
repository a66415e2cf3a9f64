"""Periodic audit work (run_scheduler): hourly signed checkpoints, daily verification, retention."""

from django_tasks import task


@task()
def write_audit_checkpoint() -> int:
    from .audit_checkpoint import write_checkpoint

    return write_checkpoint()["seq"]


@task()
def verify_audit_daily() -> bool:
    from .audit_verify import scheduled_verification

    return scheduled_verification().ok


@task()
def archive_audit_log() -> int:
    from .audit_archive import archive_old

    manifest = archive_old()
    return manifest["count"] if manifest else 0


PERIODIC = [(3600, write_audit_checkpoint), (86400, verify_audit_daily), (86400, archive_audit_log)]


@task()
def refresh_home_cards(user_id: int, language: str, names: list[str]) -> list[str]:
    """Recount a user's home cards that outlived home.HOME_CARDS_SECONDS (the view showed the kept ones)."""
    from django.utils import translation

    from qinqing.accounts.models import User

    from .home import recount

    user = User.objects.select_related("org").filter(pk=user_id, is_active=True).first()
    if user is None:
        return []
    with translation.override(language):
        return recount(user, names)
