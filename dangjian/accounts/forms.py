"""Login, password change and account forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.backends import LOGIN_FAILED, LOGIN_THROTTLED
from dangjian.accounts.models import RoleGrant, User
from dangjian.core.forms import ScopedModelForm, restrict


class LoginForm(forms.Form):
    username = forms.CharField(label=_("username"), max_length=150)
    password = forms.CharField(label=_("password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-control"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        user = authenticate(self.request, username=data["username"], password=data["password"])
        if getattr(self.request, "login_throttled", False):
            raise ValidationError(LOGIN_THROTTLED, code="throttled")
        if user is None or not user.is_active:
            raise ValidationError(LOGIN_FAILED, code="invalid_login")
        self.user = user  # type: ignore[assignment]
        return data


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("current password"), strip=False, widget=forms.PasswordInput)
    new_password1 = forms.CharField(label=_("new password"), strip=False, widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_("new password again"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-control"

    def clean_old_password(self) -> str:
        value: str = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise ValidationError(gettext("The current password is wrong."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("new_password1"), data.get("new_password2")
        if p1 and p2:
            if p1 != p2:
                self.add_error("new_password2", gettext("The two new passwords differ."))
            else:
                try:
                    validate_password(p1, self.user)
                except ValidationError as exc:
                    self.add_error("new_password1", exc)
        return data


class RoleGrantForm(ScopedModelForm):
    class Meta:
        model = RoleGrant
        fields = ("user", "role", "org")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "user", User.objects.visible_to(self.user, "view").exclude(pk=self.user.pk))

    def _post_clean(self) -> None:
        self.instance.granted_by = self.user
        super()._post_clean()


class UserForm(ScopedModelForm):
    class Meta:
        model = User
        fields = ("username", "display_name", "member", "is_active")

    def save(self, commit: bool = True) -> User:
        from dangjian.accounts import services

        user: User = self.instance
        if user.pk is None:
            created, password = services.create_user(
                actor=self.user, username=self.cleaned_data["username"],
                display_name=self.cleaned_data.get("display_name", ""), member=self.cleaned_data.get("member"),
            )
            created.one_time_password = password  # type: ignore[attr-defined]
            return created
        services.update_user(actor=self.user, user=user, data=self.cleaned_data)
        return user
