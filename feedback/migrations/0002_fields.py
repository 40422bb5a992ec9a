from django.db import migrations

FIELDS = [
    "Đất đai",
    "Môi trường",
    "Giao thông",
    "Chế độ chính sách",
    "An ninh trật tự",
    "An sinh xã hội",
    "Y tế",
    "Giáo dục",
    "Xây dựng Đảng",
    "Khác",
]


def add_fields(apps, schema_editor):
    Field = apps.get_model("feedback", "Field")
    for order, name in enumerate(FIELDS, start=1):
        Field.objects.get_or_create(name=name, defaults={"order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(add_fields, migrations.RunPython.noop)]
