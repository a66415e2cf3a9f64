"""Who reads a 亲清日志 entry — narrower than the organisation subtree: the official who logged it, a leader of
their unit or above, and the reviewer of their subtree; not other staff, not enterprises."""

import pytest

from conftest import PASSWORD
from qinqing.contactlog import actions
from qinqing.contactlog.permissions import visible_entries, visible_matters


@pytest.fixture
def more(tree):
    """A second official in county A, a county-A leader, a county-B leader and a county-B reviewer."""
    from types import SimpleNamespace

    from qinqing.accounts.actions import create_user

    def make(username, role, org):
        return create_user(username=username, name=username, role=role, org=org, password=PASSWORD,
                           must_change_password=False)  # fmt: skip

    return SimpleNamespace(
        colleague=make("colleague", "fic_staff", tree.county_a),
        county_leader=make("county_leader", "fic_leader", tree.county_a),
        county_b_leader=make("county_b_leader", "fic_leader", tree.county_b),
        county_b_reviewer=make("county_b_reviewer", "discipline_reviewer", tree.county_b),
    )


@pytest.fixture
def entries(tree, users, data):
    from .conftest import flagged_data

    staff = actions.save_entry(actor=users.county_staff, data=flagged_data(tree, matters=[{"text": "用工难"}]))
    liaison = actions.save_entry(actor=users.liaison, data=data())
    return staff, liaison


def _sees(user, entry) -> bool:
    return visible_entries(user).filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    ("who", "staff_entry", "liaison_entry"),
    [
        ("county_staff", True, False),  # the official who logged it
        ("liaison", False, True),
        ("county_leader", True, True),  # the unit's leader (the department is under county A)
        ("leader", True, True),  # a leader above (city)
        ("reviewer", True, True),  # the city's 纪检监督
        ("colleague", False, False),  # same county, not theirs
        ("city_staff", False, False),  # staff above see no one else's entries
        ("county_b_staff", False, False),
        ("county_b_leader", False, False),
        ("county_b_reviewer", False, False),
        ("liaison_b", False, False),
        ("enterprise", False, False),  # enterprises never see entries, even naming them
        ("enterprise_b", False, False),
        ("secretary", False, False),
        ("banker", False, False),
        ("sys_admin", False, False),
        ("audit_admin", False, False),
    ],
)
def test_given_entries_when_each_role_reads_then_only_the_official_leaders_and_reviewer_see_them(
    users, more, entries, who, staff_entry, liaison_entry
):
    user = getattr(users, who, None) or getattr(more, who)
    staff, liaison = entries
    assert (_sees(user, staff), _sees(user, liaison)) == (staff_entry, liaison_entry)
    assert visible_matters(user).filter(entry=staff).exists() == staff_entry


@pytest.mark.parametrize("who", ["colleague", "city_staff", "county_b_staff", "enterprise", "liaison_b"])
def test_given_an_entry_when_an_outsider_opens_its_page_or_api_then_not_found_or_refused(
    client, users, more, entries, who
):
    user = getattr(users, who, None) or getattr(more, who)
    client.force_login(user)
    staff, _liaison = entries
    page = client.get(f"/contactlog/{staff.pk}/")
    api = client.get(f"/api/v1/contactlog/entries/{staff.pk}/")
    listed = client.get("/api/v1/contactlog/entries/")
    assert page.status_code in (403, 404) and api.status_code in (403, 404)
    if listed.status_code == 200:
        assert listed.json()["results"] == []


def test_given_a_leader_and_the_reviewer_when_they_open_an_entry_then_the_read_is_audited(client, users, entries):
    from qinqing.core.models import AuditEntry

    staff, _liaison = entries
    for user in (users.leader, users.reviewer):
        client.force_login(user)
        assert client.get(f"/contactlog/{staff.pk}/").status_code == 200
        assert client.get(f"/api/v1/contactlog/entries/{staff.pk}/").status_code == 200
    readers = AuditEntry.objects.filter(action="contactlog.read_entry", object_id=str(staff.pk))
    assert sorted(readers.values_list("actor_name", flat=True)) == ["leader", "leader", "reviewer", "reviewer"]


def test_given_the_county_b_reviewer_when_concluding_a_county_a_entry_then_refused(more, entries):
    staff, _liaison = entries
    with pytest.raises(actions.ContactLogError):
        actions.conclude_review(staff, actor=more.county_b_reviewer, conclusion="no_issue", text="无")
