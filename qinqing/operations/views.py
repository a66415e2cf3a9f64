"""The system administrator's backup status page: the latest runs, their size and age, and whether one is overdue."""

from django.conf import settings
from django.shortcuts import render

from qinqing.core.pagination import CappedPaginator
from qinqing.core.permissions import requires

from .actions import backup_age_hours, backup_dir, backup_overdue
from .models import BackupRecord
from .permissions import VIEW_BACKUPS


@requires(VIEW_BACKUPS)
def backups(request):
    page = CappedPaginator(BackupRecord.objects.all(), 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "age": backup_age_hours(),
        "overdue": backup_overdue(),
        "limit": getattr(settings, "QINQING_BACKUP_MAX_AGE_HOURS", 36),
        "directory": backup_dir(),
        "interval": getattr(settings, "QINQING_BACKUP_INTERVAL_HOURS", 24),
        "keep": getattr(settings, "QINQING_BACKUP_KEEP", 14),
    }
    return render(request, "operations/backups.html", context)
