"""Department liaisons (承办单位联络员) issue their department's policies: pages and API, and nothing more."""

import pytest
from django.urls import reverse

from qinqing.policies import matching
from qinqing.policies.models import Policy

pytestmark = pytest.mark.django_db

FORM = {
    "title": "岳阳县个体工商户年报补助",
    "level": "county",
    "benefit_type": "subsidy",
    "application_method": "automatic",
    "effective_on": "2024-01-01",
    "rule-op": "all",
    "rule-a-kind": "leaf",
    "rule-a-attr": "employees",
    "rule-a-op": "ge",
    "rule-a-value": "10",
}


@pytest.fixture
def liaison_policy(login, users, firms):
    """county A's market regulator enters and publishes a policy through the pages."""
    client = login(users.liaison)
    response = client.post(reverse("policies:create"), FORM)
    assert response.status_code == 302
    policy = Policy.objects.get()
    assert client.post(reverse("policies:state", args=[policy.pk]), {"state": "published"}).status_code == 302
    policy.refresh_from_db()
    return policy


def test_given_liaison_when_entering_a_policy_then_issued_by_their_department_owned_by_its_fic(
    users, firms, liaison_policy
):
    assert liaison_policy.issuer == firms.dept_a  # whatever department the form claimed
    assert liaison_policy.owner == firms.county_a and liaison_policy.org_path == firms.county_a.path
    assert liaison_policy.state == "published"


def test_given_liaison_when_opening_the_form_then_only_their_own_department_offered(login, users, firms):
    html = login(users.liaison).get(reverse("policies:create")).content.decode()
    assert "岳阳县市场监督管理局" in html and "华容县人力资源和社会保障局" not in html


def test_given_liaison_when_posting_another_department_then_chinese_error_naming_the_field(login, users, firms):
    response = login(users.liaison).post(reverse("policies:create"), {**FORM, "issuer": firms.dept_b.pk})
    assert response.status_code == 200 and "发布部门：请从列表中选择本辖区的部门" in response.content.decode()
    assert not Policy.objects.exists()


def test_given_liaison_policy_when_matched_then_liaison_reads_and_exports_its_eligible_list(
    login, users, firms, liaison_policy
):
    matching.run_matching(firms.county_a.path)
    client = login(users.liaison)
    page = client.get(reverse("policies:matching_detail", args=[liaison_policy.pk])).content.decode()
    assert firms.ent_a.name in page
    export = client.get(reverse("policies:matching_detail", args=[liaison_policy.pk]), {"export": "xlsx"})
    assert export.status_code == 200
    api = client.get(reverse("api-policy-eligible", args=[liaison_policy.pk])).json()
    assert [row["name"] for row in api["results"]] == [firms.ent_a.name]


def test_given_liaison_when_pushing_or_running_matching_then_forbidden(login, users, firms, liaison_policy):
    client = login(users.liaison)
    assert client.post(reverse("policies:matching_push", args=[liaison_policy.pk])).status_code == 403
    assert client.post(reverse("api-policy-push", args=[liaison_policy.pk])).status_code == 403
    assert client.post(reverse("api-policy-matching-run")).status_code == 403


def test_given_another_departments_policy_when_liaison_edits_or_reads_its_list_then_404(
    login, users, firms, make_policy, liaison_policy
):
    staff_policy = make_policy(actor=users.county_staff, title="县工商联政策")
    other = login(users.liaison_b)
    assert other.get(reverse("policies:edit", args=[liaison_policy.pk])).status_code == 404
    assert other.get(reverse("policies:matching_detail", args=[liaison_policy.pk])).status_code == 404
    response = other.patch(
        reverse("api-policy", args=[liaison_policy.pk]), {"title": "改名"}, content_type="application/json"
    )
    assert response.status_code == 404
    own = login(users.liaison)
    assert own.get(reverse("policies:edit", args=[staff_policy.pk])).status_code == 404
    assert own.get(reverse("api-policy-eligible", args=[staff_policy.pk])).status_code == 404


def test_given_liaison_draft_when_other_users_open_it_then_404_but_own_department_sees_it(login, users, firms):
    client = login(users.liaison)
    response = client.post(
        reverse("api-policies"),
        {"title": "草稿：食品小作坊补助", "level": "county", "benefit_type": "subsidy", "issuer": firms.dept_b.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    data = response.json()
    assert data["issuer"] == firms.dept_a.pk and data["state"] == "draft"
    assert client.get(reverse("api-policy", args=[data["id"]])).status_code == 200
    assert login(users.liaison_b).get(reverse("api-policy", args=[data["id"]])).status_code == 404
    assert login(users.enterprise).get(reverse("policies:detail", args=[data["id"]])).status_code == 404


def test_given_liaison_when_editing_own_policy_through_api_then_saved_and_still_their_department(
    login, users, firms, liaison_policy
):
    response = login(users.liaison).patch(
        reverse("api-policy", args=[liaison_policy.pk]),
        {"title": "岳阳县个体工商户年报补助（修订）", "issuer": firms.dept_b.pk},
        content_type="application/json",
    )
    assert response.status_code == 200
    liaison_policy.refresh_from_db()
    assert liaison_policy.title.endswith("（修订）") and liaison_policy.issuer == firms.dept_a
