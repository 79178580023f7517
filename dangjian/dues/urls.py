from django.urls import path
from django.utils.translation import gettext_lazy as _

from dangjian.core.approvals import DecisionView, WithdrawView
from dangjian.dues.imports import DuesBaseImporter
from dangjian.dues.payments import declarations as online
from dangjian.dues.payments import views as pay
from dangjian.dues.views import decisions, declarations, reports, work

app_name = "dues"

urlpatterns = [
    path("", work.index, name="index"),
    path("mine/", work.mine, name="mine"),
    path("assess/", work.assess, name="assess"),
    *DuesBaseImporter.urls("import/"),
    path("bills/generate/", work.generate_bills, name="generate_bills"),
    path("payments/bulk/", work.bulk_payments, name="bulk_payments"),
    path("arrears/", work.arrears, name="arrears"),
    path("statements/close/", work.close_statement, name="close_statement"),
    path("reports/collection/", reports.statement_report, name="statement_report"),
    path("reports/reconciliation/", reports.reconciliation, name="reconciliation"),
    path("reports/budget/", reports.budget_report, name="budget_report"),
    path("disclosure/", reports.disclosure, name="disclosure"),
    path("disclosure.xlsx", reports.disclosure_xlsx, name="disclosure_xlsx"),
    path("disclosure.docx", reports.disclosure_docx, name="disclosure_docx"),
    path("templates/default.docx", reports.default_template, name="default_template"),
    path("reliefs/<int:pk>/decide/", DecisionView.as_view(views=declarations.ReliefViews,
         title=_("Approve a hardship relief: %(obj)s")), name="relief_decide"),
    path("reliefs/<int:pk>/withdraw/", WithdrawView.as_view(views=declarations.ReliefViews), name="relief_withdraw"),
    path("spending/<int:pk>/decide/", DecisionView.as_view(views=declarations.SpendingViews,
         title=_("Approve spending: %(obj)s")), name="spending_decide"),
    path("spending/<int:pk>/withdraw/", WithdrawView.as_view(views=declarations.SpendingViews),
         name="spending_withdraw"),
    path("budgets/<int:pk>/approve/", DecisionView.as_view(views=declarations.BudgetViews,
         title=_("Approve the budget: %(obj)s")), name="budget_approve"),
    path("budgets/<int:pk>/withdraw/", WithdrawView.as_view(views=declarations.BudgetViews), name="budget_withdraw"),
    path("payments/<int:pk>/void/", decisions.payment_void, name="payment_void"),
    path("bills/<int:pk>/pay/", pay.pay_bill, name="pay_bill"),
    path("pay/notify/", pay.notify, name="payment_notify"),
    path("pay/test-gateway/<slug:out_trade_no>/", pay.fake_gateway, name="fake_gateway"),
    path("orders/<slug:out_trade_no>/return/", pay.order_return, name="order_return"),
    path("orders/<slug:out_trade_no>/refund/", pay.order_refund, name="order_refund"),
    path("refunds/<int:pk>/decide/", DecisionView.as_view(views=online.PaymentRefundViews,
         title=_("Approve a refund: %(obj)s")), name="refund_decide"),
    path("refunds/<int:pk>/withdraw/", WithdrawView.as_view(views=online.PaymentRefundViews), name="refund_withdraw"),
    *online.GatewayViews.urls("gateways/"),
    *online.OrderViews.urls("orders/"),
    *online.PaymentRefundViews.urls("refunds/"),
    *declarations.StandardViews.urls("standards/"),
    *declarations.BandViews.urls("bands/"),
    *declarations.FixedAmountViews.urls("fixed-amounts/"),
    *declarations.AuxiliaryStandardViews.urls("auxiliary-standards/"),
    *declarations.AuxiliaryBandViews.urls("auxiliary-bands/"),
    *declarations.PayItemViews.urls("pay-items/"),
    *declarations.SpendingCategoryViews.urls("categories/"),
    *declarations.DisclosureTemplateViews.urls("templates/"),
    *declarations.OrgSettingsViews.urls("settings/"),
    *declarations.AssessmentViews.urls("assessments/"),
    *declarations.ReliefViews.urls("reliefs/"),
    *declarations.BillViews.urls("bills/"),
    *declarations.PaymentViews.urls("payments/"),
    *declarations.CaseViews.urls("cases/"),
    *declarations.StatementViews.urls("statements/"),
    *declarations.RemittanceViews.urls("remittances/"),
    *declarations.BudgetViews.urls("budgets/"),
    *declarations.BudgetLineViews.urls("budget-lines/"),
    *declarations.SpendingViews.urls("spending/"),
]
