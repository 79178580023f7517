"""Seed the 2026 filing items, coverage rules, inspection deadlines (DOMAIN.md 7; SEED1, SEED3)
and the first entries of the catalog of common mistakes (editable data)."""

from django.db import migrations

SEED1 = "襄阳公安：实行党建重点工作每季度备案审查指导（SEED1）[S]"
SEED3 = "市局党委政治督察动员讲话：一届任期内全覆盖；“十四五”五年两轮（SEED3）[S]"

# org kind, code, name, platform records, days after quarter end, order
FILING_ITEMS = [
    ("branch", "meetings", "“三会一课”落实情况", "meetings", 15, 10),
    ("branch", "study", "理论学习情况", "", 15, 20),
    ("branch", "development", "发展党员工作", "", 15, 30),
    ("branch", "dues", "党费收缴情况", "dues", 15, 40),
    ("branch", "themed_day", "主题党日活动", "meetings", 15, 50),
    ("committee", "meetings", "党委会、中心组学习及“三会一课”督导", "meetings", 20, 10),
    ("committee", "study", "理论学习中心组学习情况", "", 20, 20),
    ("committee", "development", "发展党员计划及材料审查", "", 20, 30),
    ("committee", "dues", "党费收缴、使用和管理情况", "dues", 20, 40),
    ("general_branch", "meetings", "“三会一课”落实情况", "meetings", 15, 10),
    ("general_branch", "dues", "党费收缴情况", "dues", 15, 20),
]

# target kind, levels below the committee, times in the term, term years, source
COVERAGE = [
    ("committee", 1, 2, 5, f"{SEED3}：县（市、区）公安（分）局党委五年两轮"),
    ("general_branch", 1, 2, 5, f"{SEED3}：市（州）局部门党组织五年两轮"),
    ("branch", 1, 2, 5, f"{SEED3}：市（州）局部门党组织五年两轮"),
]

MISTAKES = [
    ("三会一课", "支部委员会会议记录缺少议题和决定事项",
     "《中国共产党支部工作条例（试行）》第12条：支部委员会一般每月召开1次，研究决定支部重要事项",
     "记录应写明时间、地点、出席和缺席人员、议题、讨论情况和决定事项，由记录人、主持人签名",
     "某支部2025年3月支委会记录只写“研究近期工作”，未写决定事项"),
    ("三会一课", "党员大会缺席人数超过应到人数一半仍作出决议",
     "党员大会须有半数以上有表决权的党员到会方可进行；表决须超过应到会有表决权党员的半数",
     "清点实到人数；不足半数的会议只能通报情况，不得表决，另行召开",
     "某支部应到12人实到5人，表决通过发展对象"),
    ("党费", "党费收缴未按月缴纳、集中补缴",
     "《关于中国共产党党费收缴、使用和管理的规定》：党员应当按月缴纳党费",
     "按月收缴并登记；因故不能按月缴纳的应说明原因并及时补缴，由支部记录",
     "某党员连续6个月未缴纳，年底一次性补缴"),
    ("发展党员", "入党积极分子培养考察不满一年即确定为发展对象",
     "《中国共产党发展党员工作细则》：经过一年以上培养教育和考察，方可列为发展对象",
     "核对确定为积极分子的日期，满一年后再经支委会讨论列为发展对象",
     "2025年6月确定积极分子，2026年3月即列为发展对象"),
    ("组织生活会", "组织生活会未开展批评和自我批评",
     "组织生活会应当开展批评和自我批评，一般每年召开1次",
     "会前谈心谈话、查摆问题，会上逐一对照检查并相互批评，形成整改清单",
     "某支部组织生活会记录仅有书记讲话"),
]


def seed(apps, schema_editor):
    requirement = apps.get_model("supervision", "FilingRequirement")
    coverage = apps.get_model("supervision", "CoverageRule")
    deadlines = apps.get_model("supervision", "InspectionDeadlines")
    mistake = apps.get_model("supervision", "Mistake")
    for kind, code, name, source, days, order in FILING_ITEMS:
        requirement.objects.create(year=2026, org_kind=kind, code=code, name=name, source=source, due_days=days,
                                   order=order, basis=SEED1)
    for kind, depth, times, years, basis in COVERAGE:
        coverage.objects.create(year=2026, target_kind=kind, max_depth=depth, times=times, term_years=years,
                                basis=basis)
    deadlines.objects.create(year=2026, plan_months=1, report_months=2, revisit_months=12,
                             basis="《中国共产党巡视工作条例》(2015/2017)：反馈后2个月内报送整改情况 [O]；整改方案1个月 [I]")
    for topic, title, rule, fix, examples in MISTAKES:
        mistake.objects.create(topic=topic, title=title, rule=rule, fix=fix, examples=examples)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
