"""Relief, spending and budget on the core approvals facility (dangjian.core.approvals): one
set of decision fields (status, requested_by, decided_by, decided_on, decision_ref); a draft
budget is a pending request."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def drafts_are_pending(apps, schema_editor):  # noqa: ANN001, ANN201
    apps.get_model("dues", "DuesBudget").objects.filter(status="draft").update(status="pending")


def pending_are_drafts(apps, schema_editor):  # noqa: ANN001, ANN201
    apps.get_model("dues", "DuesBudget").objects.filter(status="pending").update(status="draft")


STATUS = [("pending", "Awaiting approval"), ("approved", "Approved"), ("rejected", "Rejected"),
          ("withdrawn", "Withdrawn")]


def user_fk(verbose_name):  # noqa: ANN001, ANN201
    return models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                             to=settings.AUTH_USER_MODEL, verbose_name=verbose_name)


class Migration(migrations.Migration):
    dependencies = [
        ("dues", "0004_schedule"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("hardshiprelief", "approval_ref", "decision_ref"),
        migrations.AddField("hardshiprelief", "requested_by", user_fk("requested by")),
        migrations.AlterField("hardshiprelief", "status", models.CharField(
            choices=STATUS, default="pending", max_length=10, verbose_name="status")),
        migrations.AlterField("duesspending", "status", models.CharField(
            choices=STATUS, default="pending", max_length=10, verbose_name="status")),
        migrations.RenameField("duesbudget", "approved_on", "decided_on"),
        migrations.RenameField("duesbudget", "approval_ref", "decision_ref"),
        migrations.AddField("duesbudget", "requested_by", user_fk("requested by")),
        migrations.AddField("duesbudget", "decided_by", user_fk("approved by")),
        migrations.AlterField("duesbudget", "status", models.CharField(
            choices=STATUS, default="pending", max_length=10, verbose_name="status")),
        migrations.RunPython(drafts_are_pending, pending_are_drafts),
    ]
