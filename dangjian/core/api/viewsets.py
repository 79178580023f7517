"""The API's scoped viewset: the same scoping, post-write check, audit and version guard as
the generic screens, and the same filter sets.

An API module declares a ``ScopedModelViewSet`` subclass with ``queryset``,
``serializer_class`` and ``filterset_class``; the viewset does the rest.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from dangjian.core import context
from dangjian.core.api import messages
from dangjian.core.api.exceptions import Conflict, PreconditionFailed, PreconditionRequired
from dangjian.core.api.idempotency import idempotent
from dangjian.core.api.serializers import BriefSerializer
from dangjian.core.models import protected_message
from dangjian.core.scoping import OutOfScope, ensure_in_scope

ACTION_BY_METHOD = {"GET": "view", "HEAD": "view", "OPTIONS": "view", "POST": "add", "PUT": "change",
                    "PATCH": "change", "DELETE": "delete"}


class ScopedFilterBackend(DjangoFilterBackend):
    """Hands the request to our ScopedFilterSet so its choices are narrowed too."""

    def get_filterset_kwargs(self, request: Any, queryset: Any, view: Any) -> dict[str, Any]:
        return {"data": request.query_params, "queryset": queryset, "request": request}


class ScopedModelViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
    """CRUD over a scoped model; rows outside the caller's scope do not exist (404)."""

    filter_backends = (ScopedFilterBackend,)
    scope_action: str | None = None  # override the method-derived action (e.g. "export")
    supports_brief = True

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        context.with_user(request.user)  # token users are known only after DRF authentication
        self._serving = messages.SERVING.set(getattr(self.queryset, "model", None))  # labels of input serializers

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        serving = self.__dict__.pop("_serving", None)
        if serving is not None:
            messages.SERVING.reset(serving)
        return super().finalize_response(request, response, *args, **kwargs)

    def get_queryset(self) -> Any:
        action = self.scope_action or ACTION_BY_METHOD.get(self.request.method or "GET", "view")
        queryset: Any = super().get_queryset()
        return queryset.visible_to(self.request.user, action)

    def get_serializer_class(self) -> Any:
        if self.request.method == "GET" and self.request.query_params.get("brief") in {"1", "true"}:
            return BriefSerializer
        return super().get_serializer_class()

    # -- writes: one transaction, re-checked scope, version guard ---------------------------
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return idempotent(request, lambda: self._create(request, *args, **kwargs))

    def _create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> None:
        instance = serializer.save()
        self._recheck(instance, "add")

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            return super().update(request, *args, **kwargs)

    def perform_update(self, serializer: Any) -> None:
        instance = serializer.instance
        if hasattr(instance, "version"):
            self.check_version(instance)
        saved = serializer.save()
        self._recheck(saved, "change")

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance: Any) -> None:
        if hasattr(instance, "version"):
            self.check_version(instance, required=False)  # a delete may say which version it removes
        try:
            instance.delete()
        except (ProtectedError, RestrictedError) as exc:
            raise Conflict(protected_message(exc)) from exc

    def check_version(self, instance: Any, *, required: bool = True) -> None:
        """Compare the version the client says it edited (If-Match or body ``version``).
        Custom write actions call it on the row they change, like updates do.

        A change must carry it: a missing or zero version answers 428, never "no check" (REL-03);
        a stale one answers 412. The row is re-read under a lock, so two writers carrying the
        same version cannot both pass.
        """
        if not hasattr(instance, "version"):
            return
        expected = self._expected_version()
        if expected is None or expected < 1:
            if not required and expected is None:
                return
            raise PreconditionRequired(gettext("Say which version of the record you changed: send the If-Match header "
                                         "with the ETag you read (or the version field)."))
        current = type(instance)._base_manager.select_for_update().filter(pk=instance.pk)\
            .values_list("version", flat=True).first()
        if current is None or expected != current:
            raise PreconditionFailed(gettext("The record changed since you loaded it (version %(v)s). Reload it.")
                                     % {"v": current})
        instance.version = expected

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        version = response.data.get("version") if isinstance(response.data, dict) else None
        if version is not None:
            response["ETag"] = f'"{version}"'
        return response

    def _expected_version(self) -> int | None:
        header = self.request.headers.get("If-Match", "").strip().strip('"').removeprefix("W/").strip('"')
        raw: Any = header or (self.request.data.get("version") if hasattr(self.request.data, "get") else None)
        try:
            return int(raw) if raw not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def _recheck(self, instance: Any, action: str) -> None:
        try:
            ensure_in_scope(self.request.user, instance, action)
        except OutOfScope as exc:
            raise NotFound(gettext("You may not save a record outside your organizations.")) from exc
