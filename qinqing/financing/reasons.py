"""The default refusal-reason catalogue (written to the database by a migration; administrators maintain it).

Each: code, name, fixable (a fix task may follow), the department usually responsible for the fix."""

DEFAULT_REASONS = [
    ("credit_record", "征信不良", True, "中国人民银行"),
    ("inquiries", "查询过多", False, ""),
    ("tax_arrears", "欠税", True, "税务局"),
    ("abnormal", "经营异常", True, "市场监督管理局"),
    ("leverage", "负债率高", False, ""),
    ("cashflow", "现金流不足", False, ""),
    ("collateral", "抵押担保不足", True, "融资担保公司"),
    ("industry", "行业限制", False, ""),
    ("age", "经营年限不足", False, ""),
    ("materials", "材料不全", True, ""),
    ("use", "用途不合规", True, ""),
    ("other", "其他", False, ""),
]
