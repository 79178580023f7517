from __future__ import annotations

from typing import Any

from rest_framework import serializers

from dangjian.accounts.models import ApiToken, RoleGrant
from dangjian.core.api.serializers import ScopedModelSerializer


class TokenRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    otp = serializers.CharField(max_length=12, required=False, allow_blank=True,
                                help_text="The code of the authenticator app (or a backup code): required for "
                                          "accounts with a second factor (AUTH-03).")


class StepUpRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    password = serializers.CharField(max_length=128, required=False, allow_blank=True, trim_whitespace=False,
                                     style={"input_type": "password"})
    otp = serializers.CharField(max_length=12, required=False, allow_blank=True)


class StepUpResponseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    step_up_at = serializers.DateTimeField()
    valid_minutes = serializers.IntegerField()


class TokenResponseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    token = serializers.CharField()
    username = serializers.CharField()
    expires_at = serializers.DateTimeField()


class ApiTokenSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """One device's token as its owner sees it (never the key)."""

    current = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ("id", "name", "created_at", "last_used_at", "expires_at", "current")
        read_only_fields = fields

    def get_current(self, obj: ApiToken) -> bool:
        return bool(getattr(self.context.get("request"), "auth", None) == obj)


class RoleGrantSerializer(ScopedModelSerializer):
    class Meta:
        model = RoleGrant
        fields = ("id", "display", "user", "role", "org", "granted_by", "created_at", "revoked_at", "version")
        read_only_fields = ("granted_by", "created_at", "revoked_at", "version")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        request = self.context["request"]
        grant = RoleGrant(granted_by=request.user, **attrs)
        grant.clean()
        attrs["granted_by"] = request.user
        return attrs
