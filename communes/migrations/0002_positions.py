from django.db import migrations

# The positions the brief names; administrators add others in the admin.
POSITIONS = [
    ("Bí thư", "BT", 10, True),
    ("Phó Bí thư", "PBT", 20, False),
    ("Chủ tịch UBND", "CT UBND", 30, True),
    ("Phó Chủ tịch UBND", "PCT UBND", 40, False),
    ("Chủ tịch HĐND", "CT HĐND", 50, False),
    ("Chủ tịch UBMTTQ", "CT MTTQ", 60, False),
]


def add_positions(apps, schema_editor):
    Position = apps.get_model("communes", "Position")
    for name, short_name, order, is_head in POSITIONS:
        Position.objects.get_or_create(
            name=name, defaults={"short_name": short_name, "order": order, "is_head": is_head}
        )


class Migration(migrations.Migration):
    dependencies = [("communes", "0001_initial")]

    operations = [migrations.RunPython(add_positions, migrations.RunPython.noop)]
