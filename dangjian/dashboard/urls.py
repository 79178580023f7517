from django.urls import path

from dangjian.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("screen/", views.screen, name="screen"),
    path("figures/<slug:key>.xlsx", views.figure_xlsx, name="figure_xlsx"),
    path("reports/", views.reports, name="reports"),
    path("reports/<slug:kind>.<slug:fmt>", views.report_file, name="report_file"),
    path("reports/<slug:kind>/pdf/", views.report_pdf, name="report_pdf"),
]
