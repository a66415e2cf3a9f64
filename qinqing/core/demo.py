"""Demo data orchestration. ``manage.py seed_demo`` builds the tree and users, then calls each
domain's ``<app>/demo.py`` ``seed(ctx)`` in INSTALLED_APPS order (registry before appeals before policies).

A domain's seed(ctx) must be deterministic for ctx.rng, use bulk writes, and size itself by ctx.scale.
"""

import random
from dataclasses import dataclass, field

from django.apps import apps
from django.utils.translation import gettext as _

from qinqing.core.discovery import domain_modules

# Sizes per profile: the city profile is sized like the seeds (岳阳: 5 county FICs, ~18,000 members, 40+
# departments, chambers by type 行业78/市场5/异地21/乡镇街道48/其他11 — 163 together, though the report's
# total says 162); the province holds three such cities.
PROFILES = {
    "county": {"counties": 1, "chambers": 20, "members": 3000, "departments": 20, "enterprises": 3000, "scale": 0.2},
    "city": {"counties": 5, "chambers": 163, "members": 18000, "departments": 44, "enterprises": 18000, "scale": 1.0},
    "province": {
        "counties": 12,
        "chambers": 489,
        "members": 60000,
        "departments": 90,
        "enterprises": 60000,
        "scale": 3.0,
    },
    # Tiny: for the browser test and quick checks (same shape as county: one county under 岳阳).
    "test": {"counties": 1, "chambers": 3, "members": 40, "departments": 8, "enterprises": 40, "scale": 0.01},
}
DEFAULT_SEED = 2026


@dataclass
class DemoContext:
    profile: str
    rng: random.Random
    sizes: dict
    root: object = None  # the deployment's top FIC node (Organization)
    city: object = None  # the city FIC node (Organization)
    counties: list = field(default_factory=list)  # county FIC nodes
    fics: list = field(default_factory=list)  # every FIC node, top first
    departments: list = field(default_factory=list)
    banks: list = field(default_factory=list)
    lawfirms: list = field(default_factory=list)
    users: dict = field(default_factory=dict)  # demo username -> User
    chamber: object = None  # the chamber of the 商会秘书处 demo account
    seed: int = DEFAULT_SEED
    stdout: object = None

    @property
    def scale(self) -> float:
        return self.sizes["scale"]

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)


def make_context(profile: str, seed: int = DEFAULT_SEED, stdout=None) -> DemoContext:
    if profile not in PROFILES:
        raise ValueError(
            _("未知的演示规模“%(profile)s”，可选：%(choices)s") % {"profile": profile, "choices": "、".join(PROFILES)}
        )
    return DemoContext(
        profile=profile, rng=random.Random(seed), sizes=dict(PROFILES[profile]), stdout=stdout, seed=seed
    )


def tree_exists() -> bool:
    from qinqing.orgs.models import Organization

    return Organization.objects.filter(kind="fic").exists()


def run(ctx: DemoContext) -> dict:
    """Tree, demo users, then every domain's seed(ctx), each with its own rng (seed + app label) so a
    new domain does not change the data of the others. One transaction: a failing seeder leaves an empty
    database, so ``seed_demo --if-empty`` (make run) tries again instead of keeping half the data. Its audit
    rows are written when it ends (``audit.written_at_end``): the chain head is not held through the whole seed.
    Returns seconds per step."""
    import time

    from django.db import transaction

    from . import audit
    from .context import batch
    from .demo_tree import build_tree, create_demo_users

    timings: dict[str, float] = {}
    with batch("seed_demo"), transaction.atomic(), audit.written_at_end():
        started = time.perf_counter()
        counts = build_tree(ctx)
        create_demo_users(ctx)
        audit.record(
            "core.seed_demo",
            object_type="orgs.organization",
            object_repr=ctx.root.name,
            after={"profile": ctx.profile, "seed": ctx.seed, **counts, "users": len(ctx.users)},
            message=_("生成演示数据"),
        )
        timings["tree"] = time.perf_counter() - started
        ctx.log(
            _(
                "组织树：%(fics)s 个工商联，%(departments)s 个承办单位，%(banks)s 家金融机构，"
                "%(lawfirms)s 家律师事务所；演示账号 %(users)s 个（%(seconds).1f 秒）"
            )
            % {**counts, "users": len(ctx.users), "seconds": timings["tree"]}
        )
        for label, seeder in domain_seeders():
            ctx.rng = random.Random(f"{ctx.seed}:{label}")
            started = time.perf_counter()
            seeder(ctx)
            timings[label] = time.perf_counter() - started
            ctx.log(_("%(label)s：完成（%(seconds).1f 秒）") % {"label": label, "seconds": timings[label]})
        _complete_demo_chamber(ctx)
    return timings


def _complete_demo_chamber(ctx: DemoContext) -> None:
    """The secretary's chamber was made before the registry seed ran; give it the registry's record if that
    seed did not (so the chamber pages open for the 商会秘书处 account)."""
    try:
        chamber_model = apps.get_model("registry", "Chamber")
    except LookupError:
        return
    org = ctx.chamber
    if org is None or chamber_model.objects.filter(organization=org).exists():
        return
    chamber_model.objects.create(organization=org, org_path=org.path, chamber_type="nonlocal")


def domain_seeders():
    for config, module in domain_modules("demo"):
        if hasattr(module, "seed"):
            yield config.label, module.seed
