from qinqing.core.navigation import NavItem

ITEMS = [
    NavItem("组织机构", "orgs:tree", "orgs.view_organization", group="基础数据", order=900),
    NavItem("节假日设置", "core:calendar", "core.manage_calendar", group="系统管理", order=950),
]
