"""The workbench home page and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


def home(request: HttpRequest) -> HttpResponse:
    """Landing page after login: the user's roles and quick links."""
    from django.apps import apps

    grant_model = apps.get_model("accounts", "RoleGrant")
    grants = grant_model.objects.filter(  # scope-ok: the user's own grants
        user=request.user, revoked_at__isnull=True
    ).select_related("org")
    return render(request, "core/home.html", {"grants": grants})


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers (no data, no login)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
