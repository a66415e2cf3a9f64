import pytest

from qinqing.appeals import workflow as wf


def test_given_registered_when_staff_accepts_then_accepted():
    assert wf.check("accept", wf.REGISTERED, wf.STAFF).target == wf.ACCEPTED


def test_given_registered_when_liaison_accepts_then_refused_in_chinese():
    with pytest.raises(wf.TransitionError, match="角色"):
        wf.check("accept", wf.REGISTERED, wf.LIAISON)


def test_given_closed_when_staff_accepts_again_then_state_error():
    with pytest.raises(wf.TransitionError, match="已办结"):
        wf.check("accept", wf.CLOSED, wf.STAFF)


def test_given_full_path_then_each_step_allowed_for_its_role():
    steps = [
        ("accept", wf.STAFF),
        ("assign", wf.STAFF),
        ("contact", wf.LIAISON),
        ("reply", wf.LIAISON),
        ("close", wf.ENTERPRISE),
    ]
    state = wf.REGISTERED
    for name, role in steps:
        state = wf.check(name, state, role).target
    assert state == wf.CLOSED


def test_given_reply_when_unsatisfied_then_rehandle_back_to_assigned():
    assert wf.callback_outcome(2) == "rehandle"
    assert wf.callback_outcome(1) == "rehandle"
    assert wf.callback_outcome(3) == "close"
    assert wf.check("rehandle", wf.REPLIED, wf.STAFF).target == wf.ASSIGNED
    with pytest.raises(wf.TransitionError):
        wf.callback_outcome(0)


def test_given_assigned_when_department_returns_then_back_to_accepted():
    assert wf.check("return", wf.CONTACTED, wf.LIAISON).target == wf.ACCEPTED


def test_given_paused_when_reply_then_must_resume_first():
    with pytest.raises(wf.TransitionError, match="恢复"):
        wf.check("reply", wf.CONTACTED, wf.LIAISON, paused=True)
    assert wf.check("resume", wf.CONTACTED, wf.LIAISON, paused=True).target is None
    with pytest.raises(wf.TransitionError):
        wf.check("pause", wf.CONTACTED, wf.LIAISON, paused=True)


def test_given_state_then_allowed_lists_buttons():
    names = {t.name for t in wf.allowed(wf.ASSIGNED, wf.LIAISON)}
    assert {"contact", "return", "request_extension", "pause"} <= names
    assert "accept" not in names
