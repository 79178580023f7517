"""Model fields of the core: encrypted text with a blind index companion."""

from __future__ import annotations

from typing import Any

from django.db import models

from dangjian.core.crypto import get_provider


class EncryptedTextField(models.TextField):
    """A text value stored encrypted (AEAD via the crypto provider); plaintext in Python.

    The audit log never sees the plaintext: ``audit_value`` returns a fixed marker, and the
    model decides separately what masked form to show on screen.
    """

    description = "Encrypted text"

    def __init__(self, *args: Any, context: str = "", **kwargs: Any) -> None:
        self.context = context
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.context:
            kwargs["context"] = self.context
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return get_provider().decrypt(value, context=self.context)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return get_provider().encrypt(str(value), context=self.context)

    def audit_value(self, instance: models.Model) -> str:
        return "[已加密]" if getattr(instance, self.attname) else ""
