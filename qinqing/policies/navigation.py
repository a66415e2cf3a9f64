from qinqing.core.navigation import NavItem

ITEMS = [
    NavItem("政策超市", "policies:list", "policies.view_policy", group="政策", order=40, mobile=True),
    NavItem("我的政策", "policies:mine", "policies.view_my_policies", group="政策", order=41, mobile=True),
    NavItem("政策匹配", "policies:matching", "policies.view_matching", group="政策", order=42),
    NavItem("政策统计", "policies:figures", "policies.view_figures", group="政策", order=43),
]
