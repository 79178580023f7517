"""Seed the 2026 commendation catalog (seed 002: 表彰激励; seed 001: 红旗党组织). The caps are
placeholders [I]: each bureau sets its own quotas on the commendation kinds screen."""

from django.db import migrations

KINDS = [
    # code, name, for, yearly cap per awarding organization, order
    ("excellent_member", "优秀共产党员", "member", 10, 10),
    ("excellent_worker", "优秀党务工作者", "member", 5, 20),
    ("advanced_org", "先进基层党组织", "organization", 3, 30),
    ("five_good_branch", "五好党支部", "organization", 3, 40),
    ("red_flag_org", "红旗党组织", "organization", 1, 50),
    ("merit_commendation", "嘉奖", "member", None, 60),
    ("merit_third", "个人三等功", "member", 3, 70),
    ("merit_second", "个人二等功", "member", 1, 80),
    ("merit_first", "个人一等功", "member", 1, 90),
    ("merit_collective", "集体三等功", "organization", 1, 100),
]


def seed(apps, schema_editor):
    Kind = apps.get_model("honors", "CommendationKind")
    for code, name, nominee, cap, order in KINDS:
        Kind.objects.get_or_create(year=2026, code=code, defaults={
            "name": name, "nominee": nominee, "yearly_cap": cap, "order": order,
            "source": "种子002 表彰激励；种子001 红旗党组织评选" if nominee == "organization" else "种子002 表彰激励"})


class Migration(migrations.Migration):
    dependencies = [("honors", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
