"""Legal talks held through the activities app (qinqing.activities): a 讲座 or 培训 whose title or description
names a legal topic counts as a legal talk in legal's figures, unless a talk recorded here already stands for it
(``LegalTalk.activity``), so each talk is counted once.

The legal topic is read from the words in the setting ``LEGAL_TALK_KEYWORDS`` (default below); the activities
app has no topic field of its own.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Q, QuerySet

KINDS = ("lecture", "training")  # activities.choices.Kind: 讲座, 培训
DEFAULT_KEYWORDS = ("法律", "法治", "普法", "法规", "法务", "合规", "律师", "民法典", "劳动法", "劳动合同",
                    "知识产权", "合同风险", "维权")  # fmt: skip


def keywords() -> tuple[str, ...]:
    return tuple(getattr(settings, "LEGAL_TALK_KEYWORDS", DEFAULT_KEYWORDS))


def topic_q(prefix: str = "") -> Q:
    """Activities (``prefix`` the lookup to one) that are legal talks by kind and topic."""
    words = reduce(or_, (Q(**{f"{prefix}title__icontains": w}) | Q(**{f"{prefix}description__icontains": w})
                         for w in keywords()))  # fmt: skip
    return Q(**{f"{prefix}kind__in": KINDS}) & words


def uncounted_q(prefix: str = "") -> Q:
    """Legal-topic activities no talk recorded in legal stands for (those are counted as LegalTalk rows)."""
    return topic_q(prefix) & Q(**{f"{prefix}legal_talk__isnull": True})


def candidates(org_path: str) -> QuerySet:
    """Legal-topic activities of a subtree that no legal talk stands for yet: what a talk may be linked to."""
    from qinqing.activities.models import Activity

    return Activity.objects.filter(uncounted_q(), org_path__startswith=org_path).order_by("-starts_on", "-pk")
