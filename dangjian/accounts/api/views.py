"""Token endpoints and role grants over the API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import (
    AuthenticationFailed,
    NotFound,
    PermissionDenied,
    Throttled,
    ValidationError,
)
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dangjian.accounts import mfa, services
from dangjian.accounts.api.authentication import hash_key, issue_token, token_expired
from dangjian.accounts.api.serializers import (
    ApiTokenSerializer,
    RoleGrantSerializer,
    StepUpRequestSerializer,
    StepUpResponseSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)
from dangjian.accounts.backends import LOGIN_FAILED, LOGIN_THROTTLED
from dangjian.accounts.models import ApiToken, RoleGrant, SecurityPolicy
from dangjian.core import audit, context
from dangjian.core.api.viewsets import ScopedModelViewSet
from dangjian.core.scoping import scope_for


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
        if getattr(request._request, "login_throttled", False):
            raise Throttled(detail=str(LOGIN_THROTTLED))
        if user is None or not user.is_active:
            raise ValidationError({"non_field_errors": [str(LOGIN_FAILED)]})
        if mfa.is_enrolled(user):  # the second factor in the same request (AUTH-03)
            if mfa.verify(user, data.validated_data.get("otp", "")) is None:
                audit.record("mfa_failed", obj=user, actor=user, org_path="", success=False, reason="api token")
                raise ValidationError({"otp": [gettext("The one-time code is missing, wrong or already used.")]})
        elif mfa.is_required(user):
            raise ValidationError({"otp": [gettext(
                "This account must set up a second factor first: log in on the web page once.")]})
        with transaction.atomic():
            key = issue_token(user, data.validated_data.get("name", ""))  # type: ignore[arg-type]
            audit.record("login", obj=user, actor=user, org_path="", reason="api token")
        token = ApiToken.objects.get(key_hash=hash_key(key))
        ApiToken.objects.filter(pk=token.pk).update(step_up_at=timezone.now())  # a login counts as a step-up
        return Response({"token": key, "username": user.get_username(), "expires_at": token.expires_at},
                        status=status.HTTP_201_CREATED)


def _request_token(request: Request) -> ApiToken:
    token = request.auth
    if not isinstance(token, ApiToken):
        raise ValidationError({"non_field_errors": [gettext("This request was not made with a token.")]})
    return token


class TokenRefreshView(APIView):
    """POST: exchange the token of this request for a new key (the old one is revoked). The new
    token keeps the old one's absolute expiry: refreshing renews the idle time, not the login."""

    @extend_schema(request=None, responses={201: TokenResponseSerializer})
    def post(self, request: Request) -> Response:
        context.with_user(request.user)
        old = _request_token(request)
        with transaction.atomic():
            updated = ApiToken.objects.filter(pk=old.pk, revoked_at__isnull=True).update(
                revoked_at=timezone.now(), revoked_reason="refreshed")
            if not updated:  # refreshed concurrently by another request
                raise AuthenticationFailed(gettext("The token is invalid or has been revoked."))
            key = issue_token(old.user, old.name, expires_at=old.expires_at)
            audit.record("token_refreshed", obj=old.user, org_path="", reason=old.name)
        return Response({"token": key, "username": old.user.get_username(), "expires_at": old.expires_at},
                        status=status.HTTP_201_CREATED)


class TokenListView(APIView):
    """GET: the caller's live tokens, one per device."""

    @extend_schema(responses={200: ApiTokenSerializer(many=True)})
    def get(self, request: Request) -> Response:
        rows = ApiToken.objects.filter(user_id=int(request.user.pk or 0), revoked_at__isnull=True).order_by("-created_at")
        policy = SecurityPolicy.current()
        now = timezone.now()
        live = [t for t in rows if not token_expired(t, policy, now)]
        return Response(ApiTokenSerializer(live, many=True, context={"request": request}).data)


class TokenDetailView(APIView):
    """DELETE: revoke one of the caller's tokens (the security admin: anyone's)."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        context.with_user(request.user)
        tokens = ApiToken.objects.filter(revoked_at__isnull=True)
        if scope_for(request.user, "security", "change").is_empty:
            tokens = tokens.filter(user_id=int(request.user.pk or 0))
        token = tokens.select_related("user").filter(pk=pk).first()
        if token is None:
            raise NotFound(gettext("Not found."))
        services.revoke_token(actor=request.user, token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenRevokeView(APIView):
    """DELETE: revoke the token used for this request."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        context.with_user(request.user)
        token = _request_token(request)
        with transaction.atomic():
            ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now(), revoked_reason="logout")
            audit.record("token_revoked", obj=token.user, org_path="")
        return Response(status=status.HTTP_204_NO_CONTENT)


class StepUpRequired(PermissionDenied):
    default_code = "step_up_required"
    default_detail = "Confirm your password or a one-time code first (POST auth/step-up/)."


class StepUpView(APIView):
    """POST: confirm the password (or a one-time code) again; for the policy's minutes this
    token may do the sensitive things (role grants) that need a recent re-authentication."""

    @extend_schema(request=StepUpRequestSerializer, responses={200: StepUpResponseSerializer})
    def post(self, request: Request) -> Response:
        context.with_user(request.user)
        token = _request_token(request)
        user = token.user
        data = StepUpRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not mfa.check_step_up(user, password=data.validated_data.get("password", ""),
                                 code=data.validated_data.get("otp", "")):
            audit.record("step_up_failed", obj=user, org_path="", success=False, reason="api token")
            raise ValidationError({"non_field_errors": [gettext("The password or code is wrong.")]})
        now = timezone.now()
        with transaction.atomic():
            ApiToken.objects.filter(pk=token.pk).update(step_up_at=now)
            audit.record("step_up", obj=user, org_path="", reason="api token")
        return Response({"step_up_at": now, "valid_minutes": SecurityPolicy.current().step_up_minutes})


class RoleGrantViewSet(ScopedModelViewSet):
    queryset = RoleGrant.objects.select_related("user", "org", "granted_by")
    serializer_class = RoleGrantSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if request.method in ("POST", "DELETE") and not mfa.step_up_fresh(request):
            raise StepUpRequired(gettext("Confirm your password or a one-time code first (POST auth/step-up/)."))

    def perform_destroy(self, instance: RoleGrant) -> None:
        instance.revoked_at = timezone.now()
        instance.save()
