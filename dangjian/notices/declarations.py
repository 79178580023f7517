"""What the notices module declares to the core (see dangjian/core/modules.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from dangjian.accounts.roles import ALL, Role
from dangjian.core.modules import Area, DemoStep, Figure, ModuleParts, PortalItem
from dangjian.core.navigation import MenuGroup, MenuItem


def _open_count(user: Any) -> int:
    from dangjian.notices.inbox import open_count

    return open_count(user)


def menu() -> MenuGroup:  # lazy-ok: built once and cached (core.modules.menu_groups)
    return MenuGroup(_("Notices"), (
        MenuItem(_("Notices and to-dos"), "notices:inbox", "bell", badge=_open_count),
        MenuItem(_("Announcements and news"), "notices:feed", "speakerphone"),
        MenuItem(_("Write announcements"), "notices:announcement_list", "pencil", "announcements", "add"),
        MenuItem(_("Read receipts"), "notices:receipt_list", "checks", "receipts", staff=True),
        MenuItem(_("My message channels"), "notices:preferences", "message"),
        MenuItem(_("Message channels"), "notices:channel_list", "settings", "channels"),
    ))


def _inbox_items(user: Any) -> Any:
    from dangjian.notices.views import inbox_section

    return inbox_section(user)


def _demo(ctx: Any) -> Any:
    from dangjian.notices.demo import build

    return build(ctx)



def _portal(name: str) -> Any:
    def data(viewer: Any, member: Any) -> Any:  # imports the module's portal reads on first use
        from dangjian.notices import portal

        return getattr(portal, name)(viewer, member)
    return data


parts = ModuleParts(
    areas=(
        # announcements and news: written by officers and staff for their subtree (drafts too);
        # members hold nothing here: they read what reaches them (notices.services.reached_by)
        Area("announcements", _("announcements"), {Role.BRANCH_OFFICER: ALL,
                                                   Role.COMMITTEE_STAFF: ALL, Role.INSPECTOR: frozenset({"view"})}),
        # read receipts: who has read what; a member sees only their own
        Area("receipts", _("read receipts"), {Role.MEMBER: frozenset({"view"}),
                                              Role.BRANCH_OFFICER: frozenset({"view", "export"}),
                                              Role.COMMITTEE_STAFF: frozenset({"view", "export"}),
                                              Role.INSPECTOR: frozenset({"view"})}, own_rows=True, member_data=True),
        # the outside channels' settings and credentials: system configuration (三员: the system administrator)
        Area("channels", _("message channels"), {Role.SYSTEM_ADMIN: frozenset({"view", "add", "change"})}),
    ),
    audit_events={"reminders_materialized": _("Inbox brought up to date")},
    audit_object_types={"notices.reminders": _("Notices and to-dos")},
    navigation=menu,
    nav_order=5,
    inbox=(Figure("notices_items", "notices/inbox_section.html", _inbox_items, place="left", order=5),),
    portal=(PortalItem(_("Notices and to-dos"), "notices:inbox", "bell", order=3, tab="home",
                       card="notices/portal/tasks.html", data=_portal("tasks"), key="notices-tasks"),
            PortalItem(_("Announcements and news"), "notices:feed", "speakerphone", order=6, tab="home",
                       card="notices/portal/latest.html", data=_portal("latest"), key="notices-latest")),
    unscoped_models={
        "notices.reminder": "inbox items, read only through notices.inbox.for_user, which applies each item's own "
                            "area and action (core.scoping.scope_for) or its member",
        "notices.remindermark": "a user's own read and done marks, read and written only for request.user",
        "notices.channelpreference": "a user's own channels, read and written only for request.user",
        "notices.outboxmessage": "the delivery queue, read only by the outbox job (notices.outbox.deliver_due)",
    },
    demo=DemoStep(_demo, order=95),
)
