"""The enterprise's name kept on its appeals (``Appeal.enterprise_name``) by database triggers.

The searched appeal list matches a word in the appeal's title or its enterprise's name. Through the foreign key
that is a join of every appeal in scope to its enterprise before the capped count is known: at a province (3 M
enterprises, a 2.7 GB heap) one index probe into the enterprise table per appeal, 0.35–0.7 s for a county's
50,000 appeals and up to 1.5 s for a city. With the name on the appeal the count reads one table.

The copy is kept by the database, not by the code, because every writer of either side must keep it: the
appeal's intake, the enterprise edit action, the enterprise import (an ``UPDATE … FROM`` in SQL), the merge of a
provisional enterprise (a queryset ``update`` of the appeals' foreign key), the demo's ``bulk_create`` and the
province generator's ``INSERT … SELECT``. A trigger sees them all:

- an appeal inserted, or its enterprise or copied name written: the name is read from its enterprise;
- an enterprise renamed: the name is written to its appeals (through the appeals' foreign-key index).

So ``enterprise_name`` is never written by the code (``editable=False``; a value written is replaced).
"""

SQLITE_INSTALL = [
    """CREATE TRIGGER appeals_appeal_enterprise_name_insert AFTER INSERT ON appeals_appeal
        BEGIN UPDATE appeals_appeal
              SET enterprise_name = (SELECT name FROM registry_enterprise WHERE id = NEW.enterprise_id)
              WHERE id = NEW.id; END""",
    """CREATE TRIGGER appeals_appeal_enterprise_name_update AFTER UPDATE OF enterprise_id, enterprise_name
        ON appeals_appeal
        WHEN NEW.enterprise_name IS NOT (SELECT name FROM registry_enterprise WHERE id = NEW.enterprise_id)
        BEGIN UPDATE appeals_appeal
              SET enterprise_name = (SELECT name FROM registry_enterprise WHERE id = NEW.enterprise_id)
              WHERE id = NEW.id; END""",
    """CREATE TRIGGER registry_enterprise_name_to_appeals AFTER UPDATE OF name ON registry_enterprise
        WHEN NEW.name IS NOT OLD.name
        BEGIN UPDATE appeals_appeal SET enterprise_name = NEW.name WHERE enterprise_id = NEW.id; END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS appeals_appeal_enterprise_name_insert",
    "DROP TRIGGER IF EXISTS appeals_appeal_enterprise_name_update",
    "DROP TRIGGER IF EXISTS registry_enterprise_name_to_appeals",
]
POSTGRES_INSTALL = [
    """CREATE OR REPLACE FUNCTION appeals_appeal_enterprise_name() RETURNS trigger AS $$
        BEGIN
          NEW.enterprise_name := (SELECT name FROM registry_enterprise WHERE id = NEW.enterprise_id);
          RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER appeals_appeal_enterprise_name BEFORE INSERT OR UPDATE OF enterprise_id, enterprise_name
        ON appeals_appeal FOR EACH ROW EXECUTE FUNCTION appeals_appeal_enterprise_name()""",
    """CREATE OR REPLACE FUNCTION registry_enterprise_name_to_appeals() RETURNS trigger AS $$
        BEGIN
          UPDATE appeals_appeal SET enterprise_name = NEW.name WHERE enterprise_id = NEW.id;
          RETURN NULL;
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER registry_enterprise_name_to_appeals AFTER UPDATE OF name ON registry_enterprise
        FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
        EXECUTE FUNCTION registry_enterprise_name_to_appeals()""",
]
POSTGRES_REMOVE = [
    "DROP TRIGGER IF EXISTS registry_enterprise_name_to_appeals ON registry_enterprise",
    "DROP FUNCTION IF EXISTS registry_enterprise_name_to_appeals()",
    "DROP TRIGGER IF EXISTS appeals_appeal_enterprise_name ON appeals_appeal",
    "DROP FUNCTION IF EXISTS appeals_appeal_enterprise_name()",
]
FILL = {
    "postgresql": """UPDATE appeals_appeal a SET enterprise_name = e.name FROM registry_enterprise e
        WHERE e.id = a.enterprise_id AND a.enterprise_name IS DISTINCT FROM e.name""",
    "sqlite": """UPDATE appeals_appeal
        SET enterprise_name = (SELECT name FROM registry_enterprise WHERE id = appeals_appeal.enterprise_id)""",
}


def install(schema_editor) -> None:
    """Copy every appeal's enterprise name, then install the triggers (the fill runs before them: with the
    appeal's trigger in place each row of it would read the name a second time)."""
    vendor = schema_editor.connection.vendor
    schema_editor.execute(FILL[vendor])
    for sql in POSTGRES_INSTALL if vendor == "postgresql" else SQLITE_INSTALL:
        schema_editor.execute(sql)


def remove(schema_editor) -> None:
    for sql in POSTGRES_REMOVE if schema_editor.connection.vendor == "postgresql" else SQLITE_REMOVE:
        schema_editor.execute(sql)
