"""Pinyin initials of organization names, for the tree's search box."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from dangjian.orgs.models import name_initials

    Organization = apps.get_model("orgs", "Organization")
    rows = list(Organization.objects.only("pk", "name"))
    for row in rows:
        row.name_initials = name_initials(row.name)
    Organization.objects.bulk_update(rows, ["name_initials"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_default_rules")]
    operations = [
        migrations.AddField(
            model_name="organization", name="name_initials",
            field=models.CharField(default="", editable=False, max_length=100, verbose_name="pinyin initials"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
