"""The Vietnamese collation on PostgreSQL (ICU), under the name the queries use. SQLite gets the
same order from a function registered on each connection (ocop_portal.collation)."""

from django.db import migrations

NAME = "vietnamese"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE COLLATION IF NOT EXISTS "{NAME}" (provider = icu, locale = \'vi\')')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP COLLATION IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("ocop_portal", "0003_user_vietnamese_name_labels")]

    operations = [migrations.RunPython(create, drop)]
