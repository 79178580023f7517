"""The rule the honors module's confirmed commendations earn (seed 002: 表彰激励, 鼓励清单)."""

from django.db import migrations


def seed(apps, schema_editor):
    Rule = apps.get_model("points", "PointRule")
    Category = apps.get_model("points", "PointCategory")
    for category in Category.objects.filter(code="contribution"):
        Rule.objects.get_or_create(year=category.year, code="commendation_confirmed", defaults={
            "category": category, "description": "受到表彰（经上级审批确认）", "points": 5,
            "trigger": "commendation", "needs_approval": False,
            "source": "五张责任清单·鼓励清单（种子002）；荣誉表彰模块确认后自动记分",
        })


def unseed(apps, schema_editor):
    apps.get_model("points", "PointRule").objects.filter(code="commendation_confirmed").delete()


class Migration(migrations.Migration):
    dependencies = [("points", "0005_entry_evidence_index")]
    operations = [migrations.RunPython(seed, unseed)]
