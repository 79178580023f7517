"""Opinions get a random integer primary key (no insertion order, and the generic screens'
integer URLs). The table is recreated: it was introduced by 0001 and holds no data yet."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import dangjian.core.models
import dangjian.meetings.models


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0002_seed_kinds_and_requirements'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.DeleteModel(name='Opinion'),
        migrations.CreateModel(
            name='Opinion',
            fields=[
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('id', models.BigIntegerField(default=dangjian.meetings.models.random_id, editable=False, primary_key=True, serialize=False)),
                ('submitted_on', models.DateField(verbose_name='submitted on')),
                ('topic', models.CharField(choices=[('team', 'Team building'), ('work', 'Police work'), ('branch', 'Branch work'), ('person', 'A committee member'), ('other', 'Other')], default='branch', max_length=10, verbose_name='about')),
                ('content', models.TextField(verbose_name='opinion')),
                ('is_anonymous', models.BooleanField(default=False, verbose_name='anonymous')),
                ('author_name', models.CharField(blank=True, max_length=50, verbose_name='name')),
                ('source', models.CharField(choices=[('online', 'Online form'), ('paper', 'Paper form'), ('meeting', "Members' meeting"), ('talk', 'One-to-one talk')], default='online', max_length=10, verbose_name='source')),
                ('about_member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='members.member', verbose_name='committee member concerned')),
                ('agenda_item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='opinions', to='meetings.agendaitem', verbose_name='agenda item')),
                ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='sent by')),
                ('solicitation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='opinions', to='meetings.solicitation', verbose_name='opinion solicitation')),
            ],
            options={
                'verbose_name': 'opinion',
                'verbose_name_plural': 'opinions',
                'ordering': ('solicitation', '-submitted_on', 'topic'),
                'constraints': [models.CheckConstraint(condition=models.Q(('is_anonymous', False), models.Q(('author__isnull', True), ('author_name', '')), _connector='OR'), name='anonymous_opinion_has_no_author')],
            },
            bases=(dangjian.core.models.DetailUrlMixin, models.Model),
        ),
    ]
