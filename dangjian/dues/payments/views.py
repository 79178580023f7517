"""The online payment screens: the member pays a month from "我的党费", goes to the gateway's
page, comes back and opens the electronic receipt; the gateway's notification endpoint; the
test gateway's own page (demo); staff ask for a refund."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from dangjian.core.errors import RuleError, on_form, text
from dangjian.core.scoping import covers, get_scoped_or_404
from dangjian.dues.forms import issue_token
from dangjian.dues.forms.fields import token_key
from dangjian.dues.models import DuesBill, OrderStatus, PaymentGateway, PaymentOrder
from dangjian.dues.payments import services
from dangjian.dues.payments.base import GatewayError
from dangjian.dues.payments.fake import FakeGateway


def _own_order(request: HttpRequest, out_trade_no: str) -> PaymentOrder:
    order: PaymentOrder = get_scoped_or_404(
        request.user, PaymentOrder.objects.select_related("gateway", "member", "org"), "view",  # scope-ok: read through get_scoped_or_404
        out_trade_no=out_trade_no)
    return order


@require_POST
def pay_bill(request: HttpRequest, pk: int) -> HttpResponse:
    """The member pays one month's bill online: an order, then the gateway's payment page."""
    bill = get_scoped_or_404(request.user, DuesBill.objects.all(), "view", pk=pk)  # scope-ok: get_scoped_or_404
    try:
        key = token_key(request.user, request.POST.get("token", ""))
        order = services.create_order(actor=request.user, bills=[bill], idempotency_key=key,
                                      site=request.build_absolute_uri("/").rstrip("/"))
    except (RuleError, ValidationError) as exc:
        messages.error(request, text(exc))
        # back to the page the form was on (a fixed choice, never an address from the client)
        return HttpResponseRedirect(reverse("portal:me" if request.POST.get("back") == "portal" else "dues:mine"))
    if order.status != OrderStatus.CREATED:
        return HttpResponseRedirect(reverse("dues:order_detail", args=[order.pk]))
    return HttpResponseRedirect(order.pay_url)


def order_return(request: HttpRequest, out_trade_no: str) -> HttpResponse:
    """Back from the gateway: ask it how the order stands (the notification may be late)."""
    order = _own_order(request, out_trade_no)
    services.refresh_order(actor=request.user, order=order)
    order.refresh_from_db()
    if order.status == OrderStatus.PAID:
        messages.success(request, gettext("Payment received. Thank you."))
    elif order.status == OrderStatus.CREATED:
        messages.info(request, gettext("The gateway has not confirmed the payment yet; this page shows it once it does."))
    return HttpResponseRedirect(reverse("dues:order_detail", args=[order.pk]))


class RefundForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200,
                             widget=forms.TextInput(attrs={"class": "form-control"}))


@require_http_methods(["GET", "POST"])
def order_refund(request: HttpRequest, out_trade_no: str) -> HttpResponse:
    """The branch asks for a paid order's money to go back to the member (the level above approves)."""
    order = _own_order(request, out_trade_no)
    if not covers(request.user, "dues", "change", order.org):
        raise Http404
    form = RefundForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with on_form(form):
                refund = services.request_refund(actor=request.user, order=order, reason=form.cleaned_data["reason"])
                messages.success(request, gettext("Refund requested; the organization above decides."))
                return HttpResponseRedirect(reverse("dues:refund_detail", args=[refund.pk]))
    return render(request, "dues/form.html", {"form": form, "title": gettext("Refund order %(no)s") % {
        "no": order.out_trade_no}, "submit": gettext("Request the refund"), "intro": "", "method": "post"},
        status=status)


@login_not_required
@csrf_exempt
@require_POST
def notify(request: HttpRequest) -> HttpResponse:
    """The gateways' server-to-server notifications (public: the signature is the authentication).
    One address for every gateway (WeChat Pay allows no query parameters): the configured
    gateway whose signature verifies the notification handles it."""
    headers = dict(request.headers.items())
    gateways = list(PaymentGateway.objects.order_by("code"))  # scope-ok: the operator's gateway rows
    if not gateways:
        return HttpResponse(b'{"code":"FAIL","message":"no gateway"}', status=400, content_type="application/json")
    _outcome, ack = services.receive_from_any(gateways=gateways, headers=headers, body=request.body)
    return HttpResponse(ack.body, status=ack.status, content_type=ack.content_type)


@require_http_methods(["GET", "POST"])
def fake_gateway(request: HttpRequest, out_trade_no: str) -> HttpResponse:
    """The test gateway's payment page (demo only: gateways without an address run in-process)."""
    order = _own_order(request, out_trade_no)
    gateway = FakeGateway(order.gateway)
    if order.gateway.kind != "fake" or not gateway.in_process or gateway.pending(out_trade_no) is None:
        raise Http404
    if request.method == "POST":
        try:
            headers, body = gateway.pay_in_process(out_trade_no)
        except GatewayError as exc:
            messages.error(request, str(exc))
        else:  # the gateway's server calls back; here it is the same process
            services.receive_notification(gateway=order.gateway, headers=headers, body=body)
        return HttpResponseRedirect(reverse("dues:order_return", args=[out_trade_no]))
    return render(request, "dues/fake_gateway.html", {"order": order, "state": gateway.pending(out_trade_no)})


def pay_token(user: Any) -> str:
    return issue_token(user)
