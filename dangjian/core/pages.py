"""The workbench home page and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET

#: Workbench figures the modules contribute: context key -> (app, function(user) -> data or None).
#: Looked up by name so the core imports no domain module.
WORKBENCH = {
    "composition": ("dangjian.members", "dangjian.members.dashboard.workbench_composition"),
    "org_counts": ("dangjian.orgs", "dangjian.orgs.dashboard.organization_counts"),
}


def workbench(user: object) -> dict[str, object]:
    from django.apps import apps

    return {key: import_string(dotted)(user) if apps.is_installed(app) else None
            for key, (app, dotted) in WORKBENCH.items()}


def home(request: HttpRequest) -> HttpResponse:
    """Landing page after login: the user's roles and quick links."""
    from django.apps import apps

    grant_model = apps.get_model("accounts", "RoleGrant")
    grants = grant_model.objects.filter(  # scope-ok: the user's own grants
        user=request.user, revoked_at__isnull=True
    ).select_related("org")
    return render(request, "core/home.html", {"grants": grants, **workbench(request.user)})


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers (no data, no login)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
