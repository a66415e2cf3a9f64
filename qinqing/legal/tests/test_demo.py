"""The demo seed at the test profile: links, a year of check-ups, talks, and real work for the demo lawyer and the
demo enterprise."""

import pytest

from qinqing.core.demo import make_context, run
from qinqing.legal.choices import FollowStatus, Status
from qinqing.legal.models import Checkup, FirmLink, LegalTalk, RiskPoint

pytestmark = pytest.mark.django_db


def test_given_the_demo_when_seeded_then_the_lawyer_and_the_enterprise_have_work(client):
    ctx = make_context("test")
    run(ctx)
    lawyer, enterprise = ctx.users["lawyer"], ctx.users["enterprise"]

    assert FirmLink.objects.filter(law_firm=lawyer.org, lawyers=lawyer).exists()
    mine = Checkup.objects.filter(lawyer=lawyer)
    assert mine.filter(status=Status.ASSIGNED).exists() and mine.filter(status=Status.VISITED).exists()
    due = mine.filter(status=Status.REPORTED, followup_due__lte=ctx_today())
    assert due.exists()
    own = Checkup.objects.get(enterprise_id=enterprise.enterprise_id)
    assert own.status == Status.REPORTED and own.risks.filter(follow_status=FollowStatus.PENDING).exists()
    assert RiskPoint.objects.exists() and LegalTalk.objects.exists()

    client.force_login(lawyer)
    page = client.get("/legal/").content.decode()
    assert "待走访" in page and due.first().number in page


def ctx_today():
    from qinqing.legal.actions import today

    return today()
