"""Default classification (type × domain) from PRODUCT.md; administrators edit it afterwards."""

TYPES = [
    ("complaint", "投诉维权"),
    ("coordination", "协调帮助"),
    ("report", "情况反映"),
    ("consult", "个案咨询"),
]
DOMAINS = [
    ("finance", "融资"),
    ("labour", "用工"),
    ("land", "用地"),
    ("approval", "审批"),
    ("enforcement", "执法"),
    ("tax", "税费"),
    ("arrears", "账款拖欠"),
    ("market", "市场准入"),
    ("ip", "知识产权"),
    ("other", "其他"),
]
