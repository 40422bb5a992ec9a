import django.db.models.deletion
from django.db import migrations, models


def number_existing(apps, schema_editor):
    """Give the opinions already recorded their codes: per host unit and year, in the order they
    were recorded, and leave each sequence at the last number given."""
    from django.utils import timezone

    Opinion = apps.get_model("feedback", "Opinion")
    OpinionSequence = apps.get_model("feedback", "OpinionSequence")
    counters = {}
    batch = []
    rows = Opinion.objects.select_related("session__host_unit").order_by(
        "session__starts_at", "created_at", "pk"
    )
    for opinion in rows.iterator(chunk_size=2000):
        unit = opinion.session.host_unit
        year = timezone.localtime(opinion.session.starts_at).year
        number = counters.get((unit.pk, year), 0) + 1
        counters[unit.pk, year] = number
        # The format of feedback.models.opinion_code, written out: a migration keeps its own.
        opinion.code = f"{unit.code}-{year}-{number:03d}"
        opinion.search_text = f"{opinion.code} {opinion.search_text}".strip()
        batch.append(opinion)
        if len(batch) >= 2000:
            Opinion.objects.bulk_update(batch, ["code", "search_text"])
            batch = []
    Opinion.objects.bulk_update(batch, ["code", "search_text"])
    OpinionSequence.objects.bulk_create(
        OpinionSequence(unit_id=unit_id, year=year, last=last)
        for (unit_id, year), last in counters.items()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("communes", "0005_unit_succession_and_inherited_scope"),
        ("feedback", "0014_holiday_make_up_working_days"),
    ]

    operations = [
        migrations.CreateModel(
            name="OpinionSequence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField()),
                ("last", models.PositiveIntegerField(default=0)),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        to="communes.administrativeunit",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("unit", "year"), name="opinion_sequence_unit_year"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="opinion",
            name="code",
            field=models.CharField(editable=False, max_length=40, null=True),
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="opinion",
            name="code",
            field=models.CharField(
                editable=False,
                help_text="Read out to name the opinion: host unit's code, year, number.",
                max_length=40,
                unique=True,
                verbose_name="code",
            ),
        ),
    ]
