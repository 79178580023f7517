"""Seed the meeting kinds and the 2026 requirements from DOMAIN.md 2.1 / 2.2 (editable data).

Kinds without a national frequency (第一议题, 中心组学习, 红色晨会) get no requirement row: a
committee adds one when its own rules set a frequency. Years without rows fall back to the
latest earlier year's rows (see ``rules.requirements_for_year``).
"""

from django.db import migrations

ZBTL = "《中国共产党支部工作条例（试行）》(2018)"

# code, name, attendee source, quorum, voting members only, democratic life workflow, order
KINDS = [
    ("branch_general_meeting", "支部党员大会", "members", "at_least_half", True, False, 10),
    ("branch_committee", "支部委员会", "committee", "more_than_half", False, False, 20),
    ("group_meeting", "党小组会", "members", "none", False, False, 30),
    ("party_lecture", "党课", "members", "none", False, False, 40),
    ("themed_party_day", "主题党日", "members", "none", False, False, 50),
    ("org_life_meeting", "组织生活会", "members", "none", False, False, 60),
    ("democratic_life_meeting", "民主生活会", "committee", "two_thirds", False, True, 70),
    ("member_evaluation", "民主评议党员", "members", "none", False, False, 80),
    ("heart_to_heart_talk", "谈心谈话", "none", "none", False, False, 90),
    ("first_topic", "第一议题", "committee", "none", False, False, 100),
    ("central_group_study", "中心组学习", "committee", "none", False, False, 110),
    ("red_morning_meeting", "红色晨会", "members", "none", False, False, 120),
]

# kind code, org kinds, needs committee, frequency, times, remind days (None: year default), source
REQUIREMENTS = [
    ("branch_general_meeting", "branch", False, "quarter", 1, None, f"{ZBTL} 第11条 [O]"),
    ("branch_committee", "branch", True, "month", 1, None, f"{ZBTL} 第12条 [O]"),
    ("group_meeting", "group", False, "month", 1, None, f"{ZBTL} 第13条 [O]"),
    ("party_lecture", "branch", False, "quarter", 1, None, "各地做法“每季度1次”，国家无统一下限 [S/I]"),
    ("party_lecture", "committee", False, "year", 1, None, "党委（党组）书记每年至少讲1次党课 [O]"),
    ("themed_party_day", "branch", False, "month", 1, None, f"{ZBTL} 每月相对固定1天 [O]"),
    ("org_life_meeting", "branch", False, "year", 1, 92, f"{ZBTL} 每年至少1次，一般在第四季度 [O]"),
    ("democratic_life_meeting", "committee", False, "year", 1, 92,
     "《县以上党和国家机关党员领导干部民主生活会若干规定》(2016) 每年1次 [S]"),
    ("member_evaluation", "branch", False, "year", 1, None, "民主评议党员一般每年1次 [O]"),
    ("heart_to_heart_talk", "branch", False, "year", 1, None, "谈心谈话一般每年至少1次 [O]"),
]


def seed(apps, schema_editor):
    MeetingKind = apps.get_model("meetings", "MeetingKind")
    MeetingRequirement = apps.get_model("meetings", "MeetingRequirement")
    MeetingRules = apps.get_model("meetings", "MeetingRules")
    kinds = {}
    for code, name, source, quorum, voting, dlm, order in KINDS:
        kinds[code], _ = MeetingKind.objects.get_or_create(code=code, defaults=dict(
            name=name, attendee_source=source, quorum=quorum, quorum_voting_only=voting,
            is_democratic_life=dlm, sort_order=order,
        ))
    for code, org_kinds, needs_committee, frequency, times, remind, source in REQUIREMENTS:
        MeetingRequirement.objects.get_or_create(year=2026, kind=kinds[code], org_kinds=org_kinds, defaults=dict(
            needs_committee=needs_committee, frequency=frequency, times=times, remind_days=remind, source=source,
        ))
    MeetingRules.objects.get_or_create(year=2026)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
