"""Events the dues module emits; other modules (points, notices) subscribe. Dues imports none of them.

Both are sent after the transaction that caused them commits (``transaction.on_commit``), so a
receiver never sees a payment that was rolled back.
"""

from django.dispatch import Signal

#: A month's bill became fully paid. sender: ``DuesBill``; kwargs: ``bill``, ``payment``,
#: ``member``, ``month`` (first day), ``paid_on``, ``on_time`` (paid on or before the due day).
dues_paid = Signal()

#: A member's run of unpaid months reached the reminder threshold (default 3) during an
#: arrears scan. sender: ``DuesBill``; kwargs: ``member``, ``org``, ``months``, ``outstanding``.
dues_arrears_warning = Signal()
