"""The side menu and the home page's shortcuts are built in Python (navigation.side_menu/shortcuts) with the
markup the template loop produced; the entries are worked out once per set of permissions."""

import pytest

from qinqing.core.navigation import items_for, shortcuts, side_menu

ITEMS = [
    {"label": "首页", "url": "/", "group": "", "mobile": True},
    {"label": "企业诉求", "url": "/appeals/", "group": "诉求", "mobile": False, "active": True},
    {"label": "诉求统计", "url": "/appeals/figures/", "group": "诉求", "mobile": False},
    {"label": "<政策>", "url": "/policies/?a=1&b=2", "group": "政策", "mobile": False},
]


def test_given_entries_in_groups_then_each_group_is_headed_once_and_the_active_entry_marked():
    assert str(side_menu(ITEMS)) == (
        '<a href="/" class="">首页</a>'
        '<div class="group">诉求</div><a href="/appeals/" class="active">企业诉求</a>'
        '<a href="/appeals/figures/" class="">诉求统计</a>'
        '<div class="group">政策</div><a href="/policies/?a=1&amp;b=2" class="">&lt;政策&gt;</a>'
    )


def test_shortcuts_leave_out_the_home_page_and_escape():
    html = str(shortcuts(ITEMS))
    assert 'href="/"' not in html and html.count("<li>") == 3 and "&lt;政策&gt;" in html


@pytest.mark.django_db
def test_given_two_roles_then_each_sees_its_own_entries_and_a_fresh_copy(users):
    staff, enterprise = items_for(users.county_staff), items_for(users.enterprise)
    assert {i["url"] for i in staff} != {i["url"] for i in enterprise}
    staff[0]["active"] = True  # the caller marks the active entry on its own copy
    assert "active" not in items_for(users.county_staff)[0]


@pytest.mark.django_db
def test_given_a_page_then_the_kept_menu_is_the_one_built_for_it(users):
    from qinqing.core.navigation import cached_shortcuts, cached_side_menu

    items = items_for(users.county_staff)
    items[1]["active"] = True
    assert cached_side_menu(users.county_staff, items[1]["url"]) == side_menu(items)
    assert cached_side_menu(users.county_staff, "") == side_menu(items_for(users.county_staff))
    assert cached_shortcuts(users.county_staff) == shortcuts(items)
    assert cached_side_menu(users.enterprise, "") != cached_side_menu(users.county_staff, "")
