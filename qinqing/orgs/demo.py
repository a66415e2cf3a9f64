"""Demo data: the GB/T 2260 region table (the tree itself is built by core's seed_demo)."""

from . import regions
from .actions import sync_regions


def seed(ctx) -> None:
    counts = sync_regions(regions.read_csv())
    ctx.log(f"行政区划：新增 {counts['created']}，更新 {counts['updated']}，未变 {counts['unchanged']}")
