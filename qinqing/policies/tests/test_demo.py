"""The policies demo: linked issuing departments, a chamber condition, an attachment, and some 需补充数据."""

import collections

import pytest

from qinqing.eligibility import rules
from qinqing.eligibility.attributes import read_frame
from qinqing.policies.models import Policy, PolicyAttachment
from qinqing.policies.search import RankedResults

pytestmark = pytest.mark.django_db


def test_given_the_demo_when_seeded_then_policies_show_every_verdict_and_their_departments(settings, tmp_path):
    from qinqing.core import demo
    from qinqing.policies.matching import applicable_policies

    settings.POLICY_SEARCH_INDEX = str(tmp_path / "index")
    ctx = demo.make_context("county")
    demo.run(ctx)

    assert Policy.objects.filter(issuer__kind="department").count() >= 5
    chamber_policies = [
        p for p in Policy.objects.all() if any(leaf["attr"] == "chambers" for leaf in rules.leaves(p.rule))
    ]
    assert len(chamber_policies) == 1
    attachment = PolicyAttachment.objects.get()
    assert attachment.filename.endswith(".docx") and "参展合同" in attachment.text
    assert [p.title for p in RankedResults(Policy.objects.all(), "参展合同")[0:5]] == [chamber_policies[0].title]

    frame = read_frame(ctx.root.path)
    verdicts = collections.Counter()
    unknown_firms = set()
    for policy in applicable_policies(ctx.root.path):
        for index in range(frame.height):
            verdict = rules.explain(policy.rule, rules.frame_row_attrs(frame, index)).verdict
            verdicts[verdict] += 1
            if verdict == "unknown":
                unknown_firms.add(index)
    assert set(verdicts) == {"eligible", "near_miss", "unknown", "not_eligible"}
    assert 0.01 * frame.height < len(unknown_firms) < 0.15 * frame.height  # a small share lacks data
