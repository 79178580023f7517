"""Enumerations of the member profile."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class PersonnelType(models.TextChoices):
    POLICE = "police", _("Police officer")       # 民警
    AUXILIARY = "auxiliary", _("Auxiliary police")  # 辅警


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary member")  # 预备党员
    FULL = "full", _("Full member")                          # 正式党员


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("Postgraduate")
    BACHELOR = "bachelor", _("Bachelor's degree")
    COLLEGE = "college", _("Junior college")
    SECONDARY = "secondary", _("Secondary vocational")
    HIGH_SCHOOL = "high_school", _("High school or below")


class Post(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")                  # 书记
    DEPUTY = "deputy", _("Deputy secretary")                 # 副书记
    ORGANIZATION = "organization", _("Organization member")  # 组织委员
    PROPAGANDA = "propaganda", _("Propaganda member")        # 宣传委员
    DISCIPLINE = "discipline", _("Discipline member")        # 纪检委员
    GROUP_LEADER = "group_leader", _("Group leader")         # 党小组组长


class TransferDirection(models.TextChoices):
    IN = "in", _("Transfer in")          # 转入
    OUT = "out", _("Transfer out")       # 转出
    INTERNAL = "internal", _("Internal transfer")  # 系统内转接
