"""万所联万会 links: services promised with a number over the term, and delivered check-ups, talks and recorded
services counted against them on the link page (and through the API); recording a service is audited."""

import datetime as dt

import pytest

from qinqing.core.models import AuditEntry
from qinqing.legal import actions
from qinqing.legal.delivery import Line, lines
from qinqing.legal.models import LinkService

from .conftest import link_data, walk_to

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(False)
def test_given_targets_and_deliveries_when_lined_up_then_promised_delivered_and_rate():
    got = lines(["checkup", "talk", "consult"], {"checkup": 10, "talk": 2}, {"checkup": 4, "talk": 2, "rights": 1},
                ["checkup", "talk", "consult", "contract", "mediation", "rights"])  # fmt: skip
    assert got == [Line("checkup", True, 10, 4), Line("talk", True, 2, 2), Line("consult", True, None, 0),
                   Line("rights", False, None, 1)]  # fmt: skip
    assert [(x.rate, x.met) for x in got] == [(40.0, False), (100.0, True), (None, None), (None, None)]


def test_given_a_link_when_targets_are_bad_then_named_and_nothing_changes(legal, tree, users):
    from django.core.exceptions import ValidationError

    link = legal.link
    with pytest.raises(ValidationError) as err:
        actions.save_link(actor=users.county_staff, link=link,
                          data=link_data(tree, users, legal.today, targets={"contract": 3}))  # fmt: skip
    assert "target_contract" in err.value.message_dict and "请先勾选" in err.value.message_dict["target_contract"][0]
    with pytest.raises(ValidationError) as err:
        actions.save_link(actor=users.county_staff, link=link,
                          data=link_data(tree, users, legal.today, targets={"checkup": "-1"}))  # fmt: skip
    assert "target_checkup" in err.value.message_dict
    link.refresh_from_db()
    assert link.targets == {}


def test_given_promises_when_checkups_talks_and_consultations_are_delivered_then_counted_on_the_link_page(
    legal, tree, users, login
):
    link = actions.save_link(actor=users.county_staff, link=legal.link,
                             data=link_data(tree, users, legal.today, targets={"checkup": 5, "talk": 1,
                                                                               "consult": "2"}))  # fmt: skip
    assert link.targets == {"checkup": 5, "talk": 1, "consult": 2}
    walk_to("reported", tree, users)  # a check-up visited under the link
    actions.save_talk(actor=users.lawyer, data={"date": legal.today, "topic": "劳动合同法讲座",
                                                "chamber": tree.chamber_a.pk, "attendees": 40})  # fmt: skip
    client = login(users.lawyer)
    url = f"/legal/links/{link.pk}/"

    # Bad input names the field and records nothing
    page = client.post(url, {"service": "consult", "delivered_on": str(link.starts_on - dt.timedelta(days=1)),
                             "summary": "电话咨询"}).content.decode()  # fmt: skip
    assert "服务日期应在联系期限" in page and not LinkService.objects.exists()
    page = client.post(url, {"service": "checkup", "delivered_on": str(legal.today), "summary": "x"})
    assert not LinkService.objects.exists()

    response = client.post(url, {"service": "consult", "delivered_on": str(legal.today),
                                 "credit_code": tree.ent_a.credit_code, "summary": "劳动合同条款咨询"})  # fmt: skip
    assert response.status_code == 302
    record = LinkService.objects.get()
    assert record.enterprise == tree.ent_a and record.recorded_by == users.lawyer
    entry = AuditEntry.objects.get(action="legal.record_link_service")
    assert entry.actor == users.lawyer and entry.after["service"] == "consult"

    delivery = {line.service: line for line in actions.link_delivery(link)}
    assert (delivery["checkup"].target, delivery["checkup"].delivered) == (5, 1)
    assert (delivery["talk"].delivered, delivery["talk"].met) == (1, True)
    assert (delivery["consult"].delivered, delivery["consult"].rate) == (1, 50.0)
    page = client.get(url).content.decode()
    assert "服务承诺与兑现" in page and "劳动合同条款咨询" in page and "50.0%" in page and "20.0%" in page

    # A leader reads the page without the form and cannot post; another county's staff get 404
    leader_page = login(users.leader).get(url).content.decode()
    assert "50.0%" in leader_page and "link-service-form" not in leader_page
    assert login(users.leader).post(url, {"service": "consult", "delivered_on": str(legal.today),
                                          "summary": "x"}).status_code == 404  # fmt: skip
    assert login(users.county_b_staff).get(url).status_code == 404
    assert LinkService.objects.count() == 1


def test_given_a_link_when_a_service_is_recorded_through_the_api_then_201_and_delivery_shown(legal, tree, users):
    from .test_api import _api as api_client

    client = api_client(users.county_staff)
    url = f"/api/v1/legal/links/{legal.link.pk}/"
    response = client.post(url + "services/", {"service": "contract", "delivered_on": str(legal.today),
                                               "summary": "审查采购合同"}, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    response = client.post(url + "services/", {"service": "contract", "delivered_on": "2000-01-01",
                                               "summary": "x"}, format="json")  # fmt: skip
    assert response.status_code == 400 and "delivered_on" in response.json()
    body = client.get(url).json()
    assert {"service": "contract", "promised": False, "target": None, "delivered": 1, "rate": None} in body["delivery"]
    assert api_client(users.county_b_staff).post(url + "services/", {}, format="json").status_code == 404
