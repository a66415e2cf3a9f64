"""Programs actions: each verb writes, audits, and refuses bad input with a Chinese message naming the field and
nothing changed."""

import pytest
from django.core.exceptions import ValidationError

from qinqing.core.errors import Refused
from qinqing.core.models import AuditEntry
from qinqing.programs import actions
from qinqing.programs.models import Donation, ListingCandidate, Pairing, ProjectYear, StageStep

from .conftest import donation_data, pairing_data, past

pytestmark = pytest.mark.django_db


def _field_error(exc_info, field):
    return " ".join(exc_info.value.message_dict[field])


def test_given_an_enterprise_and_a_village_when_pairing_then_saved_with_the_county_name_and_audited(tree, users):
    pairing = actions.save_pairing(actor=users.county_staff, data=pairing_data(tree))

    assert pairing.county_name == "湖南省岳阳市岳阳县" and pairing.org_path == tree.ent_a.org_path
    assert pairing.village_key == "430621荣家湾镇杨林村"
    entry = AuditEntry.objects.get(action="programs.save_pairing")
    assert entry.after["village"] == "荣家湾镇杨林村" and entry.actor_id == users.county_staff.pk


@pytest.mark.parametrize(
    ("code", "fragment"),
    [("999999", "999999"), ("430600", "430600"), ("43062", "43062"), ("", "请填写村所在县级区划代码")],
)
def test_given_a_code_that_is_no_current_county_when_pairing_then_refused_naming_the_field(tree, users, code, fragment):
    with pytest.raises(ValidationError) as exc_info:
        actions.save_pairing(actor=users.county_staff, data=pairing_data(tree, county_code=code))

    assert fragment in _field_error(exc_info, "county_code")
    assert not Pairing.objects.exists()


def test_given_the_same_party_and_village_when_pairing_twice_then_refused(tree, users):
    actions.save_pairing(actor=users.county_staff, data=pairing_data(tree))

    with pytest.raises(ValidationError) as exc_info:
        actions.save_pairing(actor=users.county_staff, data=pairing_data(tree))

    assert "请勿重复登记" in _field_error(exc_info, "village")
    assert Pairing.objects.count() == 1


def test_given_an_enterprise_of_another_county_when_pairing_then_refused(tree, users):
    with pytest.raises(ValidationError) as exc_info:
        actions.save_pairing(actor=users.county_staff, data=pairing_data(tree, enterprise=tree.ent_b))

    assert "不在您的管辖范围内" in _field_error(exc_info, "enterprise")


def test_given_funds_spent_negative_when_recording_then_refused_and_nothing_changes(prog, users):
    before = ProjectYear.objects.get(pk=prog.year.pk)

    with pytest.raises(ValidationError) as exc_info:
        actions.record_year(prog.project, actor=users.county_staff,
                            data={"year": before.year, "committed": "90", "spent": "-5"})  # fmt: skip

    assert "实际到位资金（万元）不能为负数" in _field_error(exc_info, "spent")
    after = ProjectYear.objects.get(pk=prog.year.pk)
    assert (after.committed, after.spent) == (before.committed, before.spent)


def test_given_a_second_entry_for_a_year_when_recording_then_it_corrects_the_row_and_audits_the_change(prog, users):
    actions.record_year(prog.project, actor=users.county_staff,
                        data={"year": prog.year.year, "committed": "80", "spent": "60", "employed": 15})  # fmt: skip

    row = ProjectYear.objects.get(project=prog.project)
    assert str(row.spent) == "60.00" and row.employed == 15
    entry = AuditEntry.objects.filter(action="programs.record_year").latest("pk")
    assert entry.before == {"spent": "30.50", "employed": 12} and entry.after["spent"] == "60.00"


def test_given_the_pairing_enterprise_when_reporting_then_allowed_and_others_refused(prog, users):
    year = {"year": prog.year.year, "committed": "1", "spent": "1"}
    project = actions.add_project(prog.pairing, actor=users.enterprise,
                                  data={"name": "消费帮扶", "kind": "consumption", "started_on": past(20)})  # fmt: skip
    actions.record_year(project, actor=users.enterprise, data=year)

    with pytest.raises(Refused):
        actions.record_year(project, actor=users.secretary, data=year)
    with pytest.raises(Refused):
        actions.record_year(project, actor=users.enterprise_b, data=year)
    secretary_project = actions.add_project(prog.chamber_pairing, actor=users.secretary,
                                            data={"name": "商会就业帮扶", "kind": "employment",
                                                  "started_on": past(20)})  # fmt: skip
    assert secretary_project.org_path == prog.chamber_pairing.org_path


def test_given_a_donation_without_a_donor_when_registering_then_refused_naming_the_enterprise(users):
    with pytest.raises(ValidationError) as exc_info:
        actions.register_donation(actor=users.county_staff, enterprise=None, data=donation_data())

    assert "请填写捐赠企业" in _field_error(exc_info, "enterprise")
    assert not Donation.objects.exists()


@pytest.mark.parametrize(
    ("over", "field", "fragment"),
    [
        ({"amount": "0"}, "amount", "应大于 0"),
        ({"amount": "-3"}, "amount", "不能为负数"),
        ({"form": "in_kind"}, "items", "请填写物资明细"),
        ({"recipient": ""}, "recipient", "请填写受赠方"),
        ({"donated_on": past(-3)}, "donated_on", "不能晚于今天"),
    ],
)
def test_given_bad_donation_fields_when_registering_then_refused_naming_the_field(tree, users, over, field, fragment):
    with pytest.raises(ValidationError) as exc_info:
        actions.register_donation(actor=users.county_staff, enterprise=tree.ent_a, data=donation_data(**over))

    assert fragment in _field_error(exc_info, field)
    assert not Donation.objects.exists()


def test_given_donations_around_a_million_when_registering_then_only_those_of_100_wan_and_more_are_flagged(tree, users):
    below = actions.register_donation(actor=users.county_staff, enterprise=tree.ent_a,
                                      data=donation_data(amount="99.99"))  # fmt: skip
    at = actions.register_donation(actor=users.county_staff, enterprise=tree.ent_a, data=donation_data(amount="100"))

    assert (below.major, at.major) == (False, True)
    assert below.number != at.number and at.number.startswith("GC")


def test_given_a_major_donation_when_reported_then_dated_once_and_a_small_one_is_refused(prog, users):
    actions.mark_reported(prog.major, actor=users.county_staff)

    assert Donation.objects.get(pk=prog.major.pk).reported_on == actions.today()
    with pytest.raises(Refused, match="已于"):
        actions.mark_reported(prog.major, actor=users.county_staff)
    with pytest.raises(Refused, match="100 万元及以上"):
        actions.mark_reported(prog.small, actor=users.county_staff)
    with pytest.raises(Refused):
        actions.mark_reported(Donation.objects.get(pk=prog.major.pk), actor=users.county_b_staff)


def test_given_an_enterprise_user_when_registering_for_another_enterprise_then_refused(tree, users):
    with pytest.raises(ValidationError) as exc_info:
        actions.register_donation(actor=users.enterprise, enterprise=tree.ent_b, data=donation_data())

    assert "本企业" in _field_error(exc_info, "enterprise")


def _stage(candidate, users, stage, days, **extra):
    data = {"stage": stage, "on": past(days), "officer": users.county_staff, **extra}
    return actions.advance_stage(candidate, actor=users.county_staff, data=data)


def test_given_a_candidate_when_advanced_in_order_to_listing_then_each_stage_is_dated_with_its_officer(prog, users):
    c = prog.candidate
    for stage, days in (("cultivate", 250), ("tutor", 200), ("apply", 100)):
        c = _stage(c, users, stage, days)
    c = _stage(c, users, "listed", 10, exchange="szse", board="chinext", stock_code="301999")

    assert c.stage == "listed" and c.listed_on == past(10) and (c.exchange, c.board) == ("szse", "chinext")
    steps = list(StageStep.objects.filter(candidate=c).values_list("stage", flat=True))
    assert steps == ["reserve", "cultivate", "tutor", "apply", "listed"]
    assert AuditEntry.objects.filter(action="programs.advance_stage").count() == 4


@pytest.mark.parametrize("stage", ["tutor", "listed", "reserve"])
def test_given_a_stage_out_of_order_when_advancing_then_refused_naming_the_stage_and_nothing_changes(
    prog, users, stage
):
    with pytest.raises(ValidationError) as exc_info:
        _stage(prog.candidate, users, stage, 5, exchange="sse", board="main")

    assert "下一阶段应为“培育”" in _field_error(exc_info, "stage")
    assert ListingCandidate.objects.get(pk=prog.candidate.pk).stage == "reserve"
    assert StageStep.objects.filter(candidate=prog.candidate).count() == 1


def test_given_a_date_before_the_current_stage_when_advancing_then_refused_naming_the_date(prog, users):
    with pytest.raises(ValidationError) as exc_info:
        _stage(prog.candidate, users, "cultivate", 400)

    assert "不能早于" in _field_error(exc_info, "on")


def test_given_a_listing_on_a_board_the_exchange_lacks_when_advancing_then_refused_naming_the_board(prog, users):
    c = prog.candidate
    for stage, days in (("cultivate", 250), ("tutor", 200), ("apply", 100)):
        c = _stage(c, users, stage, days)

    with pytest.raises(ValidationError) as exc_info:
        _stage(c, users, "listed", 10, exchange="sse", board="chinext")

    assert "没有“创业板”板块" in _field_error(exc_info, "board")
    assert ListingCandidate.objects.get(pk=c.pk).stage == "apply"


def test_given_an_officer_of_another_county_when_adding_a_candidate_then_refused_naming_the_officer(tree, users):
    data = {"tier": "silver", "criteria": ["growth"], "entered_on": past(5), "officer": users.county_b_staff}

    with pytest.raises(ValidationError) as exc_info:
        actions.add_candidate(actor=users.county_staff, enterprise=tree.ent_a, data=data)

    assert "责任人" in _field_error(exc_info, "officer")


def test_given_a_service_when_recorded_then_it_carries_the_current_stage(prog, users):
    data = {"kind": "policy", "on": past(3), "description": "讲解上市奖补政策"}
    service = actions.add_service(prog.candidate, actor=users.county_staff, data=data)

    assert service.stage == "reserve" and service.officer is None
