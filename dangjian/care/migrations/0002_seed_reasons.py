"""Seed the care reasons (seed 002: 暖心工程 for 困难党员, 老党员, 劳模, 援藏援疆 wartime
condolences; DOMAIN.md 1.6: illness and bereavement)."""

from django.db import migrations

REASONS = [
    ("hardship", "困难党员", "生活困难党员帮扶", 10),
    ("old_member", "老党员", "老党员、离退休党员节日及生日走访", 20),
    ("model_worker", "劳模", "劳动模范、英模走访", 30),
    ("aid_tibet_xinjiang", "援藏援疆战时慰问", "援藏援疆等长期派驻民警及家属战时慰问", 40),
    ("illness", "生病住院", "党员生病住院、因公负伤慰问", 50),
    ("bereavement", "丧葬慰问", "党员本人或直系亲属去世慰问", 60),
]


def seed(apps, schema_editor):
    Reason = apps.get_model("care", "CareReason")
    for code, name, description, order in REASONS:
        Reason.objects.get_or_create(code=code, defaults={"name": name, "description": description, "order": order})


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
