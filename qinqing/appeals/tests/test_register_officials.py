"""An FIC leader or a department liaison registers an appeal only for what an enterprise raised with them in
person (走访, e.g. a 亲清日志 matter), for an enterprise under their FIC node; staff then accept it."""

import pytest

from qinqing.appeals import workflow as wf
from qinqing.appeals.actions.common import AppealError
from qinqing.core.models import AuditEntry


@pytest.mark.parametrize("official", ["leader", "liaison"])
def test_given_an_official_when_registering_a_visit_then_the_appeal_waits_for_staff(make_appeal, users, tree, official):
    actor = getattr(users, official)
    appeal = make_appeal(actor=actor, channel="visit")
    assert appeal.status == wf.REGISTERED and appeal.reported_by == actor and appeal.fic == tree.ent_a.fic
    assert AuditEntry.objects.filter(action="appeals.register", actor_id=actor.pk).count() == 1


@pytest.mark.parametrize("official", ["leader", "liaison"])
def test_given_an_official_when_registering_through_another_channel_then_refused_and_nothing_saved(
    make_appeal, users, official
):
    from qinqing.appeals.models import Appeal

    with pytest.raises(AppealError) as exc:
        make_appeal(actor=getattr(users, official), channel="hotline")
    assert "走访" in str(exc.value) and not Appeal.objects.exists()


def test_given_a_liaison_when_registering_for_an_enterprise_of_another_fic_then_refused(make_appeal, users, tree):
    from qinqing.appeals.models import Appeal

    assert not tree.ent_b.org_path.startswith(users.liaison.org.parent.path)
    with pytest.raises(AppealError) as exc:
        make_appeal(actor=users.liaison, enterprise=tree.ent_b, channel="visit")
    assert "管辖范围" in str(exc.value) and not Appeal.objects.exists()


def test_given_a_county_leader_when_registering_for_another_county_then_refused(make_appeal, users, tree):
    from qinqing.accounts.actions import create_user

    leader_b = create_user(username="leader_b", name="leader_b", role="fic_leader", org=tree.county_b,
                           password="Qinqing@2026!", must_change_password=False)  # fmt: skip
    with pytest.raises(AppealError):
        make_appeal(actor=leader_b, enterprise=tree.ent_a, channel="visit")


def test_given_a_reviewer_when_registering_then_still_refused(make_appeal, users):
    with pytest.raises(AppealError):
        make_appeal(actor=users.reviewer, channel="visit")
