"""Members are ordered by the pinyin of their names, surnames by their surname reading; the
initials of existing members are derived again with the same reading (曾 -> z, not c)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from dangjian.members import names

    Member = apps.get_model("members", "Member")
    batch = []
    for member in Member.objects.only("pk", "name").iterator(chunk_size=2000):
        member.name_initials, member.name_pinyin = names.initials(member.name), names.sort_key(member.name)
        batch.append(member)
        if len(batch) >= 2000:
            Member.objects.bulk_update(batch, ["name_initials", "name_pinyin"])
            batch = []
    if batch:
        Member.objects.bulk_update(batch, ["name_initials", "name_pinyin"])


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0002_drop_status_index'),
        ('orgs', '0002_default_rules'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='member',
            options={'ordering': ('org__path', 'name_pinyin', 'name', 'id'), 'verbose_name': 'member', 'verbose_name_plural': 'members'},
        ),
        migrations.AddField(
            model_name='member',
            name='name_pinyin',
            field=models.CharField(default='', editable=False, max_length=200, verbose_name='pinyin'),
        ),
        migrations.AddIndex(
            model_name='member',
            index=models.Index(fields=['org', 'name_pinyin'], name='members_mem_org_id_c12ce7_idx'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
