from django.db import migrations

# The document types of Party and government correspondence the app accepts in numbers.
TYPES = [
    ("KH", "Kế hoạch"),
    ("CV", "Công văn"),
    ("QC", "Quy chế"),
    ("QĐ", "Quyết định"),
    ("QĐi", "Quy định"),
    ("NQ", "Nghị quyết"),
    ("CT", "Chỉ thị"),
    ("KL", "Kết luận"),
    ("BC", "Báo cáo"),
    ("TB", "Thông báo"),
    ("HD", "Hướng dẫn"),
    ("CTr", "Chương trình"),
    ("TT", "Thông tri"),
    ("BB", "Biên bản"),
    ("TTr", "Tờ trình"),
]


def add_types(apps, schema_editor):
    DocumentType = apps.get_model("dialogues", "DocumentType")
    for code, name in TYPES:
        DocumentType.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("dialogues", "0001_initial")]

    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
