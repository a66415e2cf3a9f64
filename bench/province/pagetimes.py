# ruff: noqa: E501 -- benchmark report lines kept on one line
"""Province pages one at a time, in-process, READ-ONLY on the province database: 我的政策, policy detail, the
enterprise portal home, the enterprise list plain and searched (county, city, province scope), each page's
median and min-max wall time, queries and time in SQL. ``--appeals``: the appeal lists (searched, overdue, by
state, the busiest department officer's) and the appeal figures page instead.

Read-only: no account is made and nobody signs in. Each simulated user is an unsaved user object (role, FIC
node, enterprise) put on the request by a middleware this script adds after Django's authentication, sessions are
signed cookies, the cache is this process's memory, and every request runs in a transaction rolled back at its
end (the policy page records that a pushed enterprise opened it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qq_prov_bench .venv/bin/python bench/province/pagetimes.py \\
        --repeat 5 --out /work/scratch/prov/pages.json

``--no-index-only`` runs the same pages with PostgreSQL's index-only scans switched off for the session: how the
searched enterprise list read before the (org_path, name) index carried credit_code and id (registry/0014).
``--search-cap 10000`` counts searched lists as the plain ones (before core.pagination.SearchPaginator's 1,000 for
the enterprise list), and ``--without-index appeal_dept_newest`` drops that index inside each page's rolled-back
transaction (the department officer's list of ``--appeals`` before appeals/0016): the competing approach, run
after the page as it is, in the same session.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORDS = ["洞庭", "恒信", "食品", "科技", "华容", "物流"]
USERS: dict[str, object] = {}


class AsUser:
    """Puts the simulated user named by the X-Bench-User header on the request (after authentication)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from qinqing.accounts.middleware import LOGIN_AT_KEY

        request.user = USERS[request.headers["X-Bench-User"]]
        request.session[LOGIN_AT_KEY] = time.time()  # signed into this process just now
        return self.get_response(request)


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pagetimes"}}
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1, f"{__name__}.AsUser"
    )
    settings.MIDDLEWARE = [m for m in middleware if m != "axes.middleware.AxesMiddleware"]
    import django

    django.setup()


def _user(**fields):
    from django.utils import timezone

    from qinqing.accounts.models import User

    return User(must_change_password=False, password_changed_at=timezone.now(), **fields)


APPEAL_STATES = ["registered", "accepted", "assigned", "contacted", "replied", "closed", "open"]  # as locustfile.py


def _appeal_pages() -> list[tuple[str, str, str]]:
    """The appeal pages of the load test that were over 300 ms, for county, city and province staff."""
    pages: list[tuple[str, str, str]] = []
    for label in ("county", "city", "province"):
        user = f"staff {label}"
        pages += [("appeals list (search)", user, f"/appeals/?q={w}") for w in WORDS]
        pages.append(("appeals list (overdue)", user, "/appeals/?deadline=overdue"))
        pages += [("appeals list (by state)", user, f"/appeals/?status={s}") for s in APPEAL_STATES]
        pages += [
            ("appeal figures", user, "/appeals/figures/"),
            ("appeal figures (by type)", user, "/appeals/figures/?by=type"),
        ]
    return pages


def _users(appeals: bool = False) -> list[tuple[str, str, str]]:
    """(page, user key, path) for the pages measured, with the users they need."""
    from qinqing.orgs.models import Organization
    from qinqing.policies.models import Policy
    from qinqing.registry.models import Enterprise

    fics = {o.path: o for o in Organization.objects.filter(kind="fic")}
    counties = sorted(p for p in fics if p.count("/") == 4)
    root = min(fics, key=len)
    # The county and the city with the most policies (an enterprise there is explained every one of them).
    by_policies = {p: Policy.objects.filter(org_path__in=[root, p[: p.index("/", 8) + 1], p]).count() for p in counties}
    county = max(counties, key=lambda p: (by_policies[p], p))
    city = county[: county.index("/", 8) + 1]
    other_county = next((p for p in counties if not p.startswith(city)), counties[0])
    pages: list[tuple[str, str, str]] = []
    for label, path in (("county", county), ("city", city), ("province", root)):
        USERS[f"staff {label}"] = _user(
            pk=9_000_000 + len(USERS), username=f"bench_{label}", role="fic_staff", org=fics[path]
        )
    for label, path in (("policies county", county), ("other county", other_county)):
        for n, ent in enumerate(Enterprise.objects.filter(org_path=path).order_by("pk")[:2]):
            USERS[f"enterprise {label} {n}"] = _user(
                pk=9_100_000 + len(USERS),
                username=f"bench_ent_{ent.pk}",
                role="enterprise",
                org=fics[path],
                enterprise_id=ent.pk,
            )
    policies = list(
        Policy.objects.filter(state="published", org_path__in=[root, city, county])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if appeals:
        from django.db.models import Count

        from qinqing.appeals.models import Appeal

        # The officer of the department that leads the most appeals: its list reads the most.
        busiest = (
            Appeal.objects.exclude(lead_department=None)
            .values("lead_department")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        pages = _appeal_pages()
        if busiest:
            department = Organization.objects.get(pk=busiest["lead_department"])
            USERS["officer"] = _user(pk=9_200_000, username="bench_officer", role="dept_liaison", org=department)
            print(f"department officer: {department.name}, leading {busiest['n']} appeals", flush=True)
            pages += [
                ("appeals list (department)", "officer", "/appeals/"),
                ("appeals list (department, p5)", "officer", "/appeals/?page=5"),
            ]
        return pages
    for key in [k for k in USERS if k.startswith("enterprise")]:
        pages += [("我的政策", key, "/policies/mine/"), ("enterprise home", key, "/")]
    for pk in policies[:: max(1, len(policies) // 3)][:3]:
        pages.append(("policy detail", "enterprise policies county 0", f"/policies/{pk}/"))
    for label in ("county", "city", "province"):
        pages.append(("enterprise list", f"staff {label}", "/registry/enterprises/"))
        pages += [("enterprise list (search)", f"staff {label}", f"/registry/enterprises/?q={w}") for w in WORDS]
    return pages


def run(repeat: int, index_only: bool, appeals: bool = False, without: tuple[str, ...] = ()) -> list[dict]:
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    with connection.cursor() as cur:
        cur.execute("set jit = off")  # docs/deployment.md; the load test sets it on the database
        cur.execute(f"set enable_indexonlyscan = {'on' if index_only else 'off'}")
    pages = _users(appeals)
    client = Client()
    rows = []
    for name, user, path in pages:
        walls, sql, queries = [], [], 0
        for i in range(1 + repeat):  # the first view warms (the process's code and templates, the user's caches)
            with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
                for index in without:  # the page as it read before that index (rolled back with the request)
                    with connection.cursor() as cur:
                        cur.execute(f"DROP INDEX IF EXISTS {index}")
                t0 = time.perf_counter()
                response = client.get(path, headers={"X-Bench-User": user})
                wall = (time.perf_counter() - t0) * 1000
                transaction.set_rollback(True)
            assert response.status_code == 200, (name, user, path, response.status_code)
            if i:
                walls.append(wall)
                sql.append(sum(float(q["time"]) for q in ctx.captured_queries[len(without) :]) * 1000)
                queries = len(ctx.captured_queries) - len(without)
        rows.append(
            {"page": name, "user": user, "path": path, "median_ms": statistics.median(walls), "min_ms": min(walls),
             "max_ms": max(walls), "queries": queries, "sql_ms": statistics.median(sql)}
        )  # fmt: skip
        print(
            f"{name:26s} {user:30s} {path:40s} median {rows[-1]['median_ms']:7.1f} ms ({min(walls):.1f}-{max(walls):.1f}) queries {queries:2d} sql {rows[-1]['sql_ms']:6.1f} ms",
            flush=True,
        )
    return rows


def member_card(repeat: int) -> list[dict]:
    """The home page's 在册会员 card for county, city and province staff, counted both ways in turn in this process:
    statistics.members_by_kind's total (before) and statistics.members_in_register (now); the same number."""
    from django.utils import timezone

    from qinqing.registry import permissions
    from qinqing.registry import statistics as registry_statistics

    year, rows = timezone.localdate().year, []
    ways = {
        "members_by_kind total": lambda qs: registry_statistics.members_by_kind(qs, year)[-1]["count"],
        "members_in_register": lambda qs: registry_statistics.members_in_register(qs, year),
    }
    for key in [k for k in USERS if k.startswith("staff")]:
        members = permissions.visible_members(USERS[key])
        times: dict[str, list[float]] = {way: [] for way in ways}
        values = {way: count(members) for way, count in ways.items()}  # warm, and the numbers to compare
        assert len(set(values.values())) == 1, values
        for _ in range(repeat):
            for way, count in ways.items():
                t0 = time.perf_counter()
                count(members)
                times[way].append((time.perf_counter() - t0) * 1000)
        for way, walls in times.items():
            rows.append({"card": "在册会员", "user": key, "way": way, "value": values[way], "median_ms": statistics.median(walls), "min_ms": min(walls), "max_ms": max(walls)})  # fmt: skip
            print(
                f"member card {key:16s} {way:22s} {values[way]:8d}  median {rows[-1]['median_ms']:7.1f} ms ({min(walls):.1f}-{max(walls):.1f})",
                flush=True,
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--no-index-only",
        action="store_true",
        help="index-only scans off for the session (the list before registry/0014)",
    )
    parser.add_argument("--member-card", action="store_true", help="also time the home page's member card both ways")
    parser.add_argument(
        "--appeals", action="store_true", help="the appeal lists and figures pages instead of the others"
    )
    parser.add_argument(
        "--search-cap",
        type=int,
        help="count a searched list up to this many matches (core.pagination.SearchPaginator; 10000 = before it)",
    )
    parser.add_argument(
        "--without-index",
        action="append",
        default=[],
        metavar="NAME",
        help="drop this index inside each page's rolled-back transaction: how the page read before it",
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    _setup()
    if args.search_cap:
        from qinqing.core.pagination import SearchPaginator

        SearchPaginator.CAP = args.search_cap
    t0 = time.perf_counter()
    rows = run(args.repeat, index_only=not args.no_index_only, appeals=args.appeals, without=tuple(args.without_index))
    if args.member_card:
        rows += member_card(args.repeat)
    print(f"{len(rows)} pages in {time.perf_counter() - t0:.1f} s; load average {os.getloadavg()}")
    if args.out:
        args.out.write_text(
            json.dumps(
                {
                    "index_only": not args.no_index_only,
                    "search_cap": args.search_cap,
                    "without_index": args.without_index,
                    "rows": rows,
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
