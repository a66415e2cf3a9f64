"""The versioned questionnaire: a draft copied from the current version is edited, then published; published
versions are frozen, so a report keeps the questions it was answered on."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core import audit

from ..models import Area, Question, QuestionnaireVersion
from .common import LegalError, text


def current_version() -> QuestionnaireVersion:
    version = QuestionnaireVersion.objects.filter(is_current=True).first()
    if version is None:
        raise LegalError(_("尚未发布体检问卷，请联系工作人员"))
    return version


def _draft(version: QuestionnaireVersion) -> None:
    if version.published_at is not None:
        raise LegalError(_("问卷 V%(n)s 已发布，不能修改；请新建版本") % {"n": version.number})


@transaction.atomic
def new_version(*, actor, title: str, note: str = "") -> QuestionnaireVersion:
    """A draft holding a copy of the current version's areas and questions."""
    title = text(title, "title", _("名称"), limit=100)
    number = (QuestionnaireVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    version = QuestionnaireVersion.objects.create(number=number, title=title, note=(note or "").strip()[:500])
    source = QuestionnaireVersion.objects.filter(is_current=True).first()
    if source is not None:
        for area in source.areas.prefetch_related("questions"):
            copy = Area.objects.create(version=version, code=area.code, name=area.name, order=area.order)
            Question.objects.bulk_create(
                [Question(area=copy, text=q.text, hint=q.hint, order=q.order) for q in area.questions.all()]
            )
    audit.record(
        "legal.new_version", obj=version, actor=actor, after={"number": number, "copied": source and source.pk}
    )
    return version


@transaction.atomic
def add_area(version: QuestionnaireVersion, *, actor, code: str, name: str) -> Area:
    _draft(version)
    code = text(code, "code", _("编码"), limit=20).lower()
    if not code.replace("_", "").isalnum() or not code.isascii():
        raise ValidationError({"code": _("编码只能由英文字母、数字和下划线组成")})
    if version.areas.filter(code=code).exists():
        raise ValidationError({"code": _("编码“%(code)s”已存在") % {"code": code}})
    name = text(name, "name", _("领域名称"), limit=30)
    area = Area.objects.create(version=version, code=code, name=name, order=version.areas.count())
    audit.record("legal.add_area", obj=area, actor=actor, after={"version": version.pk, "code": code, "name": name})
    return area


@transaction.atomic
def add_question(version: QuestionnaireVersion, *, actor, area, question: str, hint: str = "") -> Question:
    _draft(version)
    area_id = getattr(area, "pk", area)
    area = version.areas.filter(pk=area_id).first() if area_id not in (None, "") else None
    if area is None:
        raise ValidationError({"area": _("领域：请选择本版本的一个领域")})
    body = text(question, "question", _("问题"), limit=300)
    row = Question.objects.create(area=area, text=body, hint=(hint or "").strip()[:300], order=area.questions.count())
    audit.record("legal.add_question", obj=row, actor=actor, after={"area": area.pk, "text": body})
    return row


@transaction.atomic
def delete_question(question: Question, *, actor) -> None:
    _draft(question.area.version)
    audit.record("legal.delete_question", obj=question, actor=actor, before={"text": question.text})
    question.delete()


@transaction.atomic
def publish_version(version: QuestionnaireVersion, *, actor) -> QuestionnaireVersion:
    """The draft becomes the current version (new check-ups use it; old ones keep theirs)."""
    _draft(version)
    if not Question.objects.filter(area__version=version).exists():
        raise ValidationError({"version": _("问卷没有任何问题，不能发布")})
    empty = [a.name for a in version.areas.all() if not a.questions.exists()]
    if empty:
        raise ValidationError({"version": _("以下领域没有问题：%(names)s") % {"names": "、".join(empty)}})
    previous = list(QuestionnaireVersion.objects.filter(is_current=True).values_list("pk", flat=True))
    QuestionnaireVersion.objects.filter(is_current=True).update(is_current=False)
    version.published_at, version.is_current = timezone.now(), True
    version.save(update_fields=["published_at", "is_current", "updated_at"])
    audit.record("legal.publish_version", obj=version, actor=actor, before={"current": previous},
                 after={"current": version.pk})  # fmt: skip
    return version
