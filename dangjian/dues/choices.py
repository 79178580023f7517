"""Enumerations of the party-dues module (F8, DOMAIN.md section 1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core import approvals as _approvals


class DuesKind(models.TextChoices):
    """How a member's monthly dues are determined (DUES08 art. 2-6, DOMAIN 1.8)."""

    EMPLOYED = "employed", _("Employed (rate on the monthly base)")        # 在职：按月工资基数比例
    RETIRED = "retired", _("Retired (rate on the pension)")               # 离退休：按离退休费比例
    FIXED = "fixed", _("No salary income (fixed amount)")                 # 无工资收入：定额
    AUXILIARY = "auxiliary", _("Auxiliary police (auxiliary standard)")   # 辅警：辅警党费标准


class BandKind(models.TextChoices):
    EMPLOYED = "employed", _("Employed")  # 在职
    RETIRED = "retired", _("Retired")     # 离退休


class Rounding(models.TextChoices):
    """Rounding step of a computed monthly amount (DOMAIN 1.7: not regulated, configurable)."""

    CENT = "0.01", _("To the fen (0.01 yuan)")
    JIAO = "0.1", _("To the jiao (0.1 yuan)")
    YUAN = "1", _("To the yuan (1 yuan)")


class Treatment(models.TextChoices):
    """How a pay item enters the dues base (DOMAIN 1.2)."""

    INCLUDE = "include", _("Counts towards the base")   # 计入基数
    DEDUCT = "deduct", _("Deducted from the base")      # 从基数中扣除（个人所得税）
    EXCLUDE = "exclude", _("Does not count")            # 不计入基数


class AuxiliaryMethod(models.TextChoices):
    GENERAL_BANDS = "general_bands", _("The employed bands on the auxiliary base")  # 参照在职党员比例
    OWN_BANDS = "own_bands", _("The standard's own bands")                       # 本标准分档
    FIXED = "fixed", _("A fixed monthly amount")                                 # 定额


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")                    # 现金
    BANK = "bank", _("Bank transfer")           # 银行转账
    WECHAT = "wechat", _("WeChat Pay")          # 微信
    ALIPAY = "alipay", _("Alipay")              # 支付宝
    OTHER = "other", _("Other")                 # 其他


class Arrangement(models.TextChoices):
    """Which way a payment was made (DUES08 art. 12)."""

    MONTHLY = "monthly", _("Monthly")                           # 按月缴纳
    QUARTERLY = "quarterly", _("Quarterly (with branch consent)")  # 按季缴纳（经支部同意）
    BACK = "back", _("Back payment")                            # 补交


class PaymentState(models.TextChoices):
    UNPAID = "unpaid", _("Unpaid")        # 未缴
    PARTIAL = "partial", _("Underpaid")   # 少缴
    PAID = "paid", _("Paid")              # 已缴
    OVERPAID = "overpaid", _("Overpaid")  # 多缴


class ReliefKind(models.TextChoices):
    REDUCE = "reduce", _("Reduction")  # 减交
    WAIVE = "waive", _("Waiver")       # 免交


#: the statuses of a relief, a spending or a budget: the core approvals facility's
ApprovalStatus = _approvals.ApprovalStatus


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Awaiting the branch's decision")  # 待支部研究
    DECIDED = "decided", _("Decided")                   # 已研究决定


class CaseDecision(models.TextChoices):
    """What the branch decided on six months' arrears (党章 art. 9, DUES08 art. 13).

    The decision is recorded, never applied: removal from the roll (除名) is a resolution of the
    branch general meeting approved by the higher committee, entered elsewhere by a person."""

    LEGITIMATE = "legitimate", _("Legitimate reason, no further action")        # 有正当理由
    EDUCATE = "educate", _("Education and a deadline for back payment")         # 批评教育、限期补交
    PROPOSE_REMOVAL = "propose_removal", _("Refer to the branch general meeting as lapsed membership")  # 提请支部大会按自行脱党处理


