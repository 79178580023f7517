"""Seed the security policy with the 等保 defaults (SECURITY.md §7 decision 1)."""

from django.db import migrations


def seed(apps, schema_editor):
    SecurityPolicy = apps.get_model("accounts", "SecurityPolicy")
    if not SecurityPolicy.objects.exists():
        SecurityPolicy.objects.create()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
