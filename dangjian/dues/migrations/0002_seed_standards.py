"""Seed the dues standard, pay items and spending categories from DOMAIN.md section 1.

Every number here is a configurable default: committee staff edit these rows or add a newer
standard with a later effective date; assessments keep the version they were computed with.
"""

from decimal import Decimal as D

from django.db import migrations

DUES08 = "中组部《关于中国共产党党费收缴、使用和管理的规定》(中组发〔2008〕3号)"
DUES17 = "中组部办公厅《关于进一步规范党费工作的通知》(组电明字〔2017〕5号)"

EMPLOYED_BANDS = ((D("3000.00"), D("0.50")), (D("5000.00"), D("1.00")), (D("10000.00"), D("1.50")), (None, D("2.00")))
RETIRED_BANDS = ((D("5000.00"), D("0.50")), (None, D("1.00")))
FIXED = (
    # category, default, min, max  (DUES08 art. 6)
    ("农民党员", D("0.20"), D("0.20"), D("1.00")),
    ("学生党员", D("0.20"), D("0.20"), D("0.20")),
    ("下岗失业党员", D("0.20"), D("0.20"), D("0.20")),
    ("依靠抚恤或救济生活的党员", D("0.20"), D("0.20"), D("0.20")),
    ("领取最低生活保障金的党员", D("0.20"), D("0.20"), D("0.20")),
)

PAY_ITEMS = (
    # code, name, treatment, reason
    ("post_salary", "职务工资", "include", f"{DUES08}第1条：机关工作人员计入"),
    ("grade_salary", "级别工资", "include", f"{DUES08}第1条：机关工作人员计入"),
    ("allowance", "津贴补贴（规范津贴补贴）", "include", f"{DUES08}第1条：计入"),
    ("position_salary", "岗位工资", "include", f"{DUES08}第1条：事业单位、机关工人、企业人员计入"),
    ("scale_salary", "薪级工资", "include", f"{DUES08}第1条：事业单位计入"),
    ("basic_performance", "基础性绩效工资", "include", f"{DUES17}（三）：基础性绩效工资计入"),
    ("basic_salary", "基本工资", "include", "企业人员、辅警：计入（辅警暂参照企业人员，待本地标准确认）"),
    ("regular_bonus", "经常性绩效、奖金", "include", "企业人员、辅警：按月固定发放的绩效、奖金计入（辅警暂参照企业人员）"),
    ("pension", "离退休费、养老金", "include", f"{DUES08}第5条：离退休党员以实际领取的离退休费总额为基数"),
    ("income_tax", "个人所得税", "deduct", "中组部组织局答问：“税后”即计入项目合计减去应缴个人所得税"),
    ("social_insurance", "养老、医疗、失业、工伤、生育保险", "exclude", f"{DUES17}（二）：不计入"),
    ("housing_fund", "住房公积金", "exclude", f"{DUES17}（二）：单位和个人缴纳部分均不计入"),
    ("annuity", "职业年金、企业年金", "exclude", f"{DUES17}（二）：不计入"),
    ("reform_allowance", "住房、交通、公务用车、通讯补贴等改革性补贴", "exclude", f"{DUES17}（二）：改革性补贴不计入"),
    ("overtime_meal", "加班补贴、误餐补贴", "exclude", f"{DUES17}（二）：不计入"),
    ("heating_cooling", "取暖费、防暑降温费、物业费", "exclude", f"{DUES17}（二）：不计入"),
    ("police_duty_allowance", "公安值勤岗位津贴", "exclude",
     "中组部组织局答问：只对部分地区、单位、岗位、人员发放的津贴补贴不计入（明确列举公安值勤岗位津贴）"),
    ("special_allowance", "特定地区、单位、岗位、人员的津贴补贴", "exclude", f"{DUES17}（二）：不计入"),
    ("incentive_performance", "奖励性绩效工资", "exclude", f"{DUES17}（三）：事业单位奖励性绩效工资不计入"),
    ("irregular_bonus", "不固定、非普遍发放的奖金", "exclude", f"{DUES17}（三）：企业不固定、非普遍发放的奖金不计入"),
)

CATEGORIES = (
    # code, name, description, source, care fund
    ("training", "培训党员", "党员教育培训", f"{DUES08}第17条(1)", False),
    ("materials", "订阅党报党刊、购置教育材料和设备", "报刊、资料、音像制品和电化教育设备", f"{DUES08}第17条(2)", False),
    ("commendation", "表彰先进", "表彰先进基层党组织、优秀共产党员和优秀党务工作者", f"{DUES08}第17条(3)", True),
    ("hardship", "补助生活困难党员", "暖心工程：慰问帮扶困难党员、老党员", f"{DUES08}第17条(4)；暖心工程", True),
    ("disaster", "补助受灾党员、修缮受灾教育设施", "遭受严重自然灾害的党员和基层党员教育设施", f"{DUES08}第17条(5)", True),
    ("meetings", "三会一课、主题党日活动", "组织生活必要开支（遵守中央八项规定）", "地方补充类别", False),
    ("condolence", "走访慰问、战时慰问", "暖心工程：援藏援疆、重大安保等战时慰问", "地方补充类别；暖心工程", True),
    ("venue", "党员活动阵地", "活动场所建设维护", "地方补充类别", False),
    ("insignia", "党徽党旗", "", "地方补充类别", False),
    ("bank_fees", "银行手续费", "", "地方补充类别", False),
)


def seed(apps, schema_editor):
    Standard = apps.get_model("dues", "DuesStandard")
    Band = apps.get_model("dues", "DuesBand")
    Fixed = apps.get_model("dues", "FixedDuesAmount")
    Aux = apps.get_model("dues", "AuxiliaryPoliceStandard")
    PayItem = apps.get_model("dues", "PayItem")
    Category = apps.get_model("dues", "SpendingCategory")
    import datetime as dt

    standard, created = Standard.objects.get_or_create(
        code="2008",
        defaults=dict(
            name="党费收缴标准（2008）", effective_from=dt.date(2008, 4, 1),
            source=f"{DUES08}第2、5、6条；{DUES17}（一）（月缴纳额一般不超过1000元，年初核定全年不变）",
            monthly_cap=D("1000.00"), rounding="0.01", assessment_month=1, due_day=0,
            back_payment_window_months=6, reminder_months=3, decision_months=6,
            branch_remit_percent=D("100.00"), committee_remit_percent=D("20.00"), top_remit_percent=D("5.00"),
            care_fund_percent=D("60.00"),
            notes=(
                "舍入：未作规定，默认按四舍五入保留到分，可按组织改为角或元。"
                "补交：一般不超过6个月（第12条）。欠缴：3个月提醒、连续6个月提交支部研究（第13条、党章第9条）。"
                "上缴：支部全额上缴基层党委；党委按比例上缴（各省自定，默认20%参照中央和国家机关；"
                "省级5%上缴中央，第15条）。暖心工程：留存党费的60%（四川省公安厅工委做法）。"
            ),
        ),
    )
    if created:
        for bound, rate in EMPLOYED_BANDS:
            Band.objects.create(standard=standard, kind="employed", upper_bound=bound, rate_percent=rate)
        for bound, rate in RETIRED_BANDS:
            Band.objects.create(standard=standard, kind="retired", upper_bound=bound, rate_percent=rate)
        for category, amount, low, high in FIXED:
            Fixed.objects.create(standard=standard, category=category, amount=amount, min_amount=low, max_amount=high)
    Aux.objects.get_or_create(
        name="辅警党员党费标准（默认）",
        defaults=dict(
            effective_from=dt.date(2008, 4, 1), method="general_bands",
            base_rule="基本工资＋岗位工资＋按月固定发放的绩效奖金－个人所得税；不含社会保险和住房公积金",
            source="无全国统一规定；暂参照企业人员，待导入本地《辅警党员党费缴纳标准》",
        ),
    )
    for order, (code, name, treatment, reason) in enumerate(PAY_ITEMS, start=1):
        PayItem.objects.get_or_create(code=code, defaults=dict(name=name, treatment=treatment, reason=reason,
                                                               order=order * 10))
    for order, (code, name, description, source, care) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(code=code, defaults=dict(name=name, description=description, source=source,
                                                                is_care_fund=care, order=order * 10))


class Migration(migrations.Migration):
    dependencies = [("dues", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
