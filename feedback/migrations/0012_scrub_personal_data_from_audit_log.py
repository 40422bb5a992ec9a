"""The audit log kept each opinion's "raised by" (and search text) as it was recorded; the Django
admin shows it to administrators, who see the person's data only on request. Those values go;
from now on the audit log does not record them (feedback/apps.py)."""

from django.db import migrations

HIDDEN = {"raised_by", "phone", "address", "search_text", "person_text"}


def scrub(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    opinion_type = ContentType.objects.filter(app_label="feedback", model="opinion").first()
    if opinion_type is None:
        return
    entries = LogEntry.objects.filter(content_type=opinion_type).only(
        "pk", "changes", "changes_text", "serialized_data"
    )
    for entry in entries.iterator(chunk_size=2000):
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        if not HIDDEN & set(changes) and not entry.serialized_data:
            continue
        entry.changes = {key: value for key, value in changes.items() if key not in HIDDEN}
        entry.changes_text = ""
        entry.serialized_data = None
        entry.save(update_fields=["changes", "changes_text", "serialized_data"])


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0011_opinion_person_text_split"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
