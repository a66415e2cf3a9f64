from datetime import date
from types import SimpleNamespace

import pytest

# Deadlines are computed on the working-day calendar, which refuses years nobody has entered. Tests
# run on a fixed "today" inside a year the package covers, so they do not start failing in late
# December when a 5-day deadline would reach into next year; tests about other days pin their own.
TEST_TODAY = date(2026, 11, 16)  # a Monday


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch):
    from qinqing.appeals import actions

    monkeypatch.setattr(actions, "today", lambda: TEST_TODAY)


@pytest.fixture
def kinds(db):
    from qinqing.appeals.models import AppealDomain, AppealType

    return SimpleNamespace(
        consult=AppealType.objects.get(code="consult"),
        complaint=AppealType.objects.get(code="complaint"),
        finance=AppealDomain.objects.get(code="finance"),
        labour=AppealDomain.objects.get(code="labour"),
    )


@pytest.fixture
def fixed_today(monkeypatch):
    """Pin the appeals' idea of 'today' (deadline arithmetic) to a chosen date."""
    from qinqing.appeals import actions

    def pin(day):
        monkeypatch.setattr(actions, "today", lambda: day)

    return pin


@pytest.fixture
def make_appeal(users, tree, kinds):
    from qinqing.appeals import actions

    def make(
        title="企业贷款审批慢", *, actor=None, enterprise=None, description="贷款申请提交三个月仍未审批，影响生产", **kw
    ):
        return actions.register_appeal(
            actor=actor or users.enterprise,
            enterprise=enterprise or tree.ent_a,
            appeal_type=kw.pop("appeal_type", kinds.consult),
            domain=kw.pop("domain", kinds.finance),
            title=title,
            description=description,
            **kw,
        )

    return make


@pytest.fixture
def assigned(make_appeal, users, tree):
    from qinqing.appeals import actions

    appeal = make_appeal()
    appeal = actions.accept_appeal(appeal, actor=users.county_staff)
    return actions.assign_appeal(appeal, actor=users.county_staff, lead_department=tree.dept_a)


@pytest.fixture
def membership(tree):
    """ent_a is a current member of chamber_a (the secretary's chamber)."""
    from datetime import date

    from qinqing.registry.models import Member

    return Member.objects.create(
        organization=tree.chamber_a,
        org_path=tree.chamber_a.path,
        kind="enterprise",
        enterprise=tree.ent_a,
        joined_on=date(2020, 1, 1),
    )
