"""Token endpoints and role grants over the API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dangjian.accounts.api.authentication import issue_token
from dangjian.accounts.api.serializers import (
    RoleGrantSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)
from dangjian.accounts.backends import LOGIN_FAILED
from dangjian.accounts.models import ApiToken, RoleGrant
from dangjian.core import audit, context
from dangjian.core.api.viewsets import ScopedModelViewSet


class TokenView(APIView):
    """POST: exchange username and password for a token (lockout applies). DELETE: revoke it."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]
    throttle_scope = "login"

    @extend_schema(request=TokenRequestSerializer, responses={201: TokenResponseSerializer}, auth=[])
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request._request, username=data.validated_data["username"],
                            password=data.validated_data["password"])
        if user is None or not user.is_active:
            raise ValidationError({"non_field_errors": [str(LOGIN_FAILED)]})
        with transaction.atomic():
            key = issue_token(user, data.validated_data.get("name", ""))  # type: ignore[arg-type]
            audit.record("login", obj=user, actor=user, org_path="", reason="api token")
        return Response({"token": key, "username": user.get_username()}, status=status.HTTP_201_CREATED)


class TokenRevokeView(APIView):
    """DELETE: revoke the token used for this request."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        context.with_user(request.user)
        token = request.auth
        if not isinstance(token, ApiToken):
            raise ValidationError({"non_field_errors": [gettext("This request was not made with a token.")]})
        with transaction.atomic():
            ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
            audit.record("token_revoked", obj=token.user, org_path="")
        return Response(status=status.HTTP_204_NO_CONTENT)


class RoleGrantViewSet(ScopedModelViewSet):
    queryset = RoleGrant.objects.select_related("user", "org", "granted_by")
    serializer_class = RoleGrantSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]

    def perform_destroy(self, instance: RoleGrant) -> None:
        instance.revoked_at = timezone.now()
        instance.save()
