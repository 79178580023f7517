"""Seed the organization rules from DOMAIN.md 2.3 / 2.4 (editable defaults, per year)."""

from django.db import migrations


def seed(apps, schema_editor):
    OrgRules = apps.get_model("orgs", "OrgRules")
    OrgRules.objects.get_or_create(
        year=2026,
        defaults=dict(
            branch_min_full_members=3, committee_required_at=7, branch_max_members=50,
            term_years_committee=5, term_years_branch=3, term_warning_months=6,
            source="《中国共产党支部工作条例（试行）》(2018) 第4、8条；中办《关于党的基层组织任期的意见》(2018)",
        ),
    )


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
