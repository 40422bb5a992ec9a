"""The person's name leaves search_text for person_text: only those who may see it search it."""

from django.db import migrations

from feedback.text import fold


def split(apps, schema_editor):
    Opinion = apps.get_model("feedback", "Opinion")
    rows = Opinion.objects.select_related("field", "hamlet").only(
        "pk", "content", "raised_by", "phone", "address", "field__name", "hamlet__name"
    )
    batch = []
    for opinion in rows.iterator(chunk_size=2000):
        hamlet = opinion.hamlet.name if opinion.hamlet_id else ""
        opinion.search_text = fold(f"{opinion.content} {hamlet} {opinion.field.name}")
        digits = "".join(ch for ch in opinion.phone if ch.isdigit())
        opinion.person_text = fold(
            f"{opinion.raised_by} {opinion.phone} {digits} {opinion.address}"
        ).strip()
        batch.append(opinion)
        if len(batch) >= 2000:
            Opinion.objects.bulk_update(batch, ["search_text", "person_text"])
            batch = []
    Opinion.objects.bulk_update(batch, ["search_text", "person_text"])


class Migration(migrations.Migration):
    dependencies = [("feedback", "0010_opinion_personal_data")]

    operations = [migrations.RunPython(split, migrations.RunPython.noop)]
