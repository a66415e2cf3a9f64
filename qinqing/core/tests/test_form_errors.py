"""Every form error names its field, however the form is rendered."""

import pytest
from django import forms

from qinqing.core.templatetags.form_errors import label_message

pytestmark = pytest.mark.django_db


class _Form(forms.Form):
    title = forms.CharField(label="政策名称")
    day = forms.DateField(label="发布日期")


@pytest.mark.parametrize("render", ["as_p", "as_div"])
def test_given_stock_messages_when_rendered_then_each_names_its_field(render):
    # Given a form with Django's stock messages, bound to bad input
    form = _Form({"title": "", "day": "2026-13-01"})
    assert not form.is_valid()
    # When rendered the way the pages render forms
    html = getattr(form, render)()
    # Then each message starts with its field's label
    assert "政策名称：该字段是必填项。" in html
    assert "发布日期：输入一个有效的日期。" in html


def test_given_a_message_that_already_names_the_field_then_it_is_not_named_twice():
    assert label_message("统一社会信用代码", "统一社会信用代码：校验位不正确") == "统一社会信用代码：校验位不正确"
    assert label_message("", "请选择") == "请选择"


def test_given_the_user_form_when_posted_empty_then_the_page_names_the_fields(users, login):
    html = login(users.sys_admin).post("/accounts/users/new/", {"title": "科员"}).content.decode()
    assert "账号：" in html and "姓名：" in html
