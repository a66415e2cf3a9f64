"""A county-A user's message for the role × URL matrix and the isolation tests (core isolation_registry)."""

from qinqing.core.tests.isolation_registry import Sample


def _message(tree, users):
    """The county-A enterprise user's message (made once per test: the key deduplicates)."""
    from qinqing.notifications.actions import notify
    from qinqing.notifications.models import Notification

    key = f"sample:{users.enterprise.pk}"
    notify([users.enterprise], kind="sample", title="县A企业的消息", key=key)
    return Notification.objects.get(recipient=users.enterprise, key=key)


SAMPLES = [Sample("notifications:open", lambda tree, users: {"pk": _message(tree, users).pk})]

COUNTY_A_OBJECTS = {"notifications.Notification": lambda tree, users: [_message(tree, users)]}
