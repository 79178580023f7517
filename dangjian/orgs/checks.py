"""System checks of the tree: exactly one root, at the configured path (SECURITY.md AC-02)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.database)
def one_installation_root(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[Error]:
    """Several top-level organizations would make scope ambiguous; the root must be the configured one."""
    if not databases:
        return []
    from dangjian.orgs.models import Organization
    from dangjian.orgs.structure import root_path

    try:
        roots = list(Organization.objects.filter(depth=1).values_list("path", "name")[:10])  # scope-ok: system check
    except DatabaseError:  # not migrated yet
        return []
    if len(roots) > 1:
        names = ", ".join(name for _path, name in roots)
        return [Error(f"the tree has {len(roots)} top-level organizations ({names}); an installation has exactly one "
                      "root: move the others under it", id="dangjian.E030")]
    if roots and roots[0][0] != root_path():
        return [Error(f"the root organization's path is {roots[0][0]}, but ROOT_ORG_PATH is {root_path()}",
                      id="dangjian.E031")]
    return []
