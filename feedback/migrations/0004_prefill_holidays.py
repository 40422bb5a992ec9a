import datetime

from django.db import migrations


def prefill(apps, schema_editor):
    # Vietnam's public holidays (Tết, Giỗ Tổ, 30/4, 1/5, 2/9…) for this year and next;
    # administrators correct them in the admin when the government moves a day.
    import holidays as holiday_calendars

    Holiday = apps.get_model("feedback", "Holiday")
    year = datetime.date.today().year
    for day, name in holiday_calendars.country_holidays("VN", years=[year, year + 1], language="vi").items():
        Holiday.objects.get_or_create(day=day, defaults={"name": name[:200]})


class Migration(migrations.Migration):
    dependencies = [("feedback", "0003_opinions")]

    operations = [migrations.RunPython(prefill, migrations.RunPython.noop)]
