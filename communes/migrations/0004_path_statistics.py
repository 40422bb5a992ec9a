"""Exact planner statistics for the unit paths, on PostgreSQL.

Scoping is `path LIKE 'prefix%'`. With the default 100 histogram buckets a district's 31 units
fall inside one bucket and PostgreSQL estimates one row, then joins every opinion of the scope
before sorting. The table is small (a few thousand units), so a histogram of up to 10,000
buckets costs nothing and gives the real counts.
"""

from django.db import migrations


def raise_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE communes_administrativeunit ALTER COLUMN path SET STATISTICS 10000"
        )


def reset_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE communes_administrativeunit ALTER COLUMN path SET STATISTICS -1"
        )


class Migration(migrations.Migration):
    dependencies = [("communes", "0003_agency_answer_days")]

    operations = [migrations.RunPython(raise_statistics, reset_statistics, elidable=False)]
