"""Field errors that name their field, on every form the platform renders (as_p, as_div, as_field_group).

Django's stock messages ("这个字段是必填项。") do not say which field; shown as "名称：这个字段是必填项。"
a message is understandable on its own (a screen reader, a long form, an HTMX fragment). Messages that
already start with the label (registry.forms.NamedErrors, actions' own errors) are left as they are.
"""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


def label_message(label: str, message: str) -> str:
    label = str(label or "").strip()
    message = str(message)
    if not label or message.startswith(label):
        return message
    return f"{label}：{message}"


@register.simple_tag
def named_errors(field, errors):
    if not errors:
        return ""
    items = format_html_join("", "<li>{}</li>", ((label_message(field.label, e),) for e in errors))
    field_id = getattr(errors, "field_id", None)
    if field_id:
        return format_html('<ul class="errorlist" id="{}_error">{}</ul>', field_id, items)
    return format_html('<ul class="errorlist">{}</ul>', items)
