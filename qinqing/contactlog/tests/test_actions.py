"""The 亲清日志 actions: logging (flags computed, audited), bad input refused with nothing changed, matters turned
into appeals in one step, the reviewer's conclusion, and the negative list's maintenance."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from qinqing.contactlog import actions
from qinqing.contactlog.actions import ContactLogError
from qinqing.contactlog.models import ConductItem, ContactEntry, Gift, Matter
from qinqing.core.models import AuditEntry

from .conftest import flagged_data


def test_given_a_clean_visit_when_logged_then_saved_unflagged_and_audited(tree, users, data):
    entry = actions.save_entry(
        actor=users.county_staff, data=data(matters=[{"text": "用电增容审批慢", "enterprise": tree.ent_a.pk}])
    )
    assert entry.org == tree.county_a and entry.org_path == tree.county_a.path
    assert not entry.is_flagged and entry.review_status == "" and entry.flags == []
    assert list(entry.enterprises.all()) == [tree.ent_a]
    assert entry.matters.get().enterprise == tree.ent_a
    row = AuditEntry.objects.filter(action="contactlog.log_contact").get()
    assert row.object_id == str(entry.pk) and row.after["matters"] == 1


def test_given_a_banquet_and_a_kept_gift_when_logged_then_flagged_for_review(tree, users):
    entry = actions.save_entry(actor=users.county_staff, data=flagged_data(tree))
    assert entry.is_flagged and entry.review_status == "pending"
    assert [f["code"] for f in entry.flags] == ["gifts", "banquet", "meal_standard"]
    assert entry.gifts.get().value == 800


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"date": dt.date.today() + dt.timedelta(days=1)}, "date"),
        ({"date": "2026-13-01"}, "date"),
        ({"place": " "}, "place"),
        ({"purpose": "banquet"}, "purpose"),
        ({"organiser": "enterprise", "organiser_name": ""}, "organiser_name"),
        ({"had_meal": True, "meal_standard": "-5", "meal_paid_by": "own_unit"}, "meal_standard"),
        ({"had_meal": True, "meal_standard": "80", "meal_paid_by": ""}, "meal_paid_by"),
        ({"gifts": [{"description": "茶叶", "value": "-1", "returned": True}]}, "gifts"),
        ({"gifts": [{"description": "", "value": "10"}]}, "gifts"),
        ({"enterprises": [], "entrepreneurs": ""}, "enterprises"),
        ({"matters": [{"text": ""}]}, "matters"),
    ],
)
def test_given_bad_input_when_logging_then_a_chinese_message_names_the_field_and_nothing_changes(
    tree, users, data, over, field
):
    audit_rows = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        actions.save_entry(actor=users.county_staff, data=data(**over))
    assert field in exc.value.message_dict
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message_dict[field][0])
    assert ContactEntry.objects.count() == 0 and Gift.objects.count() == 0 and Matter.objects.count() == 0
    assert AuditEntry.objects.count() == audit_rows


def test_given_a_future_date_when_logging_then_the_message_says_not_after_today(tree, users, data):
    with pytest.raises(ValidationError) as exc:
        actions.save_entry(actor=users.county_staff, data=data(date=dt.date.today() + dt.timedelta(days=3)))
    assert "日期不能晚于今天" in exc.value.message_dict["date"][0]


def test_given_a_negative_gift_value_when_logging_then_the_row_is_named(tree, users, data):
    gifts = [{"description": "纪念册", "value": "20", "returned": True}, {"description": "茶叶", "value": "-1"}]
    with pytest.raises(ValidationError) as exc:
        actions.save_entry(actor=users.county_staff, data=data(gifts=gifts))
    assert "第2项礼品的价值（元）不能为负数" in exc.value.message_dict["gifts"][0]


def test_given_an_enterprise_of_another_county_when_logging_then_refused(tree, users, data):
    with pytest.raises(ValidationError) as exc:
        actions.save_entry(actor=users.county_staff, data=data(enterprises=[tree.ent_b.pk]))
    assert "enterprises" in exc.value.message_dict


def test_given_a_department_liaison_when_logging_then_enterprises_under_its_fic_are_allowed(tree, users, data):
    entry = actions.save_entry(actor=users.liaison, data=data())
    assert entry.org == tree.dept_a and entry.org_path.startswith(tree.county_a.path)


@pytest.mark.parametrize("who", ["enterprise", "banker", "reviewer", "secretary"])
def test_given_a_role_that_is_not_an_official_when_logging_then_refused(tree, users, data, who):
    with pytest.raises(ContactLogError):
        actions.save_entry(actor=getattr(users, who), data=data())
    assert ContactEntry.objects.count() == 0


def test_given_an_entry_when_its_official_corrects_it_then_flags_are_recomputed_and_audited(tree, users, flagged):
    fixed = flagged_data(tree, had_meal=True, meal_standard="60", meal_paid_by="own_unit",
                         gifts=[{"description": "茶叶两盒", "value": "800", "returned": True}])  # fmt: skip
    entry = actions.save_entry(actor=users.county_staff, data=fixed, entry=flagged)
    assert not entry.is_flagged and entry.review_status == ""
    assert entry.gifts.get().returned
    row = AuditEntry.objects.filter(action="contactlog.update_contact").get()
    assert row.before["meal_paid_by"] == "enterprise" and row.after["meal_paid_by"] == "own_unit"


def test_given_someone_elses_entry_when_correcting_then_refused(tree, users, flagged):
    with pytest.raises(ContactLogError):
        actions.save_entry(actor=users.city_staff, data=flagged_data(tree), entry=flagged)


def test_given_a_flagged_entry_when_the_reviewer_concludes_then_it_is_closed_and_locked(tree, users, flagged):
    text = "已退还礼品，提醒谈话一次"
    entry = actions.conclude_review(flagged, actor=users.reviewer, conclusion="reminder", text=text)
    assert entry.review_status == "concluded" and entry.conclusion == "reminder"
    assert entry.reviewed_by == users.reviewer and entry.reviewed_on == actions.today()
    assert AuditEntry.objects.filter(action="contactlog.conclude_review", object_id=str(entry.pk)).exists()
    with pytest.raises(ContactLogError):
        actions.save_entry(actor=users.county_staff, data=flagged_data(tree), entry=entry)
    with pytest.raises(ContactLogError):
        actions.conclude_review(entry, actor=users.reviewer, conclusion="no_issue", text="再次")


def test_given_a_conclusion_without_text_when_recorded_then_refused_and_nothing_changes(users, flagged):
    with pytest.raises(ValidationError) as exc:
        actions.conclude_review(flagged, actor=users.reviewer, conclusion="no_issue", text="  ")
    assert "请填写审查意见" in exc.value.message_dict["conclusion_text"][0]
    with pytest.raises(ValidationError) as exc:
        actions.conclude_review(flagged, actor=users.reviewer, conclusion="pardon", text="x")
    assert "conclusion" in exc.value.message_dict
    flagged.refresh_from_db()
    assert flagged.review_status == "pending" and flagged.conclusion == ""


def test_given_a_leader_or_an_unflagged_entry_when_concluding_then_refused(tree, users, data, flagged):
    with pytest.raises(ContactLogError):
        actions.conclude_review(flagged, actor=users.leader, conclusion="no_issue", text="无")
    clean = actions.save_entry(actor=users.county_staff, data=data())
    with pytest.raises(ContactLogError):
        actions.conclude_review(clean, actor=users.reviewer, conclusion="no_issue", text="无")


def test_given_a_matter_when_turned_into_an_appeal_then_registered_accepted_assigned_and_linked(tree, users, data):
    entry = actions.save_entry(actor=users.county_staff, data=data(matters=[
        {"text": "厂区用电增容审批迟迟未办", "enterprise": tree.ent_a.pk, "department": tree.dept_a.pk}]))  # fmt: skip
    matter = entry.matters.get()
    appeal = actions.matter_to_appeal(matter, actor=users.county_staff)
    matter.refresh_from_db()
    assert matter.appeal == appeal and matter.appealed_on == actions.today()
    assert appeal.enterprise == tree.ent_a and appeal.lead_department == tree.dept_a
    assert appeal.accepted_at is not None and "用电增容" in appeal.title and appeal.channel == "visit"
    assert AuditEntry.objects.filter(action="contactlog.matter_to_appeal").count() == 1
    with pytest.raises(ContactLogError):
        actions.matter_to_appeal(matter, actor=users.county_staff)


def test_given_a_matter_without_an_enterprise_when_turned_into_an_appeal_then_refused(tree, users, data):
    entry = actions.save_entry(actor=users.county_staff, data=data(matters=[{"text": "希望多组织培训"}]))
    with pytest.raises(ValidationError) as exc:
        actions.matter_to_appeal(entry.matters.get(), actor=users.county_staff)
    assert "enterprise" in exc.value.message_dict
    assert entry.matters.get().appeal is None


@pytest.mark.parametrize("official", ["liaison", "leader"])
def test_given_a_liaisons_or_leaders_matter_when_turned_into_an_appeal_then_registered_for_the_fic_to_accept(
    tree, users, data, official
):
    from qinqing.appeals import actions as appeal_actions
    from qinqing.appeals.actions.common import staff_of

    actor = getattr(users, official)
    matters = [{"text": "审批慢", "enterprise": tree.ent_a.pk, "department": tree.dept_a.pk}]
    entry = actions.save_entry(actor=actor, data=data(matters=matters))
    matter = entry.matters.get()
    with pytest.raises(ContactLogError):  # only the official who logged it
        actions.matter_to_appeal(matter, actor=users.county_staff)
    appeal = actions.matter_to_appeal(matter, actor=actor)
    matter.refresh_from_db()
    assert matter.appeal == appeal and appeal.enterprise == tree.ent_a and appeal.channel == "visit"
    assert appeal.status == "registered" and appeal.accepted_at is None and appeal.reported_by == actor
    assert appeal.fic == tree.ent_a.fic and users.county_staff in staff_of(appeal)  # in the FIC's intake queue
    logged = AuditEntry.objects.get(action="contactlog.matter_to_appeal")
    assert (
        logged.actor_id == actor.pk and logged.after["appeal"] == appeal.pk and logged.after["status"] == "registered"
    )
    assert AuditEntry.objects.filter(action="appeals.register", object_id=str(appeal.pk), actor_id=actor.pk).exists()
    accepted = appeal_actions.accept_appeal(appeal, actor=users.county_staff)  # staff take it from there
    assert accepted.status == "accepted"
    with pytest.raises(ContactLogError):
        actions.matter_to_appeal(matter, actor=actor)


def test_given_a_matter_naming_a_non_participant_when_logging_then_refused(tree, users, data):
    with pytest.raises(ValidationError) as exc:
        actions.save_entry(actor=users.county_staff, data=data(matters=[{"text": "x", "enterprise": tree.ent_b.pk}]))
    assert "第1项反映事项" in exc.value.message_dict["matters"][0]


def test_given_an_entry_when_its_official_adds_a_matter_then_it_is_saved_and_others_are_refused(tree, users, data):
    entry = actions.save_entry(actor=users.county_staff, data=data())
    matter = actions.add_matter(entry, actor=users.county_staff, data={"text": "招工难", "enterprise": tree.ent_a})
    assert matter.entry == entry
    with pytest.raises(ContactLogError):
        actions.add_matter(entry, actor=users.city_staff, data={"text": "x"})


def test_given_the_seeded_list_when_the_reviewer_adds_an_item_then_later_entries_are_flagged_by_it(tree, users, data):
    assert ConductItem.objects.filter(code="gifts", rule="gift_kept").exists()
    ConductItem.objects.filter(code="enterprise_vehicle").update(is_active=False)
    entry = actions.save_entry(actor=users.county_staff, data=data(vehicle="enterprise"))
    assert not entry.is_flagged
    actions.save_conduct_item(actor=users.reviewer, data={"code": "car2", "name": "借用企业车辆",
                                                          "rule": "enterprise_vehicle"})  # fmt: skip
    entry = actions.save_entry(actor=users.county_staff, data=data(vehicle="enterprise"))
    assert [f["code"] for f in entry.flags] == ["car2"]
    assert AuditEntry.objects.filter(action="contactlog.save_conduct").count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"code": "gifts", "name": "重复"}, "code"),
        ({"code": "Bad Code", "name": "x"}, "code"),
        ({"code": "ok", "name": ""}, "name"),
        ({"code": "ok", "name": "x", "rule": "nope"}, "rule"),
        ({"code": "ok", "name": "x", "rule": "meal_over_standard"}, "threshold"),
        ({"code": "ok", "name": "x", "threshold": "-3"}, "threshold"),
    ],
)
def test_given_bad_list_input_when_saving_an_item_then_refused_naming_the_field(users, payload, field):
    before = ConductItem.objects.count()
    with pytest.raises(ValidationError) as exc:
        actions.save_conduct_item(actor=users.reviewer, data=payload)
    assert field in exc.value.message_dict
    assert ConductItem.objects.count() == before


def test_given_staff_when_maintaining_the_list_then_refused(users):
    with pytest.raises(ContactLogError):
        actions.save_conduct_item(actor=users.city_staff, data={"code": "x1", "name": "x"})
