"""Merging duplicates: only into an open appeal, never into itself or in a circle; the master shows the
merged appeals' histories."""

import pytest
from django.urls import reverse

from qinqing.appeals import actions
from qinqing.appeals import workflow as wf


def test_given_closed_master_when_merging_then_refused_and_nothing_changes(make_appeal, users):
    # Given a master that has already been closed (solved on the spot)
    master = actions.solve_on_spot(make_appeal("贷款审批慢"), actor=users.county_staff)
    dup = make_appeal("贷款审批太慢了")
    # When staff merge the duplicate into it
    with pytest.raises(actions.AppealError, match="已办结，不能作为合并对象"):
        actions.merge_appeal(dup, actor=users.county_staff, master=master)
    # Then the duplicate is unchanged
    dup.refresh_from_db()
    assert dup.status == wf.REGISTERED and dup.merged_into is None


def test_given_stale_master_object_when_it_was_merged_meanwhile_then_refused(make_appeal, users):
    # Given A and B, and someone merging A into B while this user still holds the old A
    a, b = make_appeal("贷款审批慢"), make_appeal("贷款审批太慢")
    stale_a, stale_b = type(a).objects.get(pk=a.pk), type(b).objects.get(pk=b.pk)
    actions.merge_appeal(a, actor=users.county_staff, master=b)
    # When this user merges B into (stale) A
    with pytest.raises(actions.AppealError, match="已合并，不能作为合并对象"):
        actions.merge_appeal(stale_b, actor=users.county_staff, master=stale_a)
    # Then no circle: B is still open, A points at B
    stale_a.refresh_from_db(), stale_b.refresh_from_db()
    assert stale_b.status == wf.REGISTERED and stale_a.merged_into_id == b.pk


def test_given_same_appeal_when_merging_into_itself_then_refused(make_appeal, users):
    a = make_appeal()
    with pytest.raises(actions.AppealError, match="它自己"):
        actions.merge_appeal(a, actor=users.county_staff, master=a)


def test_given_merged_duplicate_when_staff_open_master_then_its_timeline_is_shown_labelled(
    make_appeal, users, login, tree, kinds
):
    # Given a duplicate accepted, then merged into the master
    master = make_appeal("贷款审批慢")
    dup = actions.accept_appeal(make_appeal("贷款审批太慢了"), actor=users.county_staff, comment="受理重复件")
    actions.merge_appeal(dup, actor=users.county_staff, master=master)
    # When staff open the master
    page = login(users.county_staff).get(reverse("appeals:detail", args=[master.pk])).content.decode()
    # Then the duplicate's own history is there, under a heading naming it
    assert f'已并入的重复诉求 <a href="{reverse("appeals:detail", args=[dup.pk])}">{dup.number}</a>' in page
    assert "受理重复件" in page


def test_given_other_enterprises_duplicate_when_master_enterprise_opens_master_then_not_shown(
    make_appeal, users, login, tree, kinds
):
    # Given county A's appeal and county B's duplicate merged into it by city staff
    master = make_appeal("贷款审批慢")
    dup = actions.register_appeal(
        actor=users.enterprise_b, enterprise=tree.ent_b, appeal_type=kinds.consult, domain=kinds.finance,
        title="贷款审批慢", description="华容县企业贷款审批慢",
    )  # fmt: skip
    actions.merge_appeal(dup, actor=users.city_staff, master=master, comment="同一银行同一批贷款")
    # When the master's enterprise opens its appeal, then the other enterprise's history is not shown
    page = login(users.enterprise).get(reverse("appeals:detail", args=[master.pk])).content.decode()
    assert dup.number not in page and "已并入的重复诉求" not in page
    # And the city staff see it
    page = login(users.city_staff).get(reverse("appeals:detail", args=[master.pk])).content.decode()
    assert dup.number in page
