"""Create the three administrator accounts (三员) once, with random one-time passwords (AUTH-04).

Run on a database that already has its organization tree and no administrator yet. The
passwords are printed once, here, and nowhere else: they must be changed at first login
and expire after 72 hours. No superuser is ever created.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError

from dangjian.accounts import services
from dangjian.core.context import acting_as
from dangjian.orgs.models import Organization
from dangjian.orgs.structure import root_path


class Command(BaseCommand):
    help = "Create sysadmin / secadmin / auditadmin with random one-time passwords (only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--root", help="code of the root organization (default: the only root)")

    def handle(self, *args: Any, root: str | None = None, **options: Any) -> None:
        roots = Organization.objects.get_root_nodes()
        # the installation's configured root (a stray second top-level organization never counts)
        roots = roots.filter(code=root) if root else roots.filter(path=root_path())
        if not roots.exists():
            raise CommandError("没有找到根党组织：请先建立组织树。 (no root organization: create the tree first)")
        if roots.count() > 1:
            raise CommandError("有多个根党组织：请用 --root 指定。 (several roots: choose one with --root)")
        with acting_as(None, reason="bootstrap_admins", source="command"):
            try:
                passwords = services.bootstrap_admins(root=roots.get())
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            except IntegrityError as exc:
                raise CommandError("管理员用户名已被占用。 (an administrator username is already taken)") from exc
        self.stdout.write("已创建三员账号。以下一次性密码只显示这一次，须当面交付，首次登录后必须修改，72 小时后失效：")
        for (username, display, _role) in services.ADMIN_ACCOUNTS:
            self.stdout.write(f"  {username:<11} {passwords[username]}  {display}")
