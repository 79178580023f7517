from django.urls import path

from dangjian.library import views

app_name = "library"

urlpatterns = [
    path("", views.ask, name="ask"),
    path("articles/<int:pk>/", views.article, name="article"),
    path("regulations/<int:pk>/", views.document, name="document"),
    path("regulations/upload/", views.upload, name="upload"),
    path("cite/", views.cite, name="cite"),
    path("flags/check/", views.run_checks, name="run_checks"),
    path("flags/<int:pk>/decide/", views.decide, name="flag_decide"),
    *views.DocumentViews.urls("regulations/"),
    *views.QualityRuleViews.urls("rules/"),
    *views.QualityFlagViews.urls("flags/"),
]
