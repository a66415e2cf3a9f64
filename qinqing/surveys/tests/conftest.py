import pytest

from qinqing.surveys import actions


def small_structure():
    return {
        "sections": [
            {"title": "一、基本", "questions": [
                {"code": "Q1", "kind": "single", "label": "是否参加过活动",
                 "options": [{"value": 1, "label": "是"}, {"value": 2, "label": "否"}]},
                {"code": "Q2", "kind": "text", "label": "未参加的原因", "show_if": {"code": "Q1", "values": [2]}},
                {"code": "Q3", "kind": "scale", "label": "总体满意度", "environment": "government"},
                {"code": "Q4", "kind": "matrix", "label": "分项评价", "environment": "market",
                 "items": [{"code": "Q4_1", "label": "准入"}, {"code": "Q4_2", "label": "执法"}]},
                {"code": "Q5", "kind": "multiple", "label": "希望的服务", "required": False,
                 "options": ["融资", "法律", "培训"]},
                {"code": "Q6", "kind": "number", "label": "员工人数", "min": 0, "required": False},
                {"code": "Q7", "kind": "ranking", "label": "最需改善", "top_n": 2, "required": False,
                 "options": ["要素", "政务", "市场"]},
            ]},
        ]
    }  # fmt: skip


def answers(q1=1, q3=4, q4=(5, 3), **extra):
    out = {"Q1": q1, "Q3": q3, "Q4_1": q4[0], "Q4_2": q4[1]}
    if q1 == 2:
        out["Q2"] = "没时间"
    out.update(extra)
    return out


@pytest.fixture
def make_survey(users):
    def make(*, anonymous=False, open_=True, audience="rule", multiple=False, structure=None, actor=None):
        actor = actor or users.county_staff
        survey = actions.create_survey(
            actor=actor,
            data={"title": "会员服务满意度调查", "anonymous": anonymous, "audience": audience, "multiple": multiple},
        )
        survey = actions.save_structure(survey, actor=actor, data=structure or small_structure())
        if open_:
            survey = actions.open_survey(survey, actor=actor)
        return survey

    return make


@pytest.fixture
def firms(tree):
    """Twelve more enterprises of county A: eight in 岳阳县 (430621), four in 平江县 (430626)."""
    from qinqing.registry.models import Enterprise

    made = []
    for i in range(12):
        made.append(
            Enterprise.objects.create(
                credit_code=f"91430621MA4L1{i:04d}X",
                name=f"岳阳测试企业{i}",
                fic=tree.county_a,
                org_path=tree.county_a.path,
                region_code="430621" if i < 8 else "430626",
                industry_code="C1311" if i % 2 else "F5123",
                size_class="小型" if i % 3 else "中型",
            )
        )
    return made
