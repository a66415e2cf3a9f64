"""Column definitions shared by import, template and export, and header mapping with synonyms."""

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the header written by the template and the export
    synonyms: tuple[str, ...] = ()
    required: bool = False
    computed: bool = False  # exported for reading, ignored on import
    example: str = ""
    pii: str = ""  # "id" or "mobile": masked in exports unless the user may see personal data


@dataclass
class HeaderMap:
    index: dict[str, int] = field(default_factory=dict)  # column key → position in the file
    unknown: list[str] = field(default_factory=list)  # headers we do not recognise (reported)
    ignored: list[str] = field(default_factory=list)  # computed columns present in the file
    missing: list[str] = field(default_factory=list)  # labels of required columns not found
    duplicates: list[str] = field(default_factory=list)


_PUNCT_RE = re.compile(r"[\s（）()【】\[\]*：:_\-]")


def header_key(text: str) -> str:
    """Compare headers ignoring width, case, spaces, brackets and unit notes such as （万元）."""
    s = unicodedata.normalize("NFKC", text).lower()
    s = s.replace("万元", "").replace("单位", "").replace("人数", "人员")
    return _PUNCT_RE.sub("", s)


def map_headers(headers: list[str], columns: list[Column]) -> HeaderMap:
    lookup: dict[str, Column] = {}
    for col in columns:
        for name in (col.label, col.key, *col.synonyms):
            lookup.setdefault(header_key(name), col)
    result = HeaderMap()
    for position, header in enumerate(headers):
        if not header:
            continue
        col = lookup.get(header_key(header))
        if col is None:
            result.unknown.append(header)
        elif col.computed:
            result.ignored.append(header)
        elif col.key in result.index:
            result.duplicates.append(header)
        else:
            result.index[col.key] = position
    result.missing = [c.label for c in columns if c.required and c.key not in result.index]
    return result


ENTERPRISE_COLUMNS = [
    Column(
        "credit_code",
        "统一社会信用代码",
        ("信用代码", "社会信用代码", "统一代码", "USCC", "统一社会信用代码证号", "企业统一社会信用代码"),
        required=True,
        example="91430600MA4L000004",
    ),
    Column(
        "name",
        "企业名称",
        ("名称", "单位名称", "企业（机构）名称", "市场主体名称", "企业名"),
        True,
        example="岳阳示例科技有限公司",
    ),
    Column("legal_representative", "法定代表人", ("法人", "法人代表", "法定代表人姓名", "负责人"), example="张三"),
    Column(
        "legal_rep_id_number",
        "法定代表人身份证号",
        ("法人身份证号", "法定代表人证件号码", "身份证号码", "身份证号"),
        example="430602199001011234",
        pii="id",
    ),
    Column("region_code", "行政区划代码", ("区划代码", "所在地区代码", "行政区划"), example="430602"),
    Column(
        "industry_code", "行业代码", ("国民经济行业代码", "行业分类代码", "所属行业代码", "GB/T4754"), example="3911"
    ),
    Column("founded_on", "成立日期", ("成立时间", "注册日期", "设立日期"), example="2015-06-18"),
    Column("employees", "从业人员", ("从业人数", "员工人数", "职工人数", "从业人员数"), example="120"),
    Column("revenue_wan", "营业收入（万元）", ("营业收入", "营收", "主营业务收入"), example="5800"),
    Column("total_assets_wan", "资产总额（万元）", ("资产总额", "总资产"), example="9200"),
    Column("qualifications", "资质", ("企业资质", "资质认定", "荣誉资质"), example="高新技术企业、专精特新"),
    Column("address", "地址", ("住所", "注册地址", "经营地址", "企业地址"), example="岳阳市岳阳楼区示例路1号"),
    Column("contact_name", "联系人", ("联系人姓名",), example="李四"),
    Column(
        "contact_mobile",
        "联系人手机",
        ("联系电话", "手机", "手机号码", "联系人电话"),
        example="13800138000",
        pii="mobile",
    ),
    Column("year", "年度", ("数据年度", "统计年度", "年份"), example="2025"),
    Column("tax_wan", "纳税额（万元）", ("纳税额", "纳税", "税收", "纳税总额"), example="260"),
    Column("rd_spend_wan", "研发投入（万元）", ("研发投入", "研发费用", "R&D投入"), example="310"),
    # N强 exclusion flags (issue 15); 是/否, a blank cell keeps the stored flag.
    Column("serious_dishonesty", "严重失信", ("严重失信主体", "是否严重失信"), example="否"),
    Column("non_private_controlled", "非民营控股", ("是否非民营控股",), example="否"),
    Column("size_class", "企业规模", ("规模", "企业规模（计算）"), computed=True),
    # Names beside the codes, for the reader (an import ignores them: the codes above are the data).
    Column("industry_name", "行业名称", (), computed=True),
    Column("region_name", "行政区划名称", (), computed=True),
]

MEMBER_COLUMNS = [
    Column("credit_code", "统一社会信用代码", ENTERPRISE_COLUMNS[0].synonyms, example="91430600MA4L000004"),
    Column("name", "会员名称", ("企业名称", "名称", "单位名称"), example="岳阳示例科技有限公司"),
    Column("kind", "会员类别", ("类别", "会员类型"), example="企业会员"),
    Column("organization", "入会组织编码", ("组织编码", "商会编码"), example=""),
    Column("group_code", "团体会员组织编码", ("团体编码",), example=""),
    Column("person_name", "姓名", ("个人会员姓名", "代表人"), example=""),
    Column("id_number", "身份证号", ("身份证号码",), example="", pii="id"),
    Column("mobile", "手机号码", ("手机", "联系电话"), example="", pii="mobile"),
    Column("role", "职务", ("会内职务", "担任职务"), example="会员"),
    Column("joined_on", "入会日期", ("入会时间",), required=True, example="2020-03-01"),
    Column("left_on", "退会日期", ("退会时间",), example=""),
    # Seats as 人大代表 / 政协委员 (the annual statistics); a blank cell keeps the stored level, 无 clears it.
    Column("npc_level", "人大代表层级", ("人大代表", "人大代表级别"), example=""),
    Column("cppcc_level", "政协委员层级", ("政协委员", "政协委员级别"), example="县级"),
    Column("status", "会员状态", (), computed=True),
]

CHAMBER_COLUMNS = [
    Column(
        "name",
        "商会名称",
        ("名称", "商会", "组织名称", "商会组织名称", "社会组织名称"),
        required=True,
        example="岳阳市示例行业商会",
    ),
    Column("fic", "所属工商联编码", ("所属工商联", "主管工商联编码", "上级组织编码", "工商联编码"), example="430600"),
    Column("code", "商会编码", ("组织编码",), computed=True),
    Column("credit_code", "统一社会信用代码", ENTERPRISE_COLUMNS[0].synonyms, example="51430600MJ0000001X"),
    Column("chamber_type", "商会类型", ("类型", "商会类别", "类别"), example="行业商会"),
    Column("registration_status", "登记状态", ("登记情况", "状态"), example="已登记"),
    Column("region_code", "行政区划代码", ("区划代码", "所在地区代码", "行政区划"), example="430602"),
    Column("registered_on", "登记日期", ("成立日期", "登记时间", "注册日期"), example="2018-05-20"),
    Column("party_org_established", "已建立党组织", ("党组织", "是否建立党组织", "建立党组织"), example="是"),
    Column("party_members", "党员人数", ("党员数",), example="12"),
    Column("party_org_type", "党组织类型", ("党组织形式", "党组织组建方式"), example="独立党组织"),
    Column("party_liaison", "党建联络员", ("联络员",), example=""),
    Column("has_mediation_committee", "设立调解委员会", ("调解委员会", "是否设立调解委员会"), example="否"),
    Column("contact_phone", "联系电话", ("电话", "联系方式"), example="0730-8000000"),
    Column("address", "地址", ("住所", "办公地址", "会址"), example="岳阳市岳阳楼区示例路2号"),
    # The current term (届次): importing it puts the chamber on the 换届 due list.
    Column("term_number", "届次", ("本届届次", "当前届次", "届别"), example="3"),
    Column("term_starts_on", "任期开始", ("本届任期开始", "任期开始日期", "任期起始日期"), example="2021-06-01"),
    Column(
        "term_ends_on",
        "本届任期届满",
        ("任期结束", "任期届满", "换届日期", "任期结束日期", "本届任期结束", "任期届满日期"),
        example="2026-05-31",
    ),
    # That term's leadership; a blank cell keeps the stored name.
    Column("term_president", "会长", ("本届会长", "商会会长", "会长姓名"), example="王某某"),
    Column("term_secretary", "秘书长", ("本届秘书长", "秘书长姓名"), example="李某某"),
    # Ratings (评定): the years of each, "、"-separated; an import adds the listed ones, never removes.
    Column("rating_four_good_national", "全国四好商会年度", ("全国“四好”商会", "全国四好商会", "全国四好"), example=""),
    Column("rating_four_good_province", "省级四好商会年度", ("省级“四好”商会", "省级四好商会", "省级四好"), example=""),
    Column("rating_four_good_city", "市级四好商会年度", ("市级“四好”商会", "市级四好商会", "市级四好"), example="2023"),
    Column("rating_five_good", "五好商会年度", ("“五好”商会", "五好商会", "五好"), example=""),
    Column("note", "备注", ("说明",), example=""),
]
