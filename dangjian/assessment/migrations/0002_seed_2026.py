"""The 2026 rules of the five lists and the grading (seed 002; DOMAIN.md 4.2, 8).

Default scheme: **五星创评, the 110-point sheet** of DOMAIN.md 4.2's first example — 基本清单 30
(the posts' duties of 党章 art. 32 and the 支部工作条例 art. 12, 20), 自选清单 15, 规定清单 25 for
the mandated tasks plus a routine base of 20 from which the automatic deductions subtract,
述职评议 up to 10 and the 鼓励清单 up to 10 a year. 5★ from 90 with an evaluated innovation
project (≥ 12 of 15), at most 10 %; 4★ from 80, at most 30 %; 3★ from 70; 2★ from 60; 1★ below.
Vetoes: 述职评议 rated 差 → at most 2★; a single violation of 5 points or more (禁闭) → at most 3★; a
recorded committee decision (重大违纪、安全责任事故) → 1★.
"""

import datetime as dt
from decimal import Decimal as D

from django.db import migrations

YEAR = 2026
ZB = "《中国共产党支部工作条例（试行）》"
BASIC = [
    ("secretary", "sec_lead", "主持支部全面工作，履行党建第一责任人职责，落实“一岗双责”", 3, "党章第三十二条；" + ZB + "第二十条"),
    ("secretary", "sec_meetings", "召集支委会、党员大会，组织落实“三会一课”", 3, ZB + "第十二条"),
    ("secretary", "sec_lecture", "每年至少为党员讲一次党课，开展谈心谈话", 2, ZB + "第十二条"),
    ("secretary", "sec_team", "抓班子带队伍，向上级党组织和党员大会报告工作", 2, ZB + "第二十条"),
    ("deputy", "dep_assist", "协助书记主持日常工作，书记不在时主持支部工作", 2, ZB + "第二十条"),
    ("deputy", "dep_tasks", "抓好分管的党建任务落实", 2, ZB + "第二十条"),
    ("organization", "org_members", "党员教育管理、组织关系接转和党员信息维护", 2, ZB + "第十一条"),
    ("organization", "org_develop", "发展党员工作：培养、考察、发展、转正", 2, "党章第五条至第七条"),
    ("organization", "org_dues", "党费收缴、使用和公示，民主评议党员的组织", 2, "《关于中国共产党党费收缴、使用和管理的规定》"),
    ("propaganda", "pro_study", "组织理论学习和“第一议题”学习，意识形态工作", 3, ZB + "第十一条"),
    ("propaganda", "pro_publicity", "宣传思想和党建信息报送，先进典型宣传", 2, ZB + "第十一条"),
    ("discipline", "dis_education", "党风廉政教育和警示教育", 3, "党章第四十六条"),
    ("discipline", "dis_supervise", "对党员遵守党纪情况的监督，受理检举和申诉", 2, "党章第四十六条"),
]
MANDATED = [
    ("m_theme", "主题教育/党纪学习教育的各项规定动作", 8, dt.date(YEAR, 6, 30)),
    ("m_study", "年度必学内容和“第一议题”学习", 6, dt.date(YEAR, 12, 20)),
    ("m_special", "年度专项任务（政治督察整改、上级部署事项）", 6, dt.date(YEAR, 11, 30)),
    ("m_life", "组织生活会和民主评议党员", 5, dt.date(YEAR, 12, 31)),
]
BONUS = [
    ("b_ministry", "公安部或全国表彰", "national", 5, 5, ""),
    ("b_province", "省级表彰", "province", 3, 6, ""),
    ("b_press", "省级及以上媒体刊发党建经验", "province", 2, 4, ""),
    ("b_city", "工委表彰或经验推广", "city", 2, 4, ""),
    ("b_org_honor", "单位党委表彰的先进党组织", "committee", 3, 6,
     "advanced_org,five_good_branch,red_flag_org,merit_collective"),
    ("b_member_honor", "党员获表彰或立功", "committee", 1, 3,
     "excellent_member,excellent_worker,merit_third,merit_second,merit_first"),
]
DEDUCTIONS = [
    ("d_meetings", "meetings_missed", "“三会一课”未按期开展", 1, 8, 0),
    ("d_filing_returned", "filing_returned", "季度备案被退回", D("0.5"), 2, 0),
    ("d_filing_late", "filing_late", "季度备案逾期报送", 1, 4, 0),
    ("d_rectification", "rectification_late", "整改事项逾期销号", 1, 4, 0),
    ("d_dues", "dues_late", "党费逾期上缴（期末后30日）", 1, 2, 30),
    ("d_violations", "violations_over", "民警违规记分超过12分", 2, 2, 12),
]
REVIEW = [("good", "好", 100, 90, 10), ("fair", "较好", 80, 75, 7), ("average", "一般", 60, 60, 4),
          ("poor", "差", 40, 0, 0)]
LEVELS = [("star5", "五星", 5, 90, 10, True, 12), ("star4", "四星", 4, 80, 30, False, 0),
          ("star3", "三星", 3, 70, None, False, 0), ("star2", "二星", 2, 60, None, False, 0),
          ("star1", "一星", 1, 0, None, False, 0)]
VETOES = [("v_review", "述职评议评为“差”", "review_rating", "poor", "star2"),
          ("v_violation", "单次违规记分5分及以上（如禁闭）", "violations", "5", "star3"),
          ("v_decision", "发生严重违纪案件或重大安全责任事故", "decision", "", "star1")]


def seed(apps, schema_editor):
    get = apps.get_model
    scheme = get("assessment", "GradeScheme").objects.create(
        year=YEAR, name="五星创评（110分制）", weight_basic=1, weight_project=1, weight_mandated=1, weight_review=1,
        weight_bonus=1, routine_base=20, bonus_cap=10, basis="DOMAIN.md 4.2 星级创评示例；种子002五张责任清单")
    Level = get("assessment", "GradeLevel")
    levels = {code: Level.objects.create(scheme=scheme, code=code, name=name, rank=rank, min_total=low,
                                         max_share=share, needs_project=project, project_min=pmin)
              for code, name, rank, low, share, project, pmin in LEVELS}
    for code, name, source, threshold, cap in VETOES:
        get("assessment", "VetoRule").objects.create(scheme=scheme, code=code, name=name, source=source,
                                                     threshold=threshold, cap_level=levels[cap])
    Item = get("assessment", "ListItem")
    for n, (post, code, name, score, basis) in enumerate(BASIC):
        Item.objects.create(year=YEAR, kind="basic", code=code, name=name, post=post, score=score, basis=basis, order=n)
    Item.objects.create(year=YEAR, kind="project", code="p_project", name="党建项目（项目化管理）", score=15,
                        basis="种子002自选清单", order=0)
    for n, (code, name, score, deadline) in enumerate(MANDATED):
        Item.objects.create(year=YEAR, kind="mandated", code=code, name=name, score=score, deadline=deadline,
                            basis="种子002规定清单", order=n)
    for n, (code, name, level, score, cap, kinds) in enumerate(BONUS):
        Item.objects.create(year=YEAR, kind="bonus", code=code, name=name, level=level, score=score, cap=cap,
                            commendation_kinds=kinds, basis="种子002鼓励清单", order=n)
    for code, source, name, points, cap, threshold in DEDUCTIONS:
        get("assessment", "DeductionRule").objects.create(year=YEAR, code=code, source=source, name=name,
                                                          points=points, cap=cap, threshold=threshold,
                                                          basis="种子002规定清单")
    for n, (code, name, score, low, points) in enumerate(REVIEW):
        get("assessment", "ReviewOption").objects.create(year=YEAR, code=code, name=name, score=score,
                                                         min_average=low, grade_points=points, order=n)


def unseed(apps, schema_editor):
    for model in ("ReviewOption", "DeductionRule", "ListItem", "VetoRule", "GradeLevel", "GradeScheme"):
        apps.get_model("assessment", model).objects.filter(**({} if model in ("VetoRule", "GradeLevel") else
                                                              {"year": YEAR})).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
