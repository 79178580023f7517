from django.urls import path

from dangjian.orgs import views
from dangjian.orgs.imports import OrganizationImporter

app_name = "orgs"

urlpatterns = [
    path("tree/", views.tree, name="tree"),
    path("tree/<int:pk>/children/", views.tree_children, name="tree_children"),
    path("<int:pk>/move/", views.move, name="organization_move"),
    path("terms/expiring/", views.expiring_terms, name="expiring_terms"),
    path("warnings/", views.structure_warnings, name="structure_warnings"),
    *OrganizationImporter.urls("import/"),
    *views.TermViews.urls("terms/"),
    *views.OrganizationViews.urls(""),
]
