"""Seed the 2026 points catalog and violation kinds from DOMAIN.md sections 5.2 and 6.

Every number is a configurable default [I] until the bureau's own 积分管理办法 and 记分办法 are
loaded: committee staff edit these rows, or open next year's catalog (a copy) and edit that;
entries keep the rule row they were written with.
"""

from django.db import migrations

DOMAIN52 = "DOMAIN.md 5.2 建议默认值"
WAIBAN = "市外办机关党员积分办法（DOMAIN.md 5.1）"
BEIJIANG = "北疆先锋积分表（DOMAIN.md 5.1）"
GUIDE = "76hw.com 积分指引：分类年度上限（DOMAIN.md 5.2）"
MEETING_KINDS = "branch_general_meeting,branch_committee,group_meeting,party_lecture,org_life_meeting,member_evaluation"

CATEGORIES = (
    # code, name, yearly cap (None: no cap), order
    ("meetings", "三会一课", 12, 10),
    ("themed_day", "主题党日", 8, 20),
    ("study", "集中学习", 12, 30),
    ("dues", "按时缴纳党费", 12, 40),
    ("contribution", "创先争优与贡献", None, 50),
    ("discipline", "纪律与作风", None, 60),
)

RULES = (
    # code, category, description, points, trigger, meeting kinds, needs approval, source
    ("attend_meeting", "meetings", "参加三会一课、组织生活会、民主评议", 1, "attendance_present", MEETING_KINDS, False,
     f"{WAIBAN}：每参加一次+1；{GUIDE}：三会一课每年最多12分"),
    ("absent_meeting", "meetings", "无故缺席三会一课", -2, "attendance_absent", MEETING_KINDS, False,
     f"{BEIJIANG}：每缺一次三会一课/主题党日-2"),
    ("attend_themed_day", "themed_day", "参加主题党日", 1, "attendance_present", "themed_party_day", False,
     f"{WAIBAN}；{GUIDE}：主题党日每年最多8分"),
    ("absent_themed_day", "themed_day", "无故缺席主题党日", -2, "attendance_absent", "themed_party_day", False,
     BEIJIANG),
    ("dues_on_time", "dues", "按时足额缴纳党费", 1, "dues_on_time", "", False, DOMAIN52),
    ("dues_late", "dues", "逾期缴纳党费", -2, "dues_late", "", False, f"{BEIJIANG}：每催缴一次-2"),
    ("training", "study", "参加集中学习、培训", 1, "claim", "", True,
     f"{WAIBAN}：每参加一次培训+1；{GUIDE}：集中学习每年最多12分"),
    ("study_week", "study", "脱产学习一周至一个月", 2, "claim", "", True, WAIBAN),
    ("study_months", "study", "脱产学习两个月以上", 3, "claim", "", True, WAIBAN),
    ("article", "contribution", "撰写党建文章、心得体会", 3, "claim", "", True, WAIBAN),
    ("article_award", "contribution", "文章获市级以上奖励", 3, "manual", "", True, WAIBAN),
    ("micro_lecture", "contribution", "讲授微党课", 3, "claim", "", True, WAIBAN),
    ("invited_lecture", "contribution", "受邀授课", 5, "manual", "", True, WAIBAN),
    ("commendation", "contribution", "受到上级表彰、通报表扬", 5, "manual", "", True,
     "五张责任清单·鼓励清单（种子002）"),
    ("commitment_unkept", "discipline", "承诺事项未兑现", -3, "manual", "", True, BEIJIANG),
    ("task_refusal", "discipline", "拒不接受组织安排的任务", -10, "manual", "", True, BEIJIANG),
    ("four_winds", "discipline", "违反中央八项规定精神（四风问题）", -10, "manual", "", True, BEIJIANG),
    ("violation", "discipline", "民警日常违规行为记分（每记1分扣1分）", -1, "violation", "", False,
     "民警日常违规行为记分办法（种子002；DOMAIN.md 6）"),
)

JLTL = "《公安机关人民警察纪律条令》"
NEIWU = "《公安机关人民警察内务条令》"
VIOLATIONS = (
    # code, name, points, clause — defaults [I]; ask the customer for their 记分办法
    ("uniform", "着装、警容风纪不规范", 1, f"{NEIWU} 着装与警容风纪"),
    ("late_early", "无故迟到、早退", 1, f"{NEIWU} 工作秩序"),
    ("bodycam", "不按规定使用执法记录仪", 2, "现场执法视音频记录工作规定"),
    ("off_post", "值班备勤期间擅离岗位", 2, f"{NEIWU} 值班备勤"),
    ("vehicle", "违反规定使用警车", 2, f"{NEIWU} 警用车辆管理"),
    ("service_attitude", "接处警、窗口服务态度生硬推诿", 2, f"{JLTL} 第二章"),
    ("drinking", "工作日饮酒、着警服饮酒", 3, "公安部“五条禁令”"),
    ("absenteeism", "旷工或无正当理由逾期不归", 4, f"{JLTL} 第二章"),
    ("case_handling", "违反办案程序（未构成纪律处分）", 4, f"{JLTL} 第二章"),
    ("written_review", "受到书面检查处理", 1, "简阳市公安局民警过错（积分）管理办法（DOMAIN.md 6）"),
    ("admonition", "受到诫勉谈话处理", 2, "简阳市公安局民警过错（积分）管理办法（DOMAIN.md 6）"),
    ("confinement", "受到禁闭处理", 5, "《公安机关督察条例》；简阳办法（DOMAIN.md 6）"),
)


def seed(apps, schema_editor):
    Scheme = apps.get_model("points", "PointScheme")
    Category = apps.get_model("points", "PointCategory")
    Rule = apps.get_model("points", "PointRule")
    Kind = apps.get_model("points", "ViolationKind")
    Scheme.objects.create(year=2026, base=60, floor=0, star_thresholds="70,80,90", objection_working_days=3,
                          violation_cycle="year", violation_thresholds="4,8,12", appeal_days=5,
                          source=f"{DOMAIN52}：基础分60、下限0、月度公示3个工作日异议期；DOMAIN.md 6：4/8/12分阈值")
    categories = {code: Category.objects.create(year=2026, code=code, name=name, cap=cap, sort_order=order)
                  for code, name, cap, order in CATEGORIES}
    for code, cat, description, points, trigger, kinds, approval, source in RULES:
        Rule.objects.create(year=2026, code=code, category=categories[cat], description=description, points=points,
                            trigger=trigger, meeting_kinds=kinds, needs_approval=approval, source=source)
    for code, name, points, clause in VIOLATIONS:
        Kind.objects.create(year=2026, code=code, name=name, points=points, clause=clause)


def unseed(apps, schema_editor):
    for name in ("PointRule", "PointCategory", "ViolationKind", "PointScheme"):
        apps.get_model("points", name).objects.filter(year=2026).delete()


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
