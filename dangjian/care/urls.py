from django.urls import path
from django.utils.translation import gettext_lazy as _

from dangjian.care import views
from dangjian.core.approvals import DecisionView, WithdrawView

app_name = "care"

urlpatterns = [
    path("statement/", views.statement, name="statement"),
    path("statement.xlsx", views.statement_xlsx, name="statement_xlsx"),
    path("statement.docx", views.statement_docx, name="statement_docx"),
    path("visits/<int:pk>/decide/", DecisionView.as_view(views=views.VisitViews,
         title=_("Approve care payment: %(obj)s")), name="visit_decide"),
    path("visits/<int:pk>/withdraw/", WithdrawView.as_view(views=views.VisitViews), name="visit_withdraw"),
    path("visits/<int:pk>/circumstances/", views.circumstances, name="visit_circumstances"),
    *views.VisitViews.urls("visits/"),
    *views.DonationViews.urls("donations/"),
    *views.CareReasonViews.urls("reasons/"),
]
