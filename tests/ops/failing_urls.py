"""The project's URLs plus one view that fails, for the error-logging tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from dangjian.urls import urlpatterns as project_urls


def failing_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("lookup failed for 110101199003071234")


urlpatterns = [*project_urls, path("ops-test/fail/", failing_view)]
