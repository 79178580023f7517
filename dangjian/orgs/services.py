"""Writes on the tree that the generic screens cannot express."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.core import audit
from dangjian.core.scoping import ensure_in_scope
from dangjian.orgs.models import Organization
from dangjian.orgs.structure import subtree_kind_problem


def move_subtree(*, actor: Any, node: Organization, target: Organization) -> Organization:
    """Move ``node`` and its subtree under ``target``; one audit entry with old and new paths.

    treebeard rewrites the paths of the whole subtree with set-based updates; members and
    every scoped row follow automatically because they reference the node, not its path.
    """
    with transaction.atomic():
        node = Organization.objects.select_for_update().get(pk=node.pk)
        ensure_in_scope(actor, node, "change")
        target = Organization.objects.select_for_update().get(pk=target.pk)
        ensure_in_scope(actor, target, "change")
        problem = subtree_kind_problem(node, target)
        if problem:
            raise ValidationError({"target": problem})
        old_path, old_parent = node.path, Organization.objects.get_parent(node)
        Organization.objects.move(node, target, pos="last-child")
        node.refresh_from_db()
        ensure_in_scope(actor, node, "change")
        audit.record("move", obj=node, org_path=node.path, changes={
            "parent": [str(old_parent) if old_parent else None, str(target)],
            "path": [old_path, node.path],
        })
    return node
