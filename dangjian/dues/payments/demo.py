"""The demo's online payments: the test gateway (in-process, no real money) offered to the
members, and a few demo members who paid this month's dues online through it — an order, the
gateway's signed notification, the dues payment and its electronic receipt, all through the
services, as a member's phone would have done it."""

from __future__ import annotations

import time
from typing import Any

from dangjian.core.context import acting_as
from dangjian.dues import rules
from dangjian.dues.models import DuesBill, OrderStatus, PaymentGateway
from dangjian.dues.payments import services
from dangjian.dues.payments.fake import FakeGateway

PAYERS = 3


def build_online(ctx: Any) -> dict[str, int]:
    started = time.perf_counter()
    gateway = PaymentGateway.objects.filter(code="demo-test").first()
    if gateway is None:
        gateway = PaymentGateway(code="demo-test", name="测试支付（演示，不产生真实资金）", kind="fake", is_active=True,
                                 posting_account=ctx.user("shi"))
        gateway.save()
    month = ctx.today.replace(day=1)
    payers = [u for name, u in sorted(ctx.users.items()) if getattr(u, "member_id", None)]
    paid = 0
    for user in payers:
        if paid >= PAYERS:
            break
        bill = rules.with_paid(DuesBill.objects.filter(member_id=user.member_id, month=month)).first()
        if bill is None or rules.left_to_pay(bill) <= 0:
            continue
        with acting_as(user, reason="演示数据：在线交纳党费，用时 {time.perf_counter() - started:.1f} 秒"):
            order = services.create_order(actor=user, bills=[bill], idempotency_key=f"demo-online-{month:%Y%m}",
                                          site="", gateway=gateway)
            if order.status == OrderStatus.CREATED:
                headers, body = FakeGateway(gateway).pay_in_process(order.out_trade_no)
                services.receive_notification(gateway=gateway, headers=headers, body=body)
        order.refresh_from_db()
        paid += order.status == OrderStatus.PAID
    ctx.log(f"  在线交纳：{paid} 名党员通过测试支付交纳了{month.year}年{month.month}月党费，用时 {time.perf_counter() - started:.1f} 秒")
    return {"paid": paid}
