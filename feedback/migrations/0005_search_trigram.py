"""A trigram index on the folded search text, on PostgreSQL.

Search is `search_text LIKE '%word%'` for each word of the query (see OpinionQuerySet.search);
a B-tree cannot serve a pattern with a leading wildcard, a trigram GIN index can. SQLite has no
such index and scans, which is fine at the sizes it is used for.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "feedback_opinion_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON feedback_opinion "
            "USING gin (search_text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("feedback", "0004_prefill_holidays")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
