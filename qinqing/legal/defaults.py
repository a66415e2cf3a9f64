"""The default questionnaire (version 1), written by a migration so every deployment starts with one.

Staff maintain later versions in the questionnaire pages; this version stays as the old reports used it.
"""

from django.utils.translation import gettext_lazy as _

from .choices import DEFAULT_AREAS

QUESTIONS = {
    "governance": [
        _("公司章程是否与现行《公司法》一致，并按章程召开股东会、董事会？"),
        _("股东出资是否已按期足额缴纳，股权结构与工商登记一致？"),
        _("是否建立关联交易、对外担保的决策和披露制度？"),
    ],
    "contract": [
        _("是否使用经法律审查的合同范本，重大合同签订前经法务或律师审核？"),
        _("是否建立合同台账，对履行期限、付款节点和诉讼时效进行跟踪？"),
        _("对客户、供应商是否开展资信调查并约定违约责任和争议解决方式？"),
    ],
    "labour": [
        _("是否与全部员工签订书面劳动合同并依法缴纳社会保险？"),
        _("规章制度是否经民主程序制定并向员工公示？"),
        _("加班、休假和工资支付是否符合规定，是否存在欠薪风险？"),
    ],
    "ip": [
        _("核心商标、专利、软件著作权是否已申请登记并按期续展？"),
        _("是否与员工、合作方签订保密及竞业限制协议？"),
    ],
    "tax": [
        _("发票开具、取得和保管是否合规，是否存在虚开或接受虚开发票风险？"),
        _("是否按期申报纳税，享受的税收优惠是否留存备查资料？"),
        _("公私账户是否分开，是否存在股东借款长期未还？"),
    ],
    "data": [
        _("收集客户和员工个人信息是否告知并取得同意，是否明确用途和保存期限？"),
        _("是否建立数据安全管理制度，对重要数据和网络系统采取保护措施？"),
    ],
    "safety": [
        _("是否落实安全生产责任制，特种作业人员持证上岗？"),
        _("环评、排污许可等手续是否齐全，污染物排放是否达标？"),
    ],
    "dispute": [
        _("目前是否存在未结诉讼、仲裁或被执行案件？"),
        _("是否存在已届诉讼时效或即将届满的应收账款？"),
    ],
}


def seed_default(area_model, question_model, version) -> None:
    """Areas and questions of the default version (models passed in, so a migration can use its own)."""
    for order, (code, name) in enumerate(DEFAULT_AREAS):
        area = area_model.objects.create(version=version, code=code, name=str(name), order=order)
        question_model.objects.bulk_create(
            [question_model(area=area, text=str(text), order=i) for i, text in enumerate(QUESTIONS.get(code, []))]
        )
