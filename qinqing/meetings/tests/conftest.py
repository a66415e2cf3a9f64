from datetime import date

import pytest

# Holding a meeting is refused before its date: pin the appeals' "today" (which the meetings use) after
# every meeting date in these tests, so they do not depend on the day they run.
TEST_TODAY = date(2026, 12, 11)  # a Friday


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch):
    from qinqing.appeals import actions

    monkeypatch.setattr(actions, "today", lambda: TEST_TODAY)
