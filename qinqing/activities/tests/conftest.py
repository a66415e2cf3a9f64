import datetime as dt

import pytest


@pytest.fixture
def training(tree, users):
    """A two-day county-A training (today and tomorrow), 2 places, waitlist on."""
    from qinqing.activities import actions

    today = actions.today()
    return actions.save_activity(actor=users.county_staff, data={
        "kind": "training", "title": "电商直播培训班", "starts_on": today, "ends_on": today + dt.timedelta(days=1),
        "place": "岳阳县工商联三楼会议室", "capacity": 2, "waitlist": True,
    })  # fmt: skip
