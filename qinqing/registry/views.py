"""Registry pages: thin views over permissions (reads), forms (input) and actions (writes)."""

from django.shortcuts import render
from django.utils import timezone

from qinqing.core.permissions import requires

from . import permissions, statistics

# --- overview -----------------------------------------------------------------------------------


@requires("registry.view_statistics")
def overview(request):
    year = statistics.report_year(request.GET.get("year"), timezone.localdate())
    members = permissions.visible_members(request.user)
    chambers = permissions.visible_chambers(request.user)
    stats = statistics.overview(members, chambers, year)
    due = statistics.term_due(chambers, timezone.localdate()).count()
    return render(request, "registry/overview.html", {"stats": stats, "year": year, "term_due_count": due})


# --- enterprises --------------------------------------------------------------------------------


# --- contacts -----------------------------------------------------------------------------------


# --- members ------------------------------------------------------------------------------------


# --- import -------------------------------------------------------------------------------------
