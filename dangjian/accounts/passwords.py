"""Password validators driven by the security policy (SECURITY.md AUTH-01, 等保 defaults)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

MAX_LENGTH = 128
#: Words that make a password guessable here (context words, ASVS 6.2.11).
CONTEXT_WORDS = (
    "dangjian", "gongan", "jingcha", "police", "party", "zhihui", "123456", "654321", "qwerty",
    "password", "admin", "党建", "公安", "警察", "党员", "智慧",
)


def _policy() -> Any:
    from dangjian.accounts.models import SecurityPolicy

    return SecurityPolicy.current()


class PolicyLengthValidator:
    def validate(self, password: str, user: Any = None) -> None:
        minimum = _policy().password_min_length
        if len(password) < minimum:
            raise ValidationError(gettext("The password must have at least %(n)d characters.") % {"n": minimum}, code="short")
        if len(password) > MAX_LENGTH:
            raise ValidationError(gettext("The password may have at most %(n)d characters.") % {"n": MAX_LENGTH}, code="long")

    def get_help_text(self) -> str:
        return gettext("At least %(n)d characters.") % {"n": _policy().password_min_length}


class CharacterClassValidator:
    def validate(self, password: str, user: Any = None) -> None:
        classes = sum(
            bool(re.search(p, password)) for p in (r"[A-Z]", r"[a-z]", r"[0-9]", r"[^A-Za-z0-9]")
        )
        required = _policy().password_min_classes
        if classes < required:
            raise ValidationError(
                gettext("The password must mix at least %(n)d of: upper-case letters, lower-case letters, digits, symbols.")
                % {"n": required},
                code="classes",
            )

    def get_help_text(self) -> str:
        return gettext("Mix upper-case and lower-case letters, digits and symbols.")


class ContextWordValidator:
    def validate(self, password: str, user: Any = None) -> None:
        lowered = password.lower()
        words = list(CONTEXT_WORDS)
        if user is not None:
            words += [w.lower() for w in (getattr(user, "username", ""), getattr(user, "display_name", "")) if w and len(w) >= 3]
            member = getattr(user, "member", None)
            if member is not None:
                words += [w.lower() for w in (member.name, member.police_number or "", member.name_initials) if w and len(w) >= 2]
        for word in words:
            if word and word in lowered:
                raise ValidationError(gettext("The password must not contain easily guessed words such as names, police numbers or '党建'."), code="context")

    def get_help_text(self) -> str:
        return gettext("No names, police numbers or common words.")


class HistoryValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        depth = _policy().password_history
        previous = list(user.password_history.values_list("password", flat=True)[:depth])
        if user.password:
            previous.append(user.password)
        for encoded in previous:
            if check_password(password, encoded):
                raise ValidationError(gettext("You used this password recently; choose a new one."), code="reused")

    def password_changed(self, password: str, user: Any = None) -> None:
        return None

    def get_help_text(self) -> str:
        return gettext("Not one of your recent passwords.")
