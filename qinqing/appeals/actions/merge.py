"""合并 and 关联: duplicates end as 已合并 pointing at a master appeal; related appeals are linked."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core import audit

from .. import sla
from .. import workflow as wf
from ..models import (
    Appeal,
)
from .common import (
    AppealError,
    _apply,
    _event,
    _notify,
    enterprise_users,
)
from .extensions import _cancel_pending_extensions

MERGE_TARGET_REFUSED = frozenset({wf.MERGED, wf.REJECTED, wf.CLOSED})


def merge_differences(duplicate: Appeal, master: Appeal) -> list[str]:
    """What makes two appeals unlikely duplicates (different enterprise, different domain), in Chinese;
    merging them anyway needs a reason."""
    found = []
    if duplicate.enterprise_id != master.enterprise_id:
        found.append(
            _("企业不同（%(dup)s / %(master)s）") % {"dup": duplicate.enterprise.name, "master": master.enterprise.name}
        )
    if duplicate.domain_id != master.domain_id:
        found.append(
            _("诉求领域不同（%(dup)s / %(master)s）") % {"dup": duplicate.domain.name, "master": master.domain.name}
        )
    return found


@transaction.atomic
def merge_appeal(duplicate: Appeal, *, actor, master: Appeal, comment: str = "") -> Appeal:
    """合并: the duplicate ends as 已合并 pointing at the master; both keep their full histories.

    Both rows are locked in id order (two merges A→B and B→A running at once queue on the same first
    row instead of deadlocking), then the master is checked as it is under the lock: not the duplicate
    itself, still open, inside the actor's tree, and not (through earlier merges) below the duplicate.
    """
    if duplicate.pk == master.pk:
        raise AppealError(_("不能把诉求合并到它自己"))
    rows = {
        a.pk: a
        for a in Appeal.objects.select_for_update(of=("self",)).filter(pk__in=[duplicate.pk, master.pk]).order_by("pk")
    }
    locked_master = rows.get(master.pk)
    if locked_master is None or duplicate.pk not in rows:
        raise AppealError(_("诉求不存在"))
    if locked_master.status in MERGE_TARGET_REFUSED:
        raise AppealError(
            _("主诉求 %(number)s %(state)s，不能作为合并对象（请选择仍在办理中的诉求）")
            % {"number": locked_master.number, "state": locked_master.status_label}
        )
    if not locked_master.org_path.startswith(actor.org.path):
        raise AppealError(_("主诉求不在您的管辖范围内"))
    seen, up = {duplicate.pk}, locked_master.merged_into_id
    while up is not None:  # defensive: an open master has no merged_into, but old data might
        if up in seen:
            raise AppealError(_("不能循环合并：主诉求已（间接）合并到本诉求"))
        seen.add(up)
        up = Appeal.objects.filter(pk=up).values_list("merged_into_id", flat=True).first()
    master = locked_master
    differences = merge_differences(rows[duplicate.pk], master)
    if differences and not (comment or "").strip():
        facts = {"differences": "，".join(differences)}
        raise AppealError(_("两件诉求%(differences)s，可能并非重复；如确需合并，请填写合并理由") % facts)

    def mutate(a: Appeal) -> None:
        _cancel_pending_extensions(a, actor, _("诉求已合并至 %(number)s") % {"number": master.number})
        a.merged_into = master
        a.closed_at = timezone.now()
        a.deadline_state = sla.OK

    if differences:
        comment = _("合并理由：%(reason)s（%(differences)s）") % {
            "reason": comment.strip(),
            "differences": "，".join(differences),
        }
    comment = comment or _("与 %(number)s 重复，已合并") % {"number": master.number}
    duplicate, event = _apply(duplicate, actor, "merge", mutate, comment=comment, differences=differences)
    duplicate.related.add(master)
    _event(
        master,
        actor,
        "merged_in",
        _("并入重复诉求"),
        master.status,
        _("%(number)s 已并入本诉求") % {"number": duplicate.number},
        duplicate=duplicate.pk,
        public=duplicate.enterprise_id == master.enterprise_id,  # another enterprise's appeal stays internal
    )
    audit.record("appeals.merged_in", obj=master, actor=actor, after={"duplicate": duplicate.pk})
    # The merged enterprise follows the master appeal from now on: the message links there (read-only).
    _notify(
        duplicate,
        event,
        enterprise_users(duplicate),
        _("您的诉求已与 %(number)s 合并办理") % {"number": master.number},
        link=master,
    )
    return duplicate


@transaction.atomic
def link_appeals(appeal: Appeal, other: Appeal, *, actor) -> None:
    """关联: mark two appeals as related without changing either's state."""
    if appeal.pk == other.pk:
        raise AppealError(_("不能关联诉求自身"))
    for a in (appeal, other):
        if not a.org_path.startswith(actor.org.path):
            raise AppealError(_("诉求 %(number)s 不在您的管辖范围内") % {"number": a.number})
    appeal.related.add(other)
    audit.record("appeals.link", obj=appeal, actor=actor, after={"related": other.pk})
    _event(
        appeal,
        actor,
        "link",
        _("关联诉求"),
        appeal.status,
        _("关联 %(number)s") % {"number": other.number},
        public=False,
    )
