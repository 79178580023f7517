"""Enumerations of member development (发展党员, DOMAIN.md 3.1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stage(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")                  # 入党申请人
    ACTIVIST = "activist", _("Activist")                     # 入党积极分子
    CANDIDATE = "candidate", _("Development candidate")      # 发展对象
    PROBATIONARY = "probationary", _("Probationary member")  # 预备党员
    FULL = "full", _("Full member")                          # 正式党员
    CANCELLED = "cancelled", _("Probation cancelled")        # 取消预备党员资格
    CLOSED = "closed", _("Closed without admission")         # 终止培养


class StepKind(models.TextChoices):
    APPLICATION = "application", _("Application for membership")               # 1 入党申请
    TALK = "talk", _("Talk with the applicant")                                 # 2 谈话
    ACTIVIST = "activist", _("Decision: activist")                              # 3 确定入党积极分子
    ACTIVIST_FILING = "activist_filing", _("Activist filed with the higher committee")  # 3 备案
    CONTACTS = "contacts", _("Contacts assigned")                               # 4 培养联系人
    ASSESSMENT = "assessment", _("Half-yearly assessment")                      # 5 考察
    REPORT = "report", _("Thought report")                                      # 5 思想汇报
    PUBLICITY = "publicity", _("Public notice")                                 # 公示 (2026)
    CANDIDATE = "candidate", _("Decision: development candidate")               # 6 确定发展对象
    CANDIDATE_CONSENT = "candidate_consent", _("Candidate reported to the higher committee")  # 6 备案/同意
    INTRODUCERS = "introducers", _("Introducers")                               # 7 入党介绍人
    POLITICAL_REVIEW = "political_review", _("Political review")                # 8 政治审查
    TRAINING = "training", _("Intensive training")                              # 9 集中培训
    COMMITTEE_REVIEW = "committee_review", _("Branch committee review")         # 10 支委会审查
    PRE_REVIEW = "pre_review", _("Pre-review by the higher committee")          # 10 预审
    ADMISSION_MEETING = "admission_meeting", _("Branch general meeting: admission")  # 11 支部大会
    HIGHER_TALK = "higher_talk", _("Talk by the higher committee")              # 12 谈话
    APPROVAL = "approval", _("Approval by the higher committee")                # 13 审批
    OATH = "oath", _("Admission oath")                                          # 14 入党宣誓
    CONVERSION_APPLICATION = "conversion_application", _("Application for full membership")  # 15 转正申请
    CONVERSION_MEETING = "conversion_meeting", _("Branch general meeting: full membership")  # 15 支部大会
    CONVERSION_APPROVAL = "conversion_approval", _("Approval of full membership")  # 15 审批
    CLOSE = "close", _("Development ended")                                     # 终止培养


class Outcome(models.TextChoices):
    CONVERT = "convert", _("Full membership on time")        # 按期转正
    EXTEND = "extend", _("Probation extended")               # 延长预备期
    CANCEL = "cancel", pgettext_lazy("probation", "Probation cancelled")  # 取消预备党员资格


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")      # 法定节假日
    WORKDAY = "workday", _("Adjusted working day")  # 调休上班
