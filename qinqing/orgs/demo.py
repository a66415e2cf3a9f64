"""Demo data: the GB/T 2260 region table (the tree itself is built by core's seed_demo)."""

from django.utils.translation import gettext as _

from . import regions
from .actions import sync_regions


def seed(ctx) -> None:
    counts = sync_regions(regions.read_csv())
    ctx.log(_("行政区划：新增 %(created)s，更新 %(updated)s，未变 %(unchanged)s") % counts)
