"""信息专报 from appeals: themes of a period and subtree, and the editable 社情民意信息 draft of one theme,
saved as a 参政议政 output."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qinqing.appeals.models import Appeal
from qinqing.core.errors import Refused
from qinqing.core.permissions import requires

from . import actions, themes
from .choices import OutputKind
from .periods import PRESETS, from_params
from .permissions import MANAGE, get_node, visible_nodes


def _scope(request):
    node = get_node(request.user, request.GET.get("org"))
    period, preset, errors = from_params(request.GET)
    return node, period, preset, errors


@requires(MANAGE)
def theme_list(request):
    node, period, preset, errors = _scope(request)
    context = {
        "node": node,
        "period": period,
        "preset": preset,
        "presets": PRESETS,
        "errors": errors,
        "nodes": visible_nodes(request.user).only("code", "name").order_by("path")[:500],
        "themes": themes.build(node.path, period),
        "query": request.GET.urlencode(),
    }
    return render(request, "reports/themes.html", context)


@requires(MANAGE)
def theme_draft(request, key: str):
    node, period, _preset, errors = _scope(request)
    theme = next((t for t in themes.build(node.path, period, limit=1000) if t.key == key), None)
    if theme is None:
        raise Http404
    parts = themes.draft(theme, node.name, period)
    if request.method == "POST":
        title = request.POST.get("title", "").strip()
        body = request.POST.get("body", "").strip()
        kind = request.POST.get("kind") if request.POST.get("kind") in (OutputKind.SQMY, OutputKind.SPECIAL) else "sqmy"
        try:
            obj = actions.record_output(node, actor=request.user, kind=kind, title=title, body=body,
                                        units=node.name)  # fmt: skip
        except Refused as exc:
            messages.error(request, str(exc))
            parts = {**parts, "title": title}
            body_text = body
        else:
            messages.success(request, _("已保存为参政议政成果"))
            return redirect("reports:output", pk=obj.pk)
    else:
        body_text = themes.body_of(parts)
    appeals = Appeal.objects.filter(pk__in=theme.ids).only("pk", "number", "title", "registered_on")[:200]
    context = {
        "node": node,
        "period": period,
        "theme": theme,
        "title": parts["title"],
        "body": body_text,
        "max_chars": themes.MAX_CHARS,
        "appeals": appeals,
        "errors": errors,
    }
    return render(request, "reports/theme_draft.html", context)
