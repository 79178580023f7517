"""Create the installation's one root organization, once, at setup.

Screens, the API and imports create organizations only below an existing one; the root (the
bureau's or department's party committee) is made here, before ``bootstrap_admins``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from dangjian.core.context import acting_as
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization
from dangjian.orgs.structure import root_path


class Command(BaseCommand):
    help = "Create the root party committee of this installation (only when the tree is empty)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="full name of the root party committee")
        parser.add_argument("--code", required=True, help="organization code")
        parser.add_argument("--short-name", default="", help="short name")

    def handle(self, *args: Any, name: str, code: str, short_name: str, **options: Any) -> None:
        with acting_as(None, reason="create_root_org", source="command"), transaction.atomic():
            if Organization.objects.exists():  # scope-ok: setup command
                raise CommandError("the organization tree already has its root; add organizations below it")
            root = Organization.objects.add_root({  # scope-ok: setup command, audited
                "name": name.strip(), "code": code.strip(), "short_name": short_name.strip(),
                "kind": OrgKind.COMMITTEE})
            if root.path != root_path():  # rolls the root back
                raise CommandError(f"the root would be created at path {root.path}; set ROOT_ORG_PATH={root.path}")
        self.stdout.write(f"root organization created: {root.name} ({root.code}), path {root.path}")
