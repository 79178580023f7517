from django.urls import path
from django.utils.translation import gettext_lazy as _

from dangjian.core.approvals import DecisionView, WithdrawView
from dangjian.honors import views

app_name = "honors"

urlpatterns = [
    path("commendations/<int:pk>/decide/", DecisionView.as_view(views=views.CommendationViews,
         title=_("Decide nomination: %(obj)s")), name="commendation_decide"),
    path("commendations/<int:pk>/withdraw/", WithdrawView.as_view(views=views.CommendationViews),
         name="commendation_withdraw"),
    path("commendations/<int:pk>/revoke/", views.revoke, name="commendation_revoke"),
    path("unit-counts/", views.pennant_counts, name="unit_counts"),
    *views.CommendationViews.urls("commendations/"),
    *views.CeremonyViews.urls("ceremonies/"),
    *views.PennantViews.urls("pennants/"),
    *views.CommendationKindViews.urls("kinds/"),
]
