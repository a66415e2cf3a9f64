"""The only code that writes policies, matching results and pushes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core import audit, home_versions
from qinqing.core.idranges import id_ranges
from qinqing.core.roles import Role
from qinqing.eligibility import rules

from . import attachments, matching, search_index
from . import rollups as push_rollups
from .choices import PublishState
from .models import Policy, PolicyAttachment, PolicyPush, SearchSynonym
from .permissions import can_edit, scope_path
from .search import index_policy, unindex_policy
from .synonyms import split_synonyms

AUDITED = [
    "title",
    "doc_number",
    "issuer_id",
    "issuer_name",
    "level",
    "published_on",
    "effective_on",
    "expires_on",
    "benefit_type",
    "application_method",
    "contact",
    "rule",
    "auto_push",
    "state",
]
FIELDS = [f for f in AUDITED if f != "state"] + ["summary", "body"]
MATCH_FIELDS = ["rule", "effective_on", "expires_on", "auto_push"]  # a change re-matches a published policy


def _snapshot(policy: Policy) -> dict:
    return audit.snapshot(policy, AUDITED)


def _clean(data: dict) -> dict:
    data = {k: v for k, v in data.items() if k in FIELDS or k == "issuer"}
    if not (data.get("title") or "").strip():
        raise ValidationError({"title": _("请填写政策名称")})
    effective, expires = data.get("effective_on"), data.get("expires_on")
    if effective and expires and expires < effective:
        raise ValidationError({"expires_on": _("截止日期不能早于生效日期")})
    try:
        data["rule"] = rules.normalize(data.get("rule"))
    except rules.RuleError as exc:
        raise ValidationError({"rule": str(exc)}) from None
    issuer = data.pop("issuer", None)
    if issuer is not None:
        data["issuer_id"] = issuer.pk
    return data


def _check_issuer(data: dict, *, actor, owner) -> None:
    """The issuing department must lie inside the owner's subtree and the actor's scope: a county cannot
    publish in another county's department's name (whose liaison could then edit and push it)."""
    issuer_id = data.get("issuer_id")
    if issuer_id is None:
        return
    from qinqing.orgs.models import Organization

    issuer = Organization.objects.filter(pk=issuer_id, kind="department").first()
    scope = owner.path if actor.role == Role.DEPT_LIAISON else actor.org.path
    if issuer is None or not issuer.path.startswith(owner.path) or not issuer.path.startswith(scope):
        raise ValidationError({"issuer": _("发布部门：只能选择本辖区的部门")})


def _owner_for(actor):
    if actor.role == Role.DEPT_LIAISON:
        return actor.org.fic()
    return actor.org


@transaction.atomic
def create_policy(*, actor, data: dict, owner=None) -> Policy:
    """Enter a policy (a draft) owned by the actor's FIC node or one below it."""
    if not actor.has_perm("policies.change_policy"):
        raise PermissionDenied(_("没有录入政策的权限"))
    data = dict(data)
    if actor.role == Role.DEPT_LIAISON:
        data["issuer"] = actor.org  # a department enters its own policies
    data = _clean(data)
    owner = owner or _owner_for(actor)
    if actor.role != Role.DEPT_LIAISON and not owner.path.startswith(actor.org.path):
        raise PermissionDenied(_("只能在本级及下级工商联录入政策"))
    _check_issuer(data, actor=actor, owner=owner)
    policy = Policy(**data, owner=owner, org_path=owner.path, created_by=actor)
    policy.save()
    index_policy(policy)
    audit.record("policies.create_policy", obj=policy, actor=actor, after=_snapshot(policy))
    return policy


@transaction.atomic
def update_policy(policy: Policy, *, actor, data: dict) -> Policy:
    if not can_edit(actor, policy):
        raise PermissionDenied(_("没有修改该政策的权限"))
    data = dict(data)
    if actor.role == Role.DEPT_LIAISON:
        data["issuer"] = actor.org
    data = _clean(data)
    if "issuer_id" in data and data["issuer_id"] != policy.issuer_id:
        _check_issuer(data, actor=actor, owner=policy.owner)
    before = _snapshot(policy)
    for name, value in data.items():
        setattr(policy, name, value)
    policy.save()
    index_policy(policy)
    audit.record("policies.update_policy", obj=policy, actor=actor, before=before, after=_snapshot(policy))
    after = _snapshot(policy)
    if policy.state == PublishState.PUBLISHED and any(before[f] != after[f] for f in MATCH_FIELDS):
        # Who is eligible, or whether the policy is in effect, may have changed: re-match and notify.
        transaction.on_commit(lambda: _rematch_later(policy.pk))
    return policy


@transaction.atomic
def set_policy_state(policy: Policy, *, actor, state: str) -> Policy:
    """Publish or withdraw a policy (a published policy is visible to every signed-in user)."""
    if not can_edit(actor, policy):
        raise PermissionDenied(_("没有发布该政策的权限"))
    if state not in PublishState.values:
        raise ValidationError({"state": _("发布状态无效")})
    before = _snapshot(policy)
    policy.state = state
    if state == PublishState.PUBLISHED and policy.published_on is None:
        policy.published_on = timezone.localdate()
    policy.save(update_fields=["state", "published_on", "updated_at"])
    search_index.upsert([policy.pk])  # state and date are search filters
    audit.record("policies.set_policy_state", obj=policy, actor=actor, before=before, after=_snapshot(policy))
    transaction.on_commit(lambda: _rematch_later(policy.pk))
    return policy


def _attachment_snapshot(attachment: PolicyAttachment) -> dict:
    return {
        "attachment": attachment.pk,
        "name": attachment.name,
        "filename": attachment.filename,
        "size": attachment.size,
    }


@transaction.atomic
def add_attachment(policy: Policy, *, actor, name: str, file) -> PolicyAttachment:
    """Attach a file (validated: type and size); its text is extracted and made searchable."""
    if not can_edit(actor, policy):
        raise PermissionDenied(_("没有修改该政策的权限"))
    attachments.validate(file)
    original = file.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
    text = attachments.extract_text(original, attachments.read_all(file))
    attachment = PolicyAttachment.objects.create(
        policy=policy,
        name=(name or original)[:200],
        file=file,
        filename=original,
        size=file.size,
        text=text,
    )
    index_policy(policy)  # attachment names and text are searchable
    audit.record("policies.add_attachment", obj=policy, actor=actor, after=_attachment_snapshot(attachment))
    return attachment


@transaction.atomic
def delete_attachment(attachment: PolicyAttachment, *, actor) -> None:
    """Remove an attachment; its words leave the search index, the file leaves the disk after commit."""
    policy = attachment.policy
    if not can_edit(actor, policy):
        raise PermissionDenied(_("没有修改该政策的权限"))
    before = _attachment_snapshot(attachment)
    storage, stored_name = attachment.file.storage, attachment.file.name
    attachment.delete()
    index_policy(policy)
    audit.record("policies.delete_attachment", obj=policy, actor=actor, before=before)
    transaction.on_commit(lambda: storage.delete(stored_name) if stored_name else None)


@transaction.atomic
def delete_policy(policy: Policy, *, actor) -> None:
    if not can_edit(actor, policy):
        raise PermissionDenied(_("没有删除该政策的权限"))
    if policy.state == PublishState.PUBLISHED:
        raise ValidationError(_("已发布的政策不能删除，请先撤回"))
    before = _snapshot(policy)
    pk = policy.pk
    files = [(a.file.storage, a.file.name) for a in policy.attachments.all() if a.file.name]
    policy.delete()  # its pushes and stored sets go too: their rows first, the audit chain head last
    audit.record("policies.delete_policy", obj=policy, actor=actor, object_id=pk, before=before)
    unindex_policy(pk)
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


def _rematch_later(policy_id: int) -> None:
    from .tasks import rematch_policy_task

    rematch_policy_task.enqueue(policy_id)


def rematch_policy(policy_id: int) -> dict[str, list[int]]:
    """Re-evaluate one changed policy (stored sets per scope; newly eligible ids per scope are returned).

    If the policy auto-pushes, every enterprise eligible now that was never notified of it is notified
    (this covers first publication, a changed rule or dates, and auto-push being switched on).
    """
    policy = Policy.objects.filter(pk=policy_id).first()
    if policy is None:
        return {}
    newly = matching.rematch_policy(policy)
    if policy.auto_push and matching.applicable_policies(policy.org_path).filter(pk=policy.pk).exists():
        push_to_enterprises(policy, matching.eligible_ids(policy, policy.org_path).to_list(), actor=None)
    return newly


def push_newly_eligible(newly: dict) -> int:
    """After a batch run: notify the newly eligible enterprises of each auto-pushing policy (once)."""
    pushed = 0
    policies = Policy.objects.filter(pk__in=list(newly), auto_push=True, state=PublishState.PUBLISHED)
    for policy in policies.order_by("pk"):
        ids = newly[policy.pk]
        pushed += push_to_enterprises(policy, ids.to_list() if hasattr(ids, "to_list") else ids, actor=None)
    return pushed


ENTERPRISES_INLINE = 200  # more changed enterprises than this are re-matched by a background task
ENTERPRISES_PER_TASK = 5000


def enterprises_changed(enterprise_ids) -> None:
    """Call after committing changes to enterprises' data (the registry import): re-match just those
    enterprises against the policies applying to them and notify newly eligible ones (auto-push policies).

    A few are done at once; larger sets go to background tasks of ENTERPRISES_PER_TASK enterprises.
    """
    ids = sorted({int(i) for i in enterprise_ids})
    if len(ids) <= ENTERPRISES_INLINE:
        rematch_enterprises(ids)
        return
    from .tasks import rematch_enterprises_task

    for start in range(0, len(ids), ENTERPRISES_PER_TASK):
        # as id ranges ("1001-6000"): a list of 5,000 ids costs 20x more to store as the task's argument
        rematch_enterprises_task.enqueue(id_ranges(ids[start : start + ENTERPRISES_PER_TASK]))


@transaction.atomic
def rematch_enterprises(enterprise_ids: list[int]) -> dict[int, list[int]]:
    """Re-match the enterprises and notify them; per policy, the enterprises notified now.

    Locks in the one order every matching path keeps: stored sets (by id), pushes (by policy, enterprise), the
    audit chain head last, for the audit rows' insert and the commit only (a task of 5,000 enterprises must not
    hold users' audited actions for its whole length, nor wait on a push while holding the head); the push rollups'
    rows between the pushes and the head (rollups.counted_at_end)."""
    if not enterprise_ids:
        return {}
    pushed: dict[int, list[int]] = {}
    # counted_at_end ends first: the rollup rows after every push, before the head.
    with audit.written_at_end(), push_rollups.counted_at_end():
        eligible = matching.rematch_enterprises(enterprise_ids)
        for policy in Policy.objects.filter(pk__in=list(eligible), auto_push=True).order_by("pk"):
            ids = _push(policy, eligible[policy.pk], actor=None)
            if ids:
                pushed[policy.pk] = ids
    return pushed


def enterprise_changed(enterprise) -> list[int]:
    """Call after one enterprise's data changed: re-match it; the policies it was notified of now."""
    return sorted(rematch_enterprises([enterprise.pk]))


@transaction.atomic
def push_to_enterprises(policy: Policy, enterprise_ids, *, actor) -> int:
    """Notify enterprises of a policy they are eligible for; never twice for the same pair."""
    return len(_push(policy, enterprise_ids, actor=actor))


def _push(policy: Policy, enterprise_ids, *, actor, within: str = "/") -> list[int]:
    """Create the missing PolicyPush rows (enterprises under ``within``) and notify; the ids notified."""
    from qinqing.registry.models import Enterprise

    ids = {int(i) for i in enterprise_ids}
    if not ids:
        return []
    if len(ids) > CHUNK:  # many candidates: one read of the policy's pushes instead of a huge IN list
        ids -= set(PolicyPush.objects.filter(policy=policy).values_list("enterprise_id", flat=True))
    else:
        ids -= set(
            PolicyPush.objects.filter(policy=policy, enterprise_id__in=ids).values_list("enterprise_id", flat=True)
        )
    ordered = sorted(ids)
    firms: list[tuple[int, str]] = []
    for start in range(0, len(ordered), CHUNK):
        chunk = Enterprise.objects.filter(pk__in=ordered[start : start + CHUNK], org_path__startswith=within)
        firms += chunk.order_by("pk").values_list("pk", "org_path")  # inserted in (policy, enterprise) order
    if not firms:
        return []
    now = timezone.now()
    inserted = _insert_pushes(policy, firms, now)
    push_rollups.count_new_pushes(now, inserted)  # the figures' counts, from what was written
    home_versions.changed("policies.PolicyPush")  # a bulk insert sends no signal: the home cards recount
    pushed = sorted(pk for pk, _path in inserted)  # not those a concurrent push notified first
    if not pushed:
        return []
    for start in range(0, len(pushed), CHUNK):
        _notify(policy, pushed[start : start + CHUNK])
    audit.record(
        "policies.push_policy",
        obj=policy,
        actor=actor,
        after={"enterprises": len(pushed), "automatic": actor is None},
        message=_("政策推送") if actor is not None else _("政策自动推送"),
    )
    return pushed


CHUNK = 5000


def _insert_pushes(policy: Policy, firms: list[tuple[int, str]], now) -> list[tuple[int, str]]:
    """Insert the pushes (enterprise id, org_path); the ones written. What ``bulk_create(ignore_conflicts=True)``
    did, with ``RETURNING``: a pair a concurrent push wrote first is skipped, and not counted by the rollups."""
    stamp = PolicyPush._meta.get_field("created_at").get_db_prep_value(
        now, connections[router.db_for_write(PolicyPush)]
    )
    rows = [(stamp, stamp, policy.pk, pk, path) for pk, path in firms]
    fields = ("created_at", "updated_at", "policy", "enterprise", "org_path")
    written = push_rollups.insert_missing(PolicyPush, fields, rows, ("enterprise", "org_path"))
    return [(int(e), p) for e, p in written]


def _notify(policy: Policy, enterprise_ids: list[int]) -> None:
    try:
        from qinqing.notifications.actions import notify
    except ImportError:  # notifications not installed: the PolicyPush rows are the inbox
        return
    from qinqing.accounts.models import User

    recipients = User.objects.filter(enterprise_id__in=enterprise_ids, is_active=True)
    notify(
        recipients,
        kind="policy",
        title=(_("您可能符合政策：%(title)s") % {"title": policy.title})[:200],
        body=policy.summary,
        url=reverse("policies:detail", args=[policy.pk]),
        key=f"policy-{policy.pk}",
    )


@transaction.atomic
def push_policy(policy: Policy, *, actor) -> int:
    """Staff push a policy to every eligible enterprise of their scope that has not had it yet."""
    if not actor.has_perm("policies.push_policy"):
        raise PermissionDenied(_("没有推送政策的权限"))
    scope = scope_path(actor)
    return len(_push(policy, matching.eligible_ids(policy, scope).to_list(), actor=actor, within=scope))


def export_eligible(policy: Policy, enterprises, *, actor):
    """The eligible list as Excel (mobile numbers masked unless the actor holds registry.view_pii), audited."""
    from . import exports

    if not actor.has_perm("policies.view_matching"):
        raise PermissionDenied(_("没有导出名单的权限"))
    response, rows = exports.eligible_xlsx(policy, enterprises, actor=actor)
    audit.record(
        "policies.export_eligible",
        obj=policy,
        actor=actor,
        after={"rows": rows, "unmasked": exports.unmasked_for(actor)},
        message=_("导出符合条件企业名单%(rows)s条") % {"rows": rows},
    )
    return response


def mark_push_opened(policy: Policy, enterprise) -> None:
    """The enterprise opened the policy it was pushed: record the first time."""
    with transaction.atomic():
        # Locked first: a second open of the same push waits, then finds it opened and counts nothing.
        unopened = PolicyPush.objects.select_for_update().filter(
            policy=policy, enterprise=enterprise, opened_at__isnull=True
        )
        pks = list(unopened.values_list("pk", flat=True))
        if not pks:
            return
        with push_rollups.opened_tracking(pks):
            PolicyPush.objects.filter(pk__in=pks).update(opened_at=timezone.now())


def start_matching(*, actor, scope: str | None = None):
    """Run matching for the actor's scope as a background job with progress."""
    if not actor.has_perm("policies.run_matching"):
        raise PermissionDenied(_("没有运行政策匹配的权限"))
    from qinqing.core.jobs import start_job

    from .tasks import match_policies_task

    scope = scope or scope_path(actor)
    if not scope.startswith(actor.org.path):
        raise PermissionDenied(_("只能匹配本级及下级范围"))
    return start_job(
        "policies.match", _("政策匹配"), user=actor, params={"scope": scope}, task=match_policies_task, org_path=scope
    )


def _synonym_snapshot(synonym: SearchSynonym) -> dict:
    return {"term": synonym.term, "synonyms": synonym.synonyms}


@transaction.atomic
def save_synonym(synonym: SearchSynonym | None, *, actor, term: str, words: str) -> SearchSynonym:
    """Add or change a row of the search synonym table (applies to the next search, on both engines)."""
    if not actor.has_perm("policies.manage_synonyms"):
        raise PermissionDenied(_("没有维护检索同义词的权限"))
    term = term.strip().lower()
    cleaned = [w for w in split_synonyms(words) if w != term]
    if not term:
        raise ValidationError({"term": _("请填写检索词")})
    if not cleaned:
        raise ValidationError({"synonyms": _("请至少填写一个与检索词不同的词")})
    clash = SearchSynonym.objects.filter(term=term).exclude(pk=synonym.pk if synonym else None)
    if clash.exists():
        raise ValidationError({"term": _("检索词“%(term)s”已有一行，请直接修改该行") % {"term": term}})
    before = _synonym_snapshot(synonym) if synonym else None
    synonym = synonym or SearchSynonym()
    synonym.term, synonym.synonyms = term, " ".join(cleaned)
    synonym.save()
    audit.record("policies.save_synonym", obj=synonym, actor=actor, before=before, after=_synonym_snapshot(synonym))
    return synonym


@transaction.atomic
def delete_synonym(synonym: SearchSynonym, *, actor) -> None:
    if not actor.has_perm("policies.manage_synonyms"):
        raise PermissionDenied(_("没有维护检索同义词的权限"))
    audit.record("policies.delete_synonym", obj=synonym, actor=actor, before=_synonym_snapshot(synonym))
    synonym.delete()
