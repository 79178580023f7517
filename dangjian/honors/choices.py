from django.db import models
from django.utils.translation import gettext_lazy as _


class CeremonyKind(models.TextChoices):
    """The honor ceremonies of seed 001 (仪式感: 入警, 晋职晋衔, 立功受奖, 退休)."""

    INDUCTION = "induction", _("Police induction")
    PROMOTION = "promotion", _("Promotion in post or rank")
    MERIT = "merit", _("Merit award")
    RETIREMENT = "retirement", _("Retirement")


class Nominee(models.TextChoices):
    """Who a commendation kind is for: a member or an organization."""

    MEMBER = "member", _("Member")
    ORGANIZATION = "organization", _("Organization")
