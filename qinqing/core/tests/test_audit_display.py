"""The audit log page in Chinese (issue 10): action and field names, before/after as a table of values."""

import pytest

from qinqing.core import audit
from qinqing.core.audit_display import action_label, changes, field_label, object_label

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("registry.update_enterprise", "修改企业"),
        ("policies.create_policy", "新增政策"),
        ("policies.add_attachment", "添加政策附件"),
        ("appeals.accept", "受理"),
        ("security.login_failed", "登录失败"),
    ],
)
def test_given_action_codes_when_labelled_then_chinese(code, label):
    assert action_label(code) == label


def test_given_unknown_code_when_labelled_then_app_name_and_code_shown():
    assert action_label("policies.frobnicate") == "政策超市 policies.frobnicate"


def test_given_enterprise_fields_when_labelled_then_verbose_names_and_choice_labels():
    from qinqing.registry.models import Enterprise

    assert field_label(Enterprise, "name") == str(Enterprise._meta.get_field("name").verbose_name)
    assert object_label("policies.policy") == "政策"
    rows = changes(
        "policies.policy",
        {"benefit_type": "financing", "auto_push": True, "expires_on": None},
        {"benefit_type": "subsidy", "auto_push": True, "expires_on": "2027-01-01"},
    )
    assert [(r.label, r.before, r.after, r.changed) for r in rows] == [
        ("扶持类型", "融资支持", "资金补贴", True),
        ("自动推送新符合条件的企业", "是", "是", False),
        ("截止日期", "—", "2027-01-01", True),
    ]


def test_given_policy_change_when_auditor_reads_page_then_no_python_dict_shown(users, login, make_policy_row):
    audit.record(
        "policies.update_policy",
        obj=make_policy_row,
        actor=users.city_staff,
        before={"title": "旧名称", "benefit_type": "financing"},
        after={"title": "新名称", "benefit_type": "tax"},
    )
    html = login(users.audit_admin).get("/audit/").content.decode()
    assert "修改政策" in html and "政策名称" in html and "融资支持" in html and "税费减免" in html
    assert "{&#x27;" not in html and "{'" not in html and "benefit_type" not in html


@pytest.fixture
def make_policy_row(users):
    from qinqing.policies.actions import create_policy

    return create_policy(
        actor=users.city_staff,
        data={"title": "旧名称", "level": "city", "benefit_type": "financing", "rule": {"op": "all", "items": []}},
    )
