"""Joins the two 0003 migrations of points (the schedule line and the study triggers, written in parallel)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('points', '0003_schedule'),
        ('points', '0003_study_triggers'),
    ]

    operations = [
    ]
