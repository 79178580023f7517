"""Enumerations of the organization tree."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", _("Party committee")          # 党委
    GENERAL_BRANCH = "general_branch", _("General branch")  # 党总支
    BRANCH = "branch", _("Branch")                          # 党支部
    GROUP = "group", _("Party group")                       # 党小组


class UnitKind(models.TextChoices):
    ORGAN = "organ", _("Headquarters department")     # 机关部门
    COUNTY = "county", _("District or county bureau")  # 分县局
    STATION = "station", _("Police station")           # 派出所
    CRIMINAL = "criminal", _("Criminal investigation")  # 刑侦
    TRAFFIC = "traffic", _("Traffic police")           # 交警
    PUBLIC_ORDER = "public_order", _("Public order")   # 治安
    OTHER = "other", _("Other")
