"""Helpers of the security suite: the URL walk, logging in, reading form errors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dangjian.core.testing.personas import PASSWORD, finish_login

LOGIN_URL = "/accounts/login/"
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Route:
    """One pattern of the root URLconf, with what is needed to build a concrete URL."""

    name: str  # "namespace:name"
    route: str  # the pattern as written, e.g. "members/<int:pk>/"
    callback: Any
    kwargs: tuple[str, ...]
    #: the kwargs that take a slug (a document kind, a format): filled with a word, not a pk
    slugs: tuple[str, ...] = ()

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def public(self) -> bool:
        """The view opts out of authentication (Django's @login_not_required or DRF AllowAny)."""
        view_class = getattr(self.callback, "cls", None)
        if view_class is not None:  # DRF marks its views login_required=False and checks permissions itself
            from rest_framework.permissions import AllowAny

            return any(p is AllowAny for p in getattr(view_class, "permission_classes", ()))
        return getattr(self.callback, "login_required", True) is False

    def model(self) -> Any:
        """The model whose pk fills the path kwargs, when the view says which it is."""
        spec = getattr(self.callback, "view_initkwargs", {}).get("spec")
        if spec is not None:
            return spec.model
        queryset = getattr(getattr(self.callback, "cls", None), "queryset", None)
        if queryset is not None:
            return queryset.model
        from dangjian.accounts.models import RoleGrant
        from dangjian.members.models import Member
        from dangjian.orgs.models import Organization

        for prefix, model in (("members:member", Member), ("orgs:", Organization), ("accounts:grant", RoleGrant)):
            if self.name.startswith(prefix):
                return model
        return None

    def url(self) -> str:
        """The path with every kwarg filled with an existing pk (or 1)."""
        pk = None
        if self.kwargs:
            model = self.model()
            if model is not None:
                pk = model._base_manager.order_by("pk").values_list("pk", flat=True).first()
        values: dict[str, Any] = dict.fromkeys(self.kwargs, pk or 1)
        values.update(dict.fromkeys(self.slugs, "docx"))
        return reverse(self.name, kwargs=values)


def walk_urlconf(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    """Every pattern of the root URLconf, recursively through includes."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = ":".join(p for p in (namespace, entry.namespace or "") if p)
            yield from walk_urlconf(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"every URL needs a name: {prefix}{entry.pattern}"
            converters = getattr(entry.pattern, "converters", {}) or {}
            for kwarg, conv in converters.items():
                assert type(conv).__name__ in ("IntConverter", "SlugConverter"), \
                    f"teach the walker to fill {kwarg} in {entry.pattern}"
            slugs = tuple(k for k, conv in converters.items() if type(conv).__name__ == "SlugConverter")
            kwargs = tuple(k for k in converters if k not in slugs) or tuple(entry.pattern.regex.groupindex)
            name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
            yield Route(name, prefix + str(entry.pattern), entry.callback, kwargs, slugs)


def all_routes() -> list[Route]:
    return list(walk_urlconf())


def login(username: str, password: str = PASSWORD, client: Client | None = None, **extra: Any) -> Client:
    """Log in through the real login page; assert it succeeded."""
    client = client or Client()
    response = finish_login(client, client.post(LOGIN_URL, {"username": username, "password": password}, **extra),
                            username)
    assert response.status_code == 302, f"login of {username} failed ({response.status_code})"
    return client


def try_login(username: str, password: str, client: Client | None = None) -> Any:
    return (client or Client()).post(LOGIN_URL, {"username": username, "password": password})


def login_error(response: Any) -> str:
    """The non-field error shown by the login page."""
    form = response.context["form"]
    return " ".join(str(e) for e in form.non_field_errors())


def field_errors(response: Any, field: str) -> list[tuple[str | None, str]]:
    """(code, message) of each error of ``field`` in the response's form."""
    form = response.context["form"]
    return [(e.code, " ".join(e.messages)) for e in form.errors.as_data().get(field, [])]


def is_clear_message(text: str, english_hint: str) -> bool:
    """A user-facing error is Chinese, or (while the catalogue is not translated) clear English."""
    return bool(text.strip()) and (bool(_CJK.search(text)) or english_hint.lower() in text.lower())


@pytest.fixture
def routes(personas: Any) -> list[Route]:
    return all_routes()
