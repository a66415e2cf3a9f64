"""The appeal list by state, the overdue/warning boards and the searched list, newest first from an index alone
(PostgreSQL ``INCLUDE``): ``(status, registered_on DESC, id DESC) INCLUDE (org_path)``; for the open late appeals
only, ``(deadline_state, registered_on DESC, id DESC) INCLUDE (org_path)``; and ``(registered_on DESC, id DESC)
INCLUDE (org_path, number, title, enterprise_name)`` for a search. The page's ids (views._page_by_ids) are read in the
list's order and the scope (``org_path LIKE '/…/%'``) and the search word are tested on the index entries, so a page
stops after its 30 ids instead of reading a county's thousands of matching rows to sort them, or walking the newest
appeals of the whole province through the table (on a copy of the 600,000 appeals: a city's overdue board 97-464 ms
-> 1-9 ms, a county's search 49-178 -> 8-35 ms; the counts stay on 0013's scope index).

PostgreSQL only, like 0013 (SQLite has no ``INCLUDE``). Build at 600,000 appeals on the copy: 6.7 s, 1.4 s and
3.9 s (88 MB for the search one)."""

from django.db import migrations

OPEN = "('accepted', 'assigned', 'contacted', 'registered', 'replied')"
INDEXES = {
    "appeal_status_newest": "(status, registered_on DESC, id DESC) INCLUDE (org_path)",
    "appeal_late_newest": "(deadline_state, registered_on DESC, id DESC) INCLUDE (org_path) "
    f"WHERE deadline_state IN ('overdue', 'warning') AND status IN {OPEN}",
    "appeal_search_newest": "(registered_on DESC, id DESC) INCLUDE (org_path, number, title, enterprise_name)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(f"CREATE INDEX {name} ON appeals_appeal {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0014_department_rollup"),
    ]

    operations = [migrations.RunPython(create, drop)]
