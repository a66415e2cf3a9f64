"""County-A 亲清日志 objects for the role × URL matrix, the isolation sweep and the schema fuzzing.

The entry is logged by county A's staff and flagged (a banquet paid by the enterprise), so the reviewer's pages
apply to it. Its visibility is narrower than the subtree; test_permissions checks that part."""

from qinqing.core.tests.isolation_registry import Sample


def _entry(tree, users):
    from qinqing.contactlog import actions

    from .conftest import flagged_data

    data = flagged_data(tree, matters=[{"text": "厂区道路破损影响运输", "enterprise": tree.ent_a.pk}])
    return actions.save_entry(actor=users.county_staff, data=data)


def _matter(tree, users):
    return _entry(tree, users).matters.get()


def _conduct(tree, users):
    from qinqing.contactlog.models import ConductItem

    return ConductItem.objects.get(code="gifts")


SAMPLES = [
    Sample("contactlog:entry_detail", lambda tree, users: {"pk": _entry(tree, users).pk}),
    Sample("contactlog:entry_edit", lambda tree, users: {"pk": _entry(tree, users).pk}),
    Sample("contactlog:matter_add", lambda tree, users: {"pk": _entry(tree, users).pk}),
    Sample("contactlog:entry_review", lambda tree, users: {"pk": _entry(tree, users).pk}),
    Sample("contactlog:matter_appeal", lambda tree, users: {"pk": _matter(tree, users).pk}),
    # The negative list is the same for everyone who logs or reviews.
    Sample("contactlog:conduct_edit", lambda tree, users: {"pk": _conduct(tree, users).pk}, isolated=False),
    Sample("contactlog:figure_records", lambda tree, users: {"key": "contactlog.contacts"}, isolated=False),
]

COUNTY_A_OBJECTS = {
    "contactlog.ContactEntry": lambda tree, users: [_entry(tree, users)],
    "contactlog.Matter": lambda tree, users: [_matter(tree, users)],
}

SCOPE = {
    "contactlog.ConductItem": None,  # the negative list, one for the deployment
    "contactlog.Gift": "entry__org_path",
    "contactlog.Matter": "entry__org_path",
}
