"""The province load test's users (Locust). Started by bench/province/run.py, which writes the accounts file:

    PROVINCE_ACCOUNTS=accounts.json PROVINCE_HOSTS=http://127.0.0.1:8101,http://127.0.0.1:8102 \\
        .venv/bin/locust -f bench/province/locustfile.py --headless -u 50 -r 10 -t 180s

Every simulated user signs in with a session of its own account (made by run.py in the session store, so the
sign-in throttle plays no part) on one of the application servers (users are dealt round-robin over
PROVINCE_HOSTS), and between two pages thinks for PROVINCE_THINK seconds (default "2,8": uniform 2–8 s).

The mix (weights of the user kinds, then of the pages inside each kind):
- county staff (5): appeal lists (plain, by state, overdue, search), appeal detail, the enterprise list (plain
  and a name search), enterprise detail, members, chambers and chamber detail, the home page;
- leaders (1): home, the appeal figures page, the reports dashboard and figures, the policy figures;
- department liaisons (2): their appeal list and appeal detail, home;
- enterprises (3): the portal home, their appeals, policy search, 我的政策, a policy's page;
- appeal steps (1): one appeal's whole way — the enterprise submits it, the county staff accept and assign it
  to a department, the department contacts the enterprise and replies, the staff record the callback; each
  step is a POST followed by the detail page that shows its result (a missing 操作成功 counts as a failure).
"""

import itertools
import json
import os
import random
import re
import threading

from locust import HttpUser, between, task
from locust.clients import HttpSession
from requests.cookies import remove_cookie_by_name

with open(os.environ["PROVINCE_ACCOUNTS"], encoding="utf-8") as _fh:
    ACCOUNTS = json.load(_fh)
HOSTS = [h for h in os.environ.get("PROVINCE_HOSTS", "http://127.0.0.1:8000").split(",") if h]
THINK = [float(x) for x in os.environ.get("PROVINCE_THINK", "2,8").split(",")]
COOKIE = ACCOUNTS["cookie_name"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STATES = ["registered", "accepted", "assigned", "contacted", "replied", "closed", "open"]
_deal = itertools.count()
_lock = threading.Lock()


def _next() -> int:
    with _lock:
        return next(_deal)


class Province(HttpUser):
    abstract = True
    host = HOSTS[0]
    wait_time = between(*THINK)

    def on_start(self):
        self.n = _next()
        self.client.base_url = HOSTS[self.n % len(HOSTS)]
        self.unit = ACCOUNTS["units"][self.n % len(ACCOUNTS["units"])]
        self.sign_in(self.client, self.account())

    def account(self) -> str:
        raise NotImplementedError

    @staticmethod
    def sign_in(client, session_key: str) -> None:
        remove_cookie_by_name(client.cookies, COOKIE)  # the server may have set it again (another domain key)
        client.cookies.set(COOKIE, session_key)

    def page(self, path: str, name: str, client=None):
        with (client or self.client).get(path, name=name, catch_response=True, allow_redirects=False) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")
            return r


class CountyStaff(Province):
    weight = 5

    def account(self):
        return self.unit["staff"]

    @task(4)
    def appeal_list(self):
        self.page("/appeals/", "appeals list")

    @task(2)
    def appeal_list_state(self):
        self.page(f"/appeals/?status={random.choice(STATES)}", "appeals list (by state)")

    @task(1)
    def appeal_list_overdue(self):
        self.page("/appeals/?deadline=overdue", "appeals list (overdue)")

    @task(1)
    def appeal_search(self):
        self.page(f"/appeals/?q={random.choice(ACCOUNTS['words'])}", "appeals list (search)")

    @task(4)
    def appeal_detail(self):
        self.page(f"/appeals/{random.choice(self.unit['appeals'])}/", "appeal detail")

    @task(2)
    def enterprise_list(self):
        self.page("/registry/enterprises/", "enterprise list")

    @task(1)
    def enterprise_search(self):
        self.page(f"/registry/enterprises/?q={random.choice(ACCOUNTS['words'])}", "enterprise list (search)")

    @task(3)
    def enterprise_detail(self):
        self.page(f"/registry/enterprises/{random.choice(self.unit['enterprise_ids'])}/", "enterprise detail")

    @task(1)
    def members(self):
        self.page("/registry/members/", "member list")

    @task(1)
    def chambers(self):
        self.page("/registry/chambers/", "chamber list")

    @task(1)
    def chamber_detail(self):
        self.page(f"/registry/chambers/{random.choice(self.unit['chambers'])}/", "chamber detail")

    @task(2)
    def home(self):
        self.page("/", "home")


class Leader(Province):
    weight = 1

    def account(self):
        return ACCOUNTS["leaders"][self.n % len(ACCOUNTS["leaders"])]

    @task(2)
    def home(self):
        self.page("/", "home")

    @task(2)
    def appeal_figures(self):
        self.page("/appeals/figures/", "appeal figures")

    @task(1)
    def dashboard(self):
        self.page("/reports/", "reports dashboard")

    @task(1)
    def report_figures(self):
        self.page("/reports/figures/", "reports figures")

    @task(1)
    def policy_figures(self):
        self.page("/policies/figures/", "policy figures")


class Department(Province):
    weight = 2

    def account(self):
        self.dept = self.unit["departments"][self.n % len(self.unit["departments"])]
        return self.dept["session"]

    @task(3)
    def appeal_list(self):
        self.page("/appeals/", "appeals list")

    @task(3)
    def appeal_detail(self):
        if self.dept["appeals"]:
            self.page(f"/appeals/{random.choice(self.dept['appeals'])}/", "appeal detail")

    @task(1)
    def home(self):
        self.page("/", "home")


class Enterprise(Province):
    weight = 3

    def account(self):
        self.firm = self.unit["enterprises"][self.n % len(self.unit["enterprises"])]
        return self.firm["session"]

    @task(2)
    def home(self):
        self.page("/", "enterprise home")

    @task(2)
    def appeals(self):
        self.page("/appeals/", "enterprise appeals")

    @task(2)
    def search(self):
        self.page(f"/policies/?q={random.choice(ACCOUNTS['policy_words'])}", "policy search")

    @task(2)
    def mine(self):
        self.page("/policies/mine/", "我的政策")

    @task(1)
    def policy(self):
        self.page(f"/policies/{random.choice(ACCOUNTS['policies'])}/", "policy detail")


class AppealSteps(Province):
    """One appeal from submission to callback, each step by the role that takes it. Each way is submitted by
    the unit's next enterprise in turn: the platform allows an enterprise 30 submissions an hour, which one user
    could reach in a 150 s run on a fast server."""

    weight = 1

    def account(self):
        self.ways = 0
        return self.firm_session()

    def firm_session(self) -> str:
        firms = self.unit["enterprises"]
        return firms[(self.n + self.ways) % len(firms)]["session"]

    def on_start(self):
        super().on_start()
        self.staff = self._client(self.unit["staff"])
        self.dept = self.unit["departments"][self.n % len(self.unit["departments"])]
        self.liaison = self._client(self.dept["session"])

    def _client(self, session_key: str) -> HttpSession:
        client = HttpSession(base_url=self.client.base_url, request_event=self.environment.events.request, user=self)
        self.sign_in(client, session_key)
        return client

    def _token(self, client, path: str, name: str) -> str | None:
        r = self.page(path, name, client)
        found = CSRF.search(r.text or "")
        return found.group(1) if found else None

    def _step(self, client, pk: int, op: str, data: dict) -> bool:
        token = self._token(client, f"/appeals/{pk}/", "appeal detail")
        if token is None:
            return False
        client.post(
            f"/appeals/{pk}/{op}/", data={**data, "csrfmiddlewaretoken": token}, name=f"appeal step: {op}",
            allow_redirects=False,
        )  # fmt: skip
        with client.get(f"/appeals/{pk}/", name="appeal detail", catch_response=True) as r:
            if "操作成功" not in r.text:
                r.failure(f"step {op} not confirmed")
                return False
        return True

    @task
    def whole_way(self):
        self.ways += 1
        self.sign_in(self.client, self.firm_session())
        token = self._token(self.client, "/appeals/new/", "appeal form")
        if token is None:
            return
        form = {
            "csrfmiddlewaretoken": token,
            "appeal_type": ACCOUNTS["appeal_type"],
            "domain": ACCOUNTS["domain"],
            "title": "压测诉求：厂区道路维修",
            "description": "厂区门口道路破损，影响货车进出，请协调修复。",
            "contact_name": "压测",
            "contact_phone": "13900000000",
            "submission_key": f"{self.n}-{random.getrandbits(64):x}",
        }
        with self.client.post(
            "/appeals/new/", data=form, name="appeal step: submit", allow_redirects=False, catch_response=True
        ) as r:
            found = re.search(r"/appeals/(\d+)/$", r.headers.get("Location", ""))
            if r.status_code != 302 or not found:
                r.failure(f"submit answered {r.status_code}")
                return
        pk = int(found.group(1))
        steps = [
            (self.staff, "accept", {"comment": ""}),
            (self.staff, "assign", {"lead_department": self.dept["org_id"], "comment": "请按时办理"}),
            (self.liaison, "contact", {"comment": "已电话联系企业负责人"}),
            (self.liaison, "reply", {"comment": "已安排维修，本周内完成"}),
            (self.staff, "callback", {"satisfaction": "5", "solved": "1", "comment": ""}),
        ]
        for client, op, data in steps:
            if not self._step(client, pk, op, data):
                return
