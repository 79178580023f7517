from django.utils.translation import gettext_lazy as _

from dangjian.core.navigation import MenuGroup, MenuItem


def menu() -> MenuGroup:
    return MenuGroup(_("Organizational life"), (
        MenuItem(_("Meetings"), "meetings:meeting_list", "users", "meetings"),
        MenuItem(_("Meeting calendar"), "meetings:calendar", "calendar", "meetings"),
        MenuItem(_("Compliance"), "meetings:compliance", "checklist", "meetings", "add"),
        MenuItem(_("My reminders"), "meetings:inbox", "bell", "meetings"),
        MenuItem(_("Opinion solicitations"), "meetings:solicitation_list", "message", "meetings"),
        MenuItem(_("Rectification items"), "meetings:rectification_list", "tool", "dlm"),
        MenuItem(_("Meeting requirements"), "meetings:requirement_list", "settings", "config"),
    ))
