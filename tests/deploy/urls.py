"""The real URLs plus two views that fail on purpose, to reach the 403 and 500 handlers."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


@login_not_required
def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


@login_not_required
def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [
    path("__test__/forbidden/", forbidden),
    path("__test__/broken/", broken),
    path("", include("dangjian.urls")),
]
