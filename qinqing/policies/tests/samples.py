"""County-A policy objects for the role × URL matrix, the isolation tests and the schema fuzzing (core
isolation_registry): a draft of county A's staff, with an attachment (its file must stay inside county A)."""

import datetime

from qinqing.core.tests.isolation_registry import Sample


def _draft(tree, users):
    from qinqing.policies.actions import create_policy

    return create_policy(
        actor=users.county_staff,
        data={
            "title": "岳阳县稳岗补贴（草稿）",
            "level": "county",
            "benefit_type": "subsidy",
            "effective_on": datetime.date(2024, 1, 1),
            "rule": {"op": "all", "items": []},
        },
    )


def _draft_attachment(tree, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qinqing.policies.actions import add_attachment

    draft = _draft(tree, users)
    attachment = add_attachment(
        draft, actor=users.county_staff, name="", file=SimpleUploadedFile("申报表.txt", "申报表".encode())
    )
    return {"pk": draft.pk, "attachment_pk": attachment.pk}


SAMPLES = [
    Sample("policies:detail", lambda tree, users: {"pk": _draft(tree, users).pk}),
    Sample("policies:edit", lambda tree, users: {"pk": _draft(tree, users).pk}),
    Sample("policies:attachment", _draft_attachment),
    Sample("api-policy", lambda tree, users: {"pk": _draft(tree, users).pk}),
    Sample("api-policy-attachment", _draft_attachment),
    Sample("policies:synonym_delete", lambda tree, users: {"pk": _synonym().pk}, isolated=False),
]

SCOPE = {"policies.SearchSynonym": None}  # one table for the whole platform


def _synonym():
    from qinqing.policies.models import SearchSynonym

    return SearchSynonym.objects.get_or_create(term="样例词", defaults={"synonyms": "样例"})[0]
