"""Seed the 2026 study rules and the study rows of the points catalog (docs/points.md).

Defaults [I] until the bureau gives its own: a passed test +1 and a completed course +1 in the
集中学习 category (yearly cap 12, DOMAIN.md 5.2); 学习强国 totals (DOMAIN.md 5.3) are imported as
a capped item. Committee staff edit these rows on the study-rules and points-rules screens.
"""

from django.db import migrations

SOURCE = "DOMAIN.md 5.2 集中学习每年最多12分；5.3 学习强国仅作参考、不设每日指标、默认不排名"


def seed(apps, schema_editor):
    apps.get_model("study", "StudyRule").objects.create(
        year=2026, rapid_seconds=3, rapid_share=50, visible_percent=80, heartbeat_seconds=30, xuexi_cap=5,
        xuexi_per_point=2000, source=SOURCE)
    Category = apps.get_model("points", "PointCategory")
    Rule = apps.get_model("points", "PointRule")
    study = Category.objects.filter(year=2026, code="study").first()
    if study is None:
        return
    for code, description, points, trigger, approval in (
        ("exam_passed", "理论测试合格", 1, "exam_passed", False),
        ("course_completed", "完成微党课学习", 1, "course_completed", False),
        ("xuexi_total", "学习强国年度积分（导入，封顶）", 1, "manual", True),
    ):
        Rule.objects.get_or_create(year=2026, code=code, defaults={
            "category": study, "description": description, "points": points, "trigger": trigger,
            "needs_approval": approval, "source": SOURCE})


def unseed(apps, schema_editor):
    apps.get_model("study", "StudyRule").objects.filter(year=2026).delete()
    apps.get_model("points", "PointRule").objects.filter(
        year=2026, code__in=["exam_passed", "course_completed", "xuexi_total"]).delete()


class Migration(migrations.Migration):
    dependencies = [("study", "0001_initial"), ("points", "0004_study_triggers")]
    operations = [migrations.RunPython(seed, unseed)]
