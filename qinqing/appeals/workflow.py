"""The appeal state machine (受理 → 交办 → 办理 → 答复 → 回访 → 办结) as plain data: no ORM.

Each transition names its from-states, its to-state (None: the state does not change, e.g. 催办 or
申请延期) and the roles allowed to make it. The actions package looks a transition up here, checks it against
the appeal's current state after taking the row lock, then writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinqing.core.errors import Refused

# States
REGISTERED = "registered"
ACCEPTED = "accepted"
REJECTED = "rejected"
ASSIGNED = "assigned"
CONTACTED = "contacted"
REPLIED = "replied"
CLOSED = "closed"
MERGED = "merged"

STATE_LABELS = {
    REGISTERED: gettext_lazy("已登记"),
    ACCEPTED: gettext_lazy("已受理"),
    REJECTED: gettext_lazy("不予受理"),
    ASSIGNED: gettext_lazy("已交办"),
    CONTACTED: gettext_lazy("已联系"),
    REPLIED: gettext_lazy("已答复"),
    CLOSED: gettext_lazy("已办结"),
    MERGED: gettext_lazy("已合并"),
}
FINAL_STATES = frozenset({REJECTED, CLOSED, MERGED})
OPEN_STATES = frozenset(STATE_LABELS) - FINAL_STATES
OPEN_LIST = sorted(OPEN_STATES)  # the same states in a fixed order (a partial index's condition, the list filter)
HANDLING_STATES = frozenset({ASSIGNED, CONTACTED})

# Roles (values of qinqing.core.roles.Role, repeated here so this module stays import-free)
STAFF = "fic_staff"
LEADER = "fic_leader"
LIAISON = "dept_liaison"
ENTERPRISE = "enterprise"
SECRETARY = "chamber_secretary"

# Satisfaction (回访满意度)
SATISFACTION_LABELS = {
    5: gettext_lazy("非常满意"),
    4: gettext_lazy("满意"),
    3: gettext_lazy("基本满意"),
    2: gettext_lazy("不满意"),
    1: gettext_lazy("非常不满意"),
}
SATISFIED_LEVELS = frozenset({5, 4, 3})


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: state unchanged
    roles: frozenset[str]


def _t(name: str, label: str, sources: set[str] | frozenset[str], target: str | None, roles: set[str]) -> Transition:
    return Transition(name, label, frozenset(sources), target, frozenset(roles))


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _t("accept", gettext_lazy("受理"), {REGISTERED}, ACCEPTED, {STAFF}),
        _t("reject", gettext_lazy("不予受理"), {REGISTERED}, REJECTED, {STAFF}),
        _t("assign", gettext_lazy("交办"), {ACCEPTED}, ASSIGNED, {STAFF}),
        _t("contact", gettext_lazy("首次联系企业"), {ASSIGNED}, CONTACTED, {LIAISON}),
        _t("reply", gettext_lazy("答复"), {CONTACTED}, REPLIED, {LIAISON}),
        _t("return", gettext_lazy("退回"), HANDLING_STATES, ACCEPTED, {LIAISON}),
        _t("close", gettext_lazy("回访办结"), {REPLIED}, CLOSED, {STAFF, ENTERPRISE}),
        _t("rehandle", gettext_lazy("不满意重办"), {REPLIED}, ASSIGNED, {STAFF, ENTERPRISE}),
        _t("request_extension", gettext_lazy("申请延期"), HANDLING_STATES, None, {LIAISON}),
        _t("decide_extension", gettext_lazy("审批延期"), HANDLING_STATES | {REPLIED}, None, {STAFF}),
        _t("pause", gettext_lazy("等待企业补充材料"), {REGISTERED, ACCEPTED} | HANDLING_STATES, None, {STAFF, LIAISON}),
        _t("resume", gettext_lazy("企业已补充材料"), {REGISTERED, ACCEPTED} | HANDLING_STATES, None, {STAFF, LIAISON}),
        _t("urge", gettext_lazy("催办"), {ACCEPTED} | HANDLING_STATES, None, {STAFF, LEADER}),
        _t("supervise", gettext_lazy("督办"), {ACCEPTED} | HANDLING_STATES, None, {STAFF, LEADER}),
        _t("merge", gettext_lazy("合并为重复诉求"), {REGISTERED, ACCEPTED} | HANDLING_STATES, MERGED, {STAFF}),
        _t("solve_on_spot", gettext_lazy("现场解决"), {REGISTERED, ACCEPTED}, CLOSED, {STAFF}),
        # The enterprise sends what was asked for while the clock was stopped; this resumes it.
        _t("supply", gettext_lazy("企业补充材料"), {REGISTERED, ACCEPTED} | HANDLING_STATES, None, {ENTERPRISE}),
        # A co-handling department (协办单位) records its part; the lead department and the FIC read it.
        _t("co_note", gettext_lazy("协办意见"), HANDLING_STATES | {REPLIED}, None, {LIAISON}),
    )
}


class TransitionError(Refused):
    """A transition that is not allowed; the message is shown to the user as is (Chinese)."""


def check(name: str, state: str, role: str, *, paused: bool = False) -> Transition:
    """Return the transition if ``role`` may apply ``name`` to an appeal in ``state``; raise otherwise."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionError(_("未知的操作：%(name)s") % {"name": name})
    if role not in transition.roles:
        raise TransitionError(_("您的角色不能执行“%(action)s”") % {"action": transition.label})
    if state not in transition.sources:
        raise TransitionError(
            _("诉求当前状态为“%(state)s”，不能执行“%(action)s”（可能已被他人处理，请刷新）")
            % {"state": STATE_LABELS.get(state, state), "action": transition.label}
        )
    if name == "pause" and paused:
        raise TransitionError(_("诉求已在等待企业补充材料"))
    if name in ("resume", "supply") and not paused:
        raise TransitionError(_("诉求未处于等待企业补充材料状态"))
    if paused and name not in {"resume", "supply", "urge", "supervise", "merge", "decide_extension", "co_note"}:
        raise TransitionError(_("诉求正在等待企业补充材料，请先恢复办理"))
    return transition


def allowed(state: str, role: str, *, paused: bool = False) -> list[Transition]:
    """The transitions this role may make now (drives which buttons a page shows)."""
    result = []
    for name in TRANSITIONS:
        try:
            result.append(check(name, state, role, paused=paused))
        except TransitionError:
            continue
    return result


def callback_outcome(satisfaction: int) -> str:
    """不满意/非常不满意 sends the appeal back for re-handling; anything better closes it."""
    if satisfaction not in SATISFACTION_LABELS:
        raise TransitionError(_("请选择满意度（非常满意、满意、基本满意、不满意、非常不满意）"))
    return "close" if satisfaction in SATISFIED_LEVELS else "rehandle"
