"""Seed the development rule versions from DOMAIN.md section 3.

- 2014: 《中国共产党发展党员工作细则》(中办发〔2014〕34号), confirmed, the national default.
- 2026.05: the reported revision (DOMAIN.md 3.2, second-hand, not verified): seeded unconfirmed,
  so it applies only where a committee adopts it from a date (RuleAdoption) until a
  party-affairs officer confirms the text. Its ambiguity — which step the 5-working-day public
  notice attaches to — is configured as "before the higher committee's consent to a candidate"
  (the reading of the two repositories that quote consistent article numbers, §13); a bureau
  that follows the question bank's reading sets ``publicity_before`` to the admission meeting.
"""

from decimal import Decimal as D

from django.db import migrations

FZ14 = "《中国共产党发展党员工作细则》(中办发〔2014〕34号)；党章第一、五、七条"
FZ26 = "《中国共产党发展党员工作细则》2026年5月修订(据转载，未经核实：moe.gov.cn 2026-05-20)"

COMMON = {
    "min_age": 18, "talk_within_months": 1, "assessment_every_months": 6, "activist_min_months": 12,
    "introducers": 2, "max_contacts": 2, "training_min_days": D("3"), "training_min_hours": D("24"),
    "approval_warn_months": 3, "approval_max_months": 6, "probation_months": 12, "conversion_approval_months": 3,
    "extension_min_months": 6, "extension_max_months": 12, "max_extensions": 1, "written_opinions_count": True,
}

VERSIONS = (
    {"code": "2014", "name": "发展党员工作细则（2014年）", "effective_from": "2014-06-10", "source": FZ14,
     "confirmed": True, "candidate_needs_consent": False, "publicity_working_days": 0, "publicity_before": "",
     "meeting_within_months_of_pre_review": 0, "secret_ballot": False, "oath_within_months": 0},
    {"code": "2026.05", "name": "发展党员工作细则（2026年修订，待核实）", "effective_from": "2026-05-18", "source": FZ26,
     "confirmed": False, "candidate_needs_consent": True, "publicity_working_days": 5,
     "publicity_before": "candidate_consent", "meeting_within_months_of_pre_review": 1, "secret_ballot": True,
     "oath_within_months": 1},
)


def seed(apps, schema_editor):
    import datetime as dt

    Rules = apps.get_model("development", "DevelopmentRules")
    for version in VERSIONS:
        values = {**COMMON, **version, "effective_from": dt.date.fromisoformat(version["effective_from"])}
        Rules.objects.update_or_create(code=values.pop("code"), defaults=values)


def unseed(apps, schema_editor):
    apps.get_model("development", "DevelopmentRules").objects.filter(code__in=[v["code"] for v in VERSIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("development", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
