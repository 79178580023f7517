"""AUTH-05: accounts unused for the policy's days are disabled by a nightly scheduled line."""

from django.db import migrations, models
from django.utils import timezone

LINE = ("disable_dormant_accounts", "停用长期未使用的账号", "dangjian.accounts.jobs.disable_dormant", 24 * 60)


def seed(apps, schema_editor):
    name, title, handler, every = LINE
    apps.get_model("core", "ScheduledTask").objects.get_or_create(name=name, defaults={
        "title": title, "handler": handler, "every_minutes": every, "next_run_at": timezone.now()})


def unseed(apps, schema_editor):
    apps.get_model("core", "ScheduledTask").objects.filter(name=LINE[0]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_lockout_per_address_token_expiry'),
        ('core', '0009_seed_security_schedule'),
    ]

    operations = [
        migrations.AddField(
            model_name='securitypolicy',
            name='dormant_days',
            field=models.PositiveSmallIntegerField(default=90, help_text='Checked every night; the three administrator accounts are reported, not disabled.', verbose_name='disable accounts not used for (days, 0 = never)'),
        ),
        migrations.RunPython(seed, unseed),
    ]
