"""Province bench: the bench accounts (made through the accounts action, each with a session) and the
10,000-row enterprise import file."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

PASSWORD = "Bench@Province2026!"
WORDS = ["洞庭", "恒信", "食品", "科技", "华容", "物流"]
POLICY_WORDS = ["融资", "补贴", "科技", "人才", "专精特新", "税收"]


def prepare_accounts(scratch: Path, runs: int = 1) -> dict:
    """Bench accounts per FIC node (a unit): staff, up to three department liaisons, ten enterprises per load
    run; leaders; a session for each; sample objects in each scope for the pages that take an id.

    The enterprises are new to the bench every time (no user account yet) and differ from one run to the next
    (``enterprise_runs``; ``accounts_for_run``): the platform throttles appeal submissions per enterprise
    (30 an hour), so a run reusing an earlier run's enterprises would be refused by the throttle, not by a fault."""
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from qinqing.accounts.actions import create_user
    from qinqing.accounts.models import User
    from qinqing.appeals.models import AppealDomain, AppealType
    from qinqing.orgs.models import Organization
    from qinqing.policies.models import Policy

    t0 = time.perf_counter()
    rng = random.Random(2026)
    password_hash = make_password(PASSWORD)
    made = 0

    def account(username: str, role: str, org, enterprise=None) -> User:
        nonlocal made
        user = User.objects.filter(username=username).first()
        if user is None:
            user = create_user(
                username=username, name=f"压测{username[-6:]}", role=role, org=org, enterprise=enterprise,
                password=PASSWORD, password_hash=password_hash, must_change_password=False, validate_password=False,
            )  # fmt: skip
            made += 1
        return user

    def sample(sql: str, params: list, k: int) -> list[int]:
        with connection.cursor() as cur:
            cur.execute(sql, params)
            ids = [row[0] for row in cur.fetchall()]
        return rng.sample(ids, min(k, len(ids)))

    units, leaders, leader_users = [], [], []
    fics = list(Organization.objects.filter(kind="fic").order_by("path"))
    for fic in fics:
        if fic.parent_id is None or fic.children.filter(kind="fic").exists():
            leader = account(f"pb_leader_{fic.code}", "fic_leader", fic)
            leaders.append(_session(leader))
            leader_users.append(leader.username)
        firms = _firms(fic, rng, 10 * runs)
        departments = list(
            Organization.objects.filter(kind="department", parent=fic, is_active=True).order_by("path")[:3]
        )
        if len(firms) < runs or not departments:
            continue
        staff = account(f"pb_staff_{fic.code}", "fic_staff", fic)
        like = fic.path + "%"
        unit = {
            "fic": fic.code,
            "path": fic.path,
            "staff": _session(staff),
            "staff_user": staff.username,
            "departments": [
                {
                    "session": _session(account(f"pb_dept_{d.code}", "dept_liaison", d)),
                    "user": f"pb_dept_{d.code}",
                    "org_id": d.pk,
                    "appeals": sample(
                        "select id from appeals_appeal where lead_department_id = %s order by id desc limit 2000",
                        [d.pk],
                        30,
                    ),
                }
                for d in departments
            ],
            "enterprise_runs": [
                [
                    {
                        "session": _session(account(f"pb_ent_{e.pk}", "enterprise", fic, e)),
                        "user": f"pb_ent_{e.pk}",
                        "id": e.pk,
                    }
                    for e in firms[i::runs]
                ]
                for i in range(runs)
            ],
            "appeals": sample(
                "select id from appeals_appeal where org_path like %s order by id desc limit 5000", [like], 50
            ),
            "enterprise_ids": sample(
                "select id from registry_enterprise where org_path like %s order by id desc limit 5000", [like], 50
            ),
            "chambers": sample(
                "select id from registry_chamber where org_path like %s order by id desc limit 2000", [like], 20
            ),
        }
        unit["enterprises"] = unit["enterprise_runs"][0]
        units.append(unit)
    root = next(f for f in fics if f.parent_id is None)
    province_staff = account(f"pb_staff_{root.code}", "fic_staff", root)
    county = max(
        (u for u in units if u["path"].count("/") >= 4), key=lambda u: len(u["enterprise_ids"]), default=units[-1]
    )
    accounts = {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "units": units,
        "leaders": leaders,
        "leader_users": leader_users,
        "province_staff": _session(province_staff),
        "import_unit": {"staff": county["staff"], "path": county["path"], "fic": county["fic"]},
        "words": WORDS,
        "policy_words": POLICY_WORDS,
        "policies": list(Policy.objects.filter(state="published").order_by("?").values_list("pk", flat=True)[:50]),
        "appeal_type": AppealType.objects.filter(is_active=True).order_by("pk").first().pk,
        "domain": AppealDomain.objects.filter(is_active=True).order_by("pk").first().pk,
    }
    (scratch / "accounts.json").write_text(json.dumps(accounts, ensure_ascii=False), encoding="utf-8")
    print(
        f"accounts: {len(units)} units, {len(leaders)} leaders, {made} accounts made ({time.perf_counter() - t0:.1f} s)"
    )
    return accounts


def accounts_for_run(accounts: dict, run: int) -> dict:
    """The accounts with each unit's enterprises of load run ``run`` (0, 1, …): no two runs share one."""
    units = [{**u, "enterprises": u["enterprise_runs"][run % len(u["enterprise_runs"])]} for u in accounts["units"]]
    return {**accounts, "units": units}


def _firms(fic, rng, k: int) -> list:
    """``k`` enterprises of the node that have no user account (so none an earlier bench run submitted for)."""
    from qinqing.accounts.models import User
    from qinqing.registry.models import Enterprise

    with_users = User.objects.filter(enterprise__isnull=False).values("enterprise_id")
    ids = list(
        Enterprise.objects.filter(org_path=fic.path, is_provisional=False)
        .exclude(pk__in=with_users)
        .order_by("-id")
        .values_list("pk", flat=True)[:2000]
    )
    return list(Enterprise.objects.filter(pk__in=rng.sample(ids, min(k, len(ids)))).order_by("pk"))


def _session(user) -> str:
    """A signed-in session of ``user`` made in the session store (no login form: the throttles stay out)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = next(
        b for b in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(b), "get_user")
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store["qinqing_login_at"] = time.time()
    store.create()
    return store.session_key


def make_import_file(path: Path, unit: dict, rows: int) -> None:
    """Half the rows change enterprises of the importing county (their figures for the last year), half are
    new enterprises there; every column the import template has."""
    import xlsxwriter

    from qinqing.core.demo_tree import credit_code
    from qinqing.registry.importing.columns import ENTERPRISE_COLUMNS
    from qinqing.registry.models import Enterprise

    rng = random.Random(7)
    region = unit["fic"]
    existing = list(
        Enterprise.objects.filter(org_path=unit["path"], is_provisional=False, region_code=region)
        .order_by("-id")
        .values("credit_code", "name", "industry_code", "founded_on")[: rows // 2]
    )
    columns = [c for c in ENTERPRISE_COLUMNS if not c.computed]
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet()
    for j, c in enumerate(columns):
        ws.write_string(0, j, c.label)
    stamp = int(time.time()) % 1000  # new credit codes differ from one file to the next
    for i in range(1, rows + 1):
        old = existing[i - 1] if i <= len(existing) else None
        revenue = round(rng.lognormvariate(7, 1.5), 2)
        values = {
            "credit_code": old["credit_code"] if old else credit_code(region, f"Q{stamp:03d}{i % 100000:05d}"),
            "name": old["name"] if old else f"压测导入{stamp}-{i}号商贸有限公司",
            "region_code": region,
            "industry_code": (old or {}).get("industry_code") or rng.choice(["5121", "5211", "3911", "4710"]),
            "founded_on": str(
                (old or {}).get("founded_on")
                or f"{rng.randint(1995, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            ),
            "employees": rng.randint(1, 2000),
            "revenue_wan": revenue,
            "total_assets_wan": round(revenue * rng.uniform(0.5, 2), 2),
            "year": 2025,
            "tax_wan": round(revenue * 0.03, 2),
            "rd_spend_wan": round(revenue * 0.02, 2),
        }
        for j, c in enumerate(columns):
            v = values.get(c.key, "")
            if isinstance(v, int | float):
                ws.write_number(i, j, v)
            elif v:
                ws.write_string(i, j, v)
    wb.close()
    print(f"import file: {rows:,} rows ({len(existing):,} changes, {rows - len(existing):,} new) in {path}")
