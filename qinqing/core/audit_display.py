"""How the audit log page shows a row: the action and the object in Chinese, and before/after as a table of
fields (中文字段名, readable values) instead of the stored JSON.

Names come from what the code already declares, so a new action needs no entry here in most cases:
- an action code ``app.verb_model`` (registry.update_enterprise) reads as verb + the model's verbose_name
  (修改 企业); appeal transitions (appeals.accept) use the workflow's own labels (受理);
- ACTIONS lists the codes that do not follow that pattern (security.login …);
- a field is named by the object's model (verbose_name, choices for its values), else by FIELDS.
A code nobody named is shown as the app's name and the code, never hidden.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ACTIONS = {
    "security.login": gettext_lazy("登录"),
    "security.login_failed": gettext_lazy("登录失败"),
    "security.logout": gettext_lazy("退出登录"),
    "security.permission_denied": gettext_lazy("越权访问被拒绝"),
    "security.token_issued": gettext_lazy("签发接口令牌"),
    "security.tokens_revoked": gettext_lazy("吊销接口令牌"),
    "security.totp_enabled": gettext_lazy("启用动态口令"),
    "security.totp_disabled": gettext_lazy("停用动态口令"),
    "security.recovery_code_used": gettext_lazy("使用恢复码登录"),
    "security.recovery_codes_renewed": gettext_lazy("重新生成恢复码"),
    "security.access_log_cleared": gettext_lazy("清理访问日志"),
    "security.failure_log_cleared": gettext_lazy("清理登录失败记录"),
    "accounts.change_password": gettext_lazy("修改密码"),
    "accounts.reset_password": gettext_lazy("重置密码"),
    "accounts.cancel_request": gettext_lazy("撤销申请"),
    "appeals.register": gettext_lazy("登记诉求"),
    "appeals.deadline": gettext_lazy("重算办理期限"),
    "appeals.link": gettext_lazy("关联诉求"),
    "appeals.merged_in": gettext_lazy("并入重复诉求"),
    "core.job_started": gettext_lazy("启动后台任务"),
    "core.set_calendar_day": gettext_lazy("设置节假日"),
    "core.remove_calendar_day": gettext_lazy("删除节假日设置"),
    "meetings.create": gettext_lazy("创建恳谈会"),
    "meetings.update": gettext_lazy("修改恳谈会"),
    "meetings.hold": gettext_lazy("恳谈会已召开"),
    "meetings.sign_off": gettext_lazy("成果销号"),
    "orgs.sync_regions": gettext_lazy("同步行政区划"),
    "policies.set_policy_state": gettext_lazy("发布或撤回政策"),
    "policies.save_synonym": gettext_lazy("保存检索同义词"),
    "policies.delete_synonym": gettext_lazy("删除检索同义词"),
    "registry.refuse_import": gettext_lazy("拒绝导入"),
    "registry.start_term": gettext_lazy("开始新一届"),
    "registry.remove_rating": gettext_lazy("撤销评级"),
    "operations.backup": gettext_lazy("备份"),
    "operations.prune_backups": gettext_lazy("清理旧备份"),
}
VERBS = {
    "create": gettext_lazy("新增"),
    "add": gettext_lazy("添加"),
    "update": gettext_lazy("修改"),
    "save": gettext_lazy("保存"),
    "delete": gettext_lazy("删除"),
    "remove": gettext_lazy("移除"),
    "register": gettext_lazy("登记"),
    "set": gettext_lazy("设置"),
    "import": gettext_lazy("导入"),
    "export": gettext_lazy("导出"),
    "merge": gettext_lazy("合并"),
    "push": gettext_lazy("推送"),
    "withdraw": gettext_lazy("撤回"),
    "complete": gettext_lazy("完成"),
    "reveal": gettext_lazy("查看完整信息"),
}
# Keys of before/after that are not a model field of the object (or name it differently).
FIELDS = {
    "status": gettext_lazy("状态"),
    "state": gettext_lazy("状态"),
    "deadline": gettext_lazy("办理期限"),
    "due_on": gettext_lazy("办理期限"),
    "role": gettext_lazy("角色"),
    "org_id": gettext_lazy("所属组织"),
    "enterprise_id": gettext_lazy("企业"),
    "count": gettext_lazy("数量"),
    "rows": gettext_lazy("行数"),
    "reason": gettext_lazy("原因"),
    "year": gettext_lazy("年份"),
    "date": gettext_lazy("日期"),
    "is_workday": gettext_lazy("是否上班"),
    "name": gettext_lazy("名称"),
}
EMPTY = "—"
MAX_VALUE = 200


@dataclass
class Change:
    label: str
    before: str
    after: str
    changed: bool


def _model(object_type: str) -> type[models.Model] | None:
    if "." not in (object_type or ""):
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _app_label(app: str) -> str:
    try:
        return str(apps.get_app_config(app).verbose_name)
    except LookupError:
        return app


def action_label(code: str) -> str:
    """The Chinese name of an audit action code."""
    if code in ACTIONS:
        return str(ACTIONS[code])
    app, _dot, name = code.partition(".")
    if app == "appeals":
        from qinqing.appeals.workflow import TRANSITIONS

        if name in TRANSITIONS:
            return str(TRANSITIONS[name].label)
    verb, _sep, noun = name.partition("_")
    if verb in VERBS and noun:
        for model in _models_of(app):
            if model._meta.model_name.endswith(noun.replace("_", "")):  # attachment → policyattachment
                return f"{VERBS[verb]}{model._meta.verbose_name}"
    return f"{_app_label(app)} {code}" if app else code


def _models_of(app: str) -> list[type[models.Model]]:
    try:
        return list(apps.get_app_config(app).get_models())
    except LookupError:
        return []


def object_label(object_type: str) -> str:
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else (object_type or "")


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    for name in (key, key.removesuffix("_id")):
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
    return None


def field_label(model: type[models.Model] | None, key: str) -> str:
    field = _field(model, key)
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return str(FIELDS.get(key, key))


def value_text(field: models.Field | None, value: Any) -> str:
    """A stored JSON value as a person reads it (choice labels, 是/否, lists joined)."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return _("是") if value else _("否")
    choices = dict(getattr(field, "flatchoices", None) or [])
    if choices and not isinstance(value, (list, dict)):
        return str(choices.get(value, value))
    if isinstance(value, list):
        text = "、".join(value_text(field, v) for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def changes(object_type: str, before: dict | None, after: dict | None) -> list[Change]:
    """One row per field named in before or after, in their order; ``changed`` marks a differing value."""
    model = _model(object_type)
    before, after = before or {}, after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [Change(_("内容"), value_text(None, before), value_text(None, after), before != after)]
    rows = []
    for key in dict.fromkeys([*before, *after]):
        field = _field(model, key)
        rows.append(
            Change(
                field_label(model, key),
                value_text(field, before.get(key)) if key in before else "",
                value_text(field, after.get(key)) if key in after else "",
                key in before and key in after and before[key] != after[key],
            )
        )
    return rows


def present(entries) -> list[dict]:
    """The page's rows: each entry with its action, object and field table in Chinese."""
    return [
        {
            "entry": e,
            "action": action_label(e.action),
            "object_type": object_label(e.object_type),
            "changes": changes(e.object_type, e.before, e.after),
            "has_before": e.before is not None,
            "has_after": e.after is not None,
        }
        for e in entries
    ]
