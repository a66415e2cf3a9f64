"""Every user-facing Chinese string literal in Python code goes through gettext.

The scan parses each module and reports string constants containing Chinese characters that are not
the argument of a gettext call (``_``, ``gettext``, ``gettext_lazy``, ``ngettext``, ``pgettext``,
``gettext_noop``), nor a docstring. An f-string inside ``_()`` is reported too: translators need the whole
sentence with named placeholders (``_("…%(name)s…") % {"name": …}``).

To bring another domain under the rule, add its package to ``PACKAGES``.
"""

import ast
import re
from pathlib import Path

QINQING = Path(__file__).resolve().parents[2]

PACKAGES = (
    "core",
    "accounts",
    "orgs",
    "meetings",
    "notifications",
    "operations",
    "appeals",
    "policies",
    "registry",
    "eligibility",
    "reports",
    "financing",
    "legal",
    "mediation",
    "health",
    "surveys",
    "activities",
    "programs",
    "contactlog",
)

# Modules whose Chinese literals are demo or reference DATA (organisation, people and region names).
DATA_MODULES = {
    "core/demo_tree.py",
    "core/demo.py",
    "orgs/demo.py",
    "orgs/regions.py",
    "appeals/demo.py",
    "policies/demo.py",
    # The default type × domain names, written to the database by a migration; administrators edit them there.
    "appeals/classification.py",
    # Stop words for segmenting appeal text in duplicate detection.
    "appeals/duplicates.py",
    "registry/demo.py",
    "financing/demo.py",
    "legal/demo.py",
    "mediation/demo.py",
    "health/demo.py",
    "surveys/demo.py",
    "activities/demo.py",
    "programs/demo.py",
    "contactlog/demo.py",
    # The default refusal-reason catalogue, written to the database by a migration; administrators maintain it.
    "financing/reasons.py",
    "registry/demo_chambers.py",
    # Demo 参政议政 topics and title shapes.
    "reports/demo.py",
    # Import column labels and header synonyms: they must match the literal headers of users' files.
    "registry/importing/columns.py",
    # The 2017 办法's size-class table (industry names of the official text).
    "registry/standards/sizeclass.py",
    # Parser of the State Council's holiday notice: its patterns must match the notice's literal wording.
    "core/holiday_notice.py",
    # Default legal-topic words matched against activity titles (setting LEGAL_TALK_KEYWORDS), not messages.
    "legal/activity_talks.py",
}

# GB/T 4754-2017's 20 section (门类) names: the standard's own names, reference data like region names.
SECTION_NAMES = (
    "农、林、牧、渔业",
    "采矿业",
    "制造业",
    "电力、热力、燃气及水生产和供应业",
    "建筑业",
    "批发和零售业",
    "交通运输、仓储和邮政业",
    "住宿和餐饮业",
    "信息传输、软件和信息技术服务业",
    "金融业",
    "房地产业",
    "租赁和商务服务业",
    "科学研究和技术服务业",
    "水利、环境和公共设施管理业",
    "居民服务、修理和其他服务业",
    "教育",
    "卫生和社会工作",
    "文化、体育和娱乐业",
    "公共管理、社会保障和社会组织",
    "国际组织",
)

# Single literals that must stay as they are, with the reason.
EXEMPT = {
    # Built into the database triggers by a migration: the database raises it, not Django.
    ("core/audit_guard.py", "审计日志只能追加，不能修改或删除"),
    # Size classes as the enterprise data stores them, matched by policy rules (the displayed ones are wrapped).
    *(("eligibility/vocabulary.py", size) for size in ("大型", "中型", "小型", "微型")),
    *(("eligibility/vocabulary.py", name) for name in SECTION_NAMES),
    # Input tokens parsed from a typed true/false value, not messages.
    ("eligibility/vocabulary.py", "是"),
    ("policies/rule_builder.py", "是"),
    # A suffix removed from organisation names (removesuffix), not a message.
    ("policies/rule_builder.py", "工商联"),
    # Size classes as stored values (SizeClass values, written by the import's size-class expressions).
    *(
        (module, size)
        for module in ("registry/choices.py", "registry/importing/columnar.py", "registry/importing/fastcheck.py")
        for size in ("大型", "中型", "小型", "微型")
    ),
    # Financing: a department-name suffix matched when routing a fix task; cell tokens the imports parse.
    ("financing/actions/outcomes.py", "局"),
    *(("financing/importing.py", t) for t in ("是", "首贷", "对接", "意向", "授信", "放款", "拒贷", "未获贷")),
    # The chamber export writes 是/否 so that the import's YES/NO sets read them back.
    ("registry/exporting.py", "是"),
    ("registry/exporting.py", "否"),
    # Tokens compared against cell contents when an import parses them: chamber type aliases, 是/否
    # synonyms, the 年 suffix stripped from rating years, qualification and member-kind aliases.
    *(
        ("registry/chambers/importing.py", token)
        for token in (
            *("行业", "市场", "异地", "乡镇商会", "街道商会", "乡镇、街道商会", "其他商会组织"),
            *("是", "有", "已建立", "已设立", "否", "无", "未建立", "未设立", "年"),
            *("独立", "联合", "功能型"),  # short forms of the party organisation types
        )
    ),
    # A pattern that finds the growth clause in a drafted summary sentence (removed when there is no base).
    ("reports/summary.py", r"，?同比增长\{\{\s*([a-z_]+\.[a-z0-9_]+)\|yoy\s*\}\}%"),
    *(
        ("registry/enterprises/importcheck.py", token)
        for token in (
            "高企",
            "高新企业",
            "专精特新中小企业",
            "小巨人",
            "专精特新“小巨人”",
            "制造业单项冠军",
            "上市",
            "拟上市",
            "是",  # the ranking exclusion flags' cells
            "否",
        )
    ),
    *(("registry/members/importing.py", token) for token in ("企业", "团体", "个人", "无")),
    ("registry/importing/parse.py", r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$"),  # a date pattern
    # GB/T 4754 level names, compared with the level column of the shipped table.
    ("registry/rules.py", "门类"),
    *(("registry/standards/industry.py", level) for level in ("门类", "大类", "中类", "小类")),
}

GETTEXT_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "gettext_noop",
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _is_gettext_call(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "id", None) in GETTEXT_NAMES


def unwrapped_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of each Chinese string constant in ``source`` that no gettext call wraps."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Expr):  # a docstring (or a bare string statement)
            continue
        if _is_gettext_call(parent):  # an f-string's pieces have the JoinedStr as parent: reported
            continue
        found.append((node.lineno, node.value))
    return sorted(found)


def modules():
    for package in PACKAGES:
        for path in sorted((QINQING / package).rglob("*.py")):
            relative = path.relative_to(QINQING).as_posix()
            if "/tests/" in f"/{relative}" or "/migrations/" in relative or relative in DATA_MODULES:
                continue
            yield relative, path


def test_given_the_scanner_when_strings_are_wrapped_or_not_then_only_unwrapped_ones_are_reported():
    source = '''
"""模块说明"""
from django.utils.translation import gettext as _
A = _("已包装")
B = "未包装"
C = f"未包装 {A}"
D = _(f"句子被拆开 {A}")
E = _("%(name)s 已包装") % {"name": A}
'''
    assert [text for _line, text in unwrapped_literals(source)] == ["未包装", "未包装 ", "句子被拆开 "]


def test_given_the_listed_packages_then_every_chinese_literal_goes_through_gettext():
    offenders = []
    for relative, path in modules():
        for line, text in unwrapped_literals(path.read_text(encoding="utf-8")):
            if (relative, text) not in EXEMPT:
                offenders.append(f"qinqing/{relative}:{line}: {text[:40]!r}")
    assert not offenders, "Chinese literals not wrapped in gettext:\n" + "\n".join(offenders)
